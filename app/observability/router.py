"""GET /metrics: outside /v1 and the OpenAPI document; like /healthz, it needs no API key and is
not rate limited (scrapers are trusted by network: keep it off the public side of a proxy)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from app.observability.metrics import Metrics

router = APIRouter()


@router.get("/metrics", name="metrics", include_in_schema=False)
def metrics(request: Request) -> Response:
    # Sync: the collectors query the database, so this runs on a worker thread.
    registry: Metrics = request.app.state.metrics
    content, media_type = registry.render(request.headers.get("accept"))
    return Response(content, media_type=media_type)
