"""What every client command shares: the SDK client from `--url` / `--api-key` (or the
environment), output as text or `--json`, and one line on stderr with exit code 1 for a failure.

Results go to stdout; progress and chatter to stderr, so `--json` output always parses."""

from __future__ import annotations

import argparse
import enum
import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NoReturn, TypeAlias, TypeVar

import httpx
from resnet_studio_client import AuthenticatedClient, Client
from resnet_studio_client.errors import UnexpectedStatus
from resnet_studio_client.models import JobStatus, Problem
from resnet_studio_client.types import UNSET, Unset

DEFAULT_URL = "http://127.0.0.1:8000"
URL_ENV = "RESNET_STUDIO_URL"
API_KEY_ENV = "RESNET_STUDIO_API_KEY"
# Generous reads: an upload, an ONNX export or the first predict of a model can take a while.
TIMEOUT = httpx.Timeout(600.0, connect=10.0)
POLL_S = 1.0
EVENT_RECONNECTS = 5

T = TypeVar("T")
E = TypeVar("E", bound=enum.Enum)
# What `add_subparsers()` returns (argparse's own, private name for it).
SubParsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
Command = Callable[[argparse.Namespace], None]


class CommandError(Exception):
    """A failure to report as one line on stderr, exit code 1."""


def fail(message: str) -> NoReturn:
    raise CommandError(message)


# -- arguments ----------------------------------------------------------------------------------
def connection_options() -> argparse.ArgumentParser:
    """The options of every command that talks to the service (a parent parser)."""
    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_argument_group("service")
    group.add_argument("--url", help=f"the service (${URL_ENV}, default {DEFAULT_URL})")
    group.add_argument("--api-key", help=f"sent as a Bearer token (${API_KEY_ENV})")
    output_options(parent)
    return parent


def output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON (for scripts)")


def add_command(
    commands: SubParsers,
    name: str,
    run: Command,
    help_: str,
    parents: Iterable[argparse.ArgumentParser] = (),
) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = commands.add_parser(
        name, help=help_, description=help_, parents=list(parents)
    )
    parser.set_defaults(run=guarded(run))
    return parser


def opt(value: T | None) -> T | Unset:
    """An option left out is left out of the request, so the server's default applies."""
    return UNSET if value is None else value


def choice(kind: type[E], value: str | None) -> E | Unset:
    """An enum option (argparse's `choices` are the enum's values), left out when not given."""
    return UNSET if value is None else kind(value)


def values(kind: type[enum.Enum]) -> list[str]:
    return [str(member.value) for member in kind]


# -- the client ---------------------------------------------------------------------------------
def base_url(args: argparse.Namespace) -> str:
    url: str = getattr(args, "url", None) or os.environ.get(URL_ENV) or DEFAULT_URL
    return url.rstrip("/")


def client(args: argparse.Namespace) -> Client | AuthenticatedClient:
    url = base_url(args)
    key = args.api_key or os.environ.get(API_KEY_ENV)
    if key:
        return AuthenticatedClient(
            base_url=url, token=key, timeout=TIMEOUT, raise_on_unexpected_status=True
        )
    return Client(base_url=url, timeout=TIMEOUT, raise_on_unexpected_status=True)


def problem_line(problem: Problem) -> str:
    # The detail says what to fix (a 422's names its fields); the code is for a search.
    return f"{problem.detail} ({problem.code}, HTTP {problem.status})"


def ok(value: T | Problem | None) -> T:
    """The SDK's answer, or a CommandError carrying the problem's detail."""
    if isinstance(value, Problem):
        fail(problem_line(value))
    if value is None:
        fail("the service sent no answer")
    return value


def guarded(run: Command) -> Command:
    """Turn every expected failure into one line on stderr and exit code 1."""

    def guarded_run(args: argparse.Namespace) -> None:
        try:
            run(args)
        except CommandError as exc:
            sys.exit(f"resnet-studio: {exc}")
        except UnexpectedStatus as exc:
            body = exc.content.decode(errors="replace").strip().splitlines()
            sys.exit(
                f"resnet-studio: unexpected HTTP {exc.status_code} from {base_url(args)}"
                + (f": {body[0][:200]}" if body else "")
            )
        except httpx.HTTPError as exc:
            sys.exit(f"resnet-studio: cannot reach {base_url(args)}: {exc or type(exc).__name__}")
        except KeyboardInterrupt:
            print("resnet-studio: interrupted", file=sys.stderr)
            sys.exit(130)

    return guarded_run


# -- output -------------------------------------------------------------------------------------
def output(args: argparse.Namespace, data: Any, text: str | Iterable[str]) -> None:
    """`data` (JSON-able: an SDK model's to_dict()) with --json, else the text lines."""
    if args.json:
        print(json.dumps(data, indent=2, default=str))
    else:
        print(text if isinstance(text, str) else "\n".join(text))


def note(message: str) -> None:
    """Chatter for a person: stderr, so stdout stays the result."""
    print(message, file=sys.stderr, flush=True)


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def when(value: Any) -> str:
    """A datetime as `YYYY-MM-DD HH:MM:SS` (UTC, as the service sends it)."""
    return value.strftime("%Y-%m-%d %H:%M:%S") if value is not None else "-"


# -- waiting ------------------------------------------------------------------------------------
def poll(read: Callable[[], T], done: Callable[[T], bool]) -> T:
    """Read until done; no deadline of its own (a person presses Ctrl-C)."""
    while not done(value := read()):
        time.sleep(POLL_S)
    return value


TERMINAL = {JobStatus.SUCCEEDED.value, JobStatus.FAILED.value, JobStatus.CANCELLED.value}


def job_events(
    http: Client | AuthenticatedClient, path: str
) -> Iterator[tuple[str, dict[str, Any]]]:
    """A job's Server-Sent Events as (kind, data) until its terminal `state` event, after which
    the server closes the stream; a stream that drops before it resumes after the last event."""
    last_id, failures = 0, 0
    while True:
        try:
            headers = {"Last-Event-ID": str(last_id)}
            with http.get_httpx_client().stream("GET", path, headers=headers) as stream:
                if stream.status_code != 200:
                    stream.read()
                    if "json" in stream.headers.get("content-type", ""):
                        fail(problem_line(Problem.from_dict(stream.json())))
                    raise UnexpectedStatus(stream.status_code, stream.content)
                for event_id, kind, data in frames(stream.iter_lines()):
                    failures = 0
                    last_id = event_id if event_id is not None else last_id
                    yield kind, data
                    if kind == "state" and data.get("status") in TERMINAL:
                        return
        except (httpx.TransportError, httpx.DecodingError):
            pass
        failures += 1  # closed or dropped before the end: the server restarted, say
        if failures > EVENT_RECONNECTS:
            fail(f"lost the event stream {path}; the job goes on (resnet-studio jobs show)")
        time.sleep(POLL_S)


def frames(lines: Iterable[str]) -> Iterator[tuple[int | None, str, dict[str, Any]]]:
    """(id, event, data) of each `id:` / `event:` / `data:` frame; comments and `retry:` pass."""
    event_id, kind = None, None
    for line in lines:
        if line.startswith("id: "):
            event_id = int(line.removeprefix("id: "))
        elif line.startswith("event: "):
            kind = line.removeprefix("event: ")
        elif line.startswith("data: ") and kind is not None:
            yield event_id, kind, json.loads(line.removeprefix("data: "))
        elif not line:
            event_id, kind = None, None
