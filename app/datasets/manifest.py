"""Reading a manifest that lists a dataset's images: CSV (`path,label`) or JSON Lines in the style
of SageMaker's augmented manifests (`{"source-ref": "s3://...", "class": "cat"}`)."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import quote


class ManifestError(ValueError):
    """The manifest cannot be used; `row` is the 1-based line it is about, when there is one."""

    def __init__(self, message: str, row: int | None = None) -> None:
        super().__init__(f"row {row}: {message}" if row is not None else message)
        self.row = row


@dataclass(frozen=True)
class ManifestRow:
    row: int  # 1-based line number in the manifest, as an editor shows it
    ref: str  # as written: an s3:// or file:// URI, or a path relative to the manifest
    label: str | None


def parse_manifest(text: str, fmt: Literal["csv", "jsonl"]) -> list[ManifestRow]:
    """The rows of a manifest, in order (empty when it lists nothing). Either every row has a
    label or none has: a mix is a ManifestError naming the first row that breaks the pattern."""
    if fmt == "csv":
        rows = _parse_csv(text)
    elif fmt == "jsonl":
        rows = _parse_jsonl(text)
    else:
        raise ValueError(f"unknown manifest format {fmt!r}: use 'csv' or 'jsonl'")
    if rows:
        first = rows[0]
        for row in rows:
            if (row.label is None) != (first.label is None):
                has, other = ("a", "none") if row.label is not None else ("no", "one")
                raise ManifestError(
                    f"has {has} label but row {first.row} (the first) has {other}; "
                    "label every row or none",
                    row.row,
                )
    return rows


_HEADERS = (["path"], ["path", "label"])


def _parse_csv(text: str) -> list[ManifestRow]:
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")), strict=True)
    rows: list[ManifestRow] = []
    seen_first = False
    try:
        for record in reader:
            cells = [c.strip() for c in record]
            while cells and not cells[-1]:  # blank lines and trailing empty columns
                cells.pop()
            if not cells:
                continue
            line = reader.line_num
            if not seen_first:
                seen_first = True
                if [c.lower() for c in cells] in _HEADERS:
                    continue
            if len(cells) > 2:
                raise ManifestError(f"expected 'path,label', got {len(cells)} columns", line)
            if not cells[0]:
                raise ManifestError("missing path", line)
            rows.append(ManifestRow(line, cells[0], cells[1] if len(cells) == 2 else None))
    except csv.Error as exc:
        raise ManifestError(f"not valid CSV: {exc}", reader.line_num) from None
    return rows


def _parse_jsonl(text: str) -> list[ManifestRow]:
    rows: list[ManifestRow] = []
    # Split on newlines only: str.splitlines would also split on U+2028 inside a JSON string.
    for number, line in enumerate(text.removeprefix("\ufeff").split("\n"), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ManifestError(
                f"not valid JSON: {exc.msg} at column {exc.colno}", number
            ) from None
        if not isinstance(obj, dict):
            raise ManifestError("expected a JSON object", number)
        ref = obj.get("source-ref")
        if not isinstance(ref, str) or not ref.strip():
            raise ManifestError('missing path: no "source-ref" string', number)
        rows.append(ManifestRow(number, ref.strip(), _json_label(obj, number)))
    return rows


def _json_label(obj: dict[str, Any], number: int) -> str | None:
    values = {key: obj[key] for key in ("class", "label") if obj.get(key) is not None}
    labels = set()
    for key, value in values.items():
        # Integers are accepted as class ids (SageMaker's image classification writes them).
        if isinstance(value, bool) or not isinstance(value, str | int) or not str(value).strip():
            raise ManifestError(f'"{key}" must be a non-empty string or an integer', number)
        labels.add(str(value).strip())
    if len(labels) > 1:
        raise ManifestError('"class" and "label" disagree', number)
    return labels.pop() if labels else None


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_ROOT = re.compile(r"^(s3://[^/]+|file://[^/]*)(/.*)?$")


def resolve_ref(manifest_uri: str, ref: str) -> str:
    """The URI of an image a manifest refers to. s3:// and file:// URIs are kept as they are; a
    relative path is taken from the manifest's folder ('..' may climb, but not above the bucket
    or the file system root). Anything else (http://, an absolute path, '') is a ManifestError.

    For file:// manifests the relative path is percent-encoded, as file URIs are; S3 keys are
    used as written."""
    ref = ref.strip()
    if not ref:
        raise ManifestError("empty image reference")
    if ref.startswith(("s3://", "file://")):
        return ref
    if _SCHEME.match(ref) or ref.startswith("/") or "\\" in ref:
        raise ManifestError(
            f"{ref!r}: use an s3:// or file:// URI, or a '/'-separated path relative to the "
            "manifest"
        )
    root = _ROOT.match(manifest_uri)
    if root is None:
        raise ManifestError(f"{manifest_uri!r}: a manifest must be at an s3:// or file:// URI")
    folder = (root.group(2) or "/").split("/")[1:-1]
    for part in ref.split("/"):
        if part == "..":
            if not folder:
                raise ManifestError(f"{ref!r} climbs above {root.group(1)}/")
            folder.pop()
        elif part not in ("", "."):
            folder.append(quote(part, safe="") if manifest_uri.startswith("file:") else part)
    return f"{root.group(1)}/{'/'.join(folder)}"
