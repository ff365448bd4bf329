"""`resnet-studio serve | worker | migrate | openapi | hash-key`, and the client commands for
people (datasets, models, train, score, predict, export, jobs, weights: app/console)."""

from __future__ import annotations

import argparse
import hashlib
import json
import secrets
import sys
from pathlib import Path

import yaml
from pydantic import ValidationError

from app.config import Settings
from app.console import register as register_client_commands


def _settings(**overrides: object) -> Settings:
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})  # type: ignore[arg-type]
    except ValidationError as exc:
        sys.exit(f"resnet-studio: invalid settings:\n{exc}")


def serve(args: argparse.Namespace) -> None:
    import uvicorn

    from app.api.protocol import header_deadline_protocol
    from app.main import create_app
    from app.observability.logs import configure_logging

    settings = _settings(host=args.host, port=args.port)
    configure_logging(settings.log_format)
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        # h11 with a deadline on request heads; bodies are timed by the app (app.api.timeouts).
        http=header_deadline_protocol(settings.request_header_timeout_s),
        # Forwarded headers are the app's to judge, against RESNET_STUDIO_FORWARDED_ALLOW_IPS
        # (app.api.forwarded): uvicorn's own handling would believe 127.0.0.1 by default.
        proxy_headers=False,
        forwarded_allow_ips=[],
        timeout_graceful_shutdown=30,
        log_level="info",
        log_config=None,  # uvicorn's own lines (access log too) go through our format
    )


def worker(_: argparse.Namespace) -> None:
    """The job loop without the HTTP server, for machines that only run jobs."""
    import signal

    from app.db.engine import make_engine
    from app.db.migrate import upgrade_to_head
    from app.job_kinds import KINDS
    from app.jobs.runner import JobRunner
    from app.observability.logs import configure_logging

    settings = _settings()
    configure_logging(settings.log_format)
    upgrade_to_head(make_engine(settings.resolved_database_url))
    runner = JobRunner(settings, KINDS)
    signal.signal(signal.SIGTERM, lambda *_: runner.stop())
    signal.signal(signal.SIGINT, lambda *_: runner.stop())
    runner.run()


def migrate(_: argparse.Namespace) -> None:
    from app.db.engine import make_engine
    from app.db.migrate import upgrade_to_head

    settings = _settings()
    upgrade_to_head(make_engine(settings.resolved_database_url))
    print("database is at the latest revision")


def render_openapi() -> str:
    from app.main import create_app

    document = json.loads(json.dumps(create_app().openapi()))
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)


def openapi(args: argparse.Namespace) -> None:
    text = render_openapi()
    if args.output == "-":
        sys.stdout.write(text)
    else:
        Path(args.output).write_text(text)


def hash_key(args: argparse.Namespace) -> None:
    key = args.key or secrets.token_urlsafe(32)
    if not args.key:
        print(f"key:  {key}")
    print(f"hash: {hashlib.sha256(key.encode()).hexdigest()}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="resnet-studio")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    p = commands.add_parser("serve", help="run the HTTP service")
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p.set_defaults(run=serve)
    commands.add_parser("worker", help="run jobs only (no HTTP)").set_defaults(run=worker)
    commands.add_parser("migrate", help="upgrade the database").set_defaults(run=migrate)
    p = commands.add_parser("openapi", help="write the OpenAPI document as YAML")
    p.add_argument("--output", default="openapi.yaml")
    p.set_defaults(run=openapi)
    p = commands.add_parser("hash-key", help="make an API key (or hash one) for api_key_hashes")
    p.add_argument("key", nargs="?")
    p.set_defaults(run=hash_key)
    register_client_commands(commands)
    args = parser.parse_args(argv)
    args.run(args)


if __name__ == "__main__":
    main()
