"""Routes that answer with a file: how they declare it, so the contract says it is binary.

`format: binary` is what SDK generators read as "bytes" (a schema-less media type made
openapi-python-client type the response `Problem | None`)."""

from __future__ import annotations

from typing import Any

BINARY = {"type": "string", "format": "binary"}


def file_response(description: str, *media_types: str) -> dict[int | str, dict[str, Any]]:
    return {
        200: {"description": description, "content": {t: {"schema": BINARY} for t in media_types}}
    }
