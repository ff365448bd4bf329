"""The application: routers, error handlers, the runtime's lifespan, stable operation ids."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, Depends, FastAPI

from app.api.audit import AuditLog
from app.api.cors import Cors
from app.api.deps import current_caller, refuse_nul_characters, require_json_body
from app.api.docs import install_docs
from app.api.forwarded import TrustedProxies
from app.api.limits import BodySizeLimit
from app.api.loopback import LoopbackGuard
from app.api.ratelimit import RateLimit
from app.api.timeouts import BodyDeadline
from app.architectures.router import router as architectures_router
from app.config import Settings, get_settings
from app.datasets.router import router as datasets_router
from app.errors import (
    DatabaseUnavailable,
    Forbidden,
    NotFound,
    PayloadTooLarge,
    RateLimited,
    Unauthorized,
    ValidationFailed,
    install_error_handlers,
    problem_responses,
)
from app.health.router import router as health_router
from app.job_kinds import KINDS
from app.jobs.runner import start_in_thread
from app.models.router import router as models_router
from app.observability.metrics import HttpMetrics, Metrics
from app.observability.requests import RequestId
from app.observability.router import router as metrics_router
from app.openapi import build_openapi, operation_id
from app.projects.router import api_keys as api_keys_router
from app.projects.router import audit as audit_router
from app.projects.router import projects as projects_router
from app.runtime import Runtime
from app.scoring.router import router as scoring_router
from app.serving.router import router as predict_router
from app.training.router import router as training_router
from app.transforms.router import router as transforms_router

log = logging.getLogger(__name__)

DESCRIPTION = """Turn labelled image directories into trained image classifiers.

Every `/v1` route needs an API key (`Authorization: Bearer <key>`) when the server has keys
configured. Errors are `application/problem+json` documents with a stable `code`. Each caller
has a request rate (429 `rate-limited`, with `Retry-After`) and bodies have a size cap (413
`payload-too-large`)."""


def create_app(settings: Settings | None = None) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime = Runtime.start(settings or get_settings())
        app.state.runtime = runtime
        if not runtime.settings.auth_enabled:
            # The server may have been told to bind anywhere (`uvicorn --host 0.0.0.0`); the app
            # is not shown where, so LoopbackGuard checks each connection's local address.
            log.info("no API keys are configured: only loopback connections will be served")
        runner = (
            start_in_thread(runtime.settings, KINDS) if runtime.settings.runner_enabled else None
        )
        app.state.runner = runner[0] if runner else None
        try:
            yield
        finally:
            if runner is not None:
                runner[0].stop()
                runner[1].join(timeout=60)
            runtime.close()

    app = FastAPI(
        title="resnet-studio",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        generate_unique_id_function=operation_id,
        docs_url=None,  # /docs and /redoc come from install_docs, with assets served here
        redoc_url=None,
    )
    install_docs(app)
    install_error_handlers(app)
    app.state.metrics = Metrics(lambda: app.state.runtime.sessions, KINDS)
    # The last added runs first: a caller over its rate is refused before its body is read;
    # refusals carry CORS headers (a page can read them), are timed, and carry the request id.
    # The client address is settled (TrustedProxies) before anything reads it; a connection a
    # keyless server must not serve is refused (LoopbackGuard) before anything else runs.
    app.add_middleware(AuditLog, sessions=lambda: app.state.runtime.sessions)
    app.add_middleware(BodySizeLimit, settings=lambda: app.state.runtime.settings)
    app.add_middleware(BodyDeadline, settings=lambda: app.state.runtime.settings)
    app.add_middleware(RateLimit, settings=lambda: app.state.runtime.settings)
    app.add_middleware(Cors, settings=lambda: app.state.runtime.settings)
    app.add_middleware(TrustedProxies, settings=lambda: app.state.runtime.settings)
    app.add_middleware(LoopbackGuard, settings=lambda: app.state.runtime.settings)
    app.add_middleware(HttpMetrics, histogram=app.state.metrics.http_requests)
    app.add_middleware(RequestId)

    v1 = APIRouter(
        dependencies=[
            Depends(current_caller),
            Depends(refuse_nul_characters),
            Depends(require_json_body),
        ],
        responses=problem_responses(
            Unauthorized,
            Forbidden,
            NotFound,  # an X-Project-Id that names no project
            ValidationFailed,
            PayloadTooLarge,
            RateLimited,
            DatabaseUnavailable,
        ),
    )
    v1.include_router(architectures_router)
    v1.include_router(models_router)
    v1.include_router(datasets_router)
    v1.include_router(transforms_router)
    v1.include_router(training_router)
    v1.include_router(scoring_router)
    v1.include_router(predict_router)
    v1.include_router(projects_router)
    v1.include_router(api_keys_router)
    v1.include_router(audit_router)
    app.include_router(v1)
    app.include_router(health_router)
    app.include_router(metrics_router)
    app.openapi = lambda: build_openapi(app)  # type: ignore[method-assign]
    return app


app = create_app()
