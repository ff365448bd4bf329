"""Without API keys the server serves only its own machine: a pure-ASGI middleware refuses every
connection accepted on an address that is not loopback (403 `loopback-only`).

The settings check (app.config: `host` must be loopback without keys) stops `resnet-studio serve`
early, but a server started another way (`uvicorn app.main:app --host 0.0.0.0`) binds where it is
told and never asks the settings; the app is not shown its listening sockets either. What every
request does carry is `scope["server"]`: the local address its connection was accepted on,
which the server reads from the socket, never from a header. So the check is made there, on
every request, however the app was started."""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Callable

from starlette.types import ASGIApp, Receive, Scope, Send

from app.config import Settings
from app.errors import LoopbackOnly, problem_response

log = logging.getLogger(__name__)


def is_local(server: object) -> bool:
    """Whether a connection accepted on `scope["server"]` can only have come from this machine.
    None is a Unix socket; a name that is no IP address (a test client's "testserver") is an
    in-process transport with no socket at all. A server reports its sockets by number."""
    if not isinstance(server, tuple | list) or not server:
        return True
    try:
        address = ipaddress.ip_address(str(server[0]))
    except ValueError:
        return True
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # a dual-stack socket's ::ffff:127.0.0.1
    return address.is_loopback


class LoopbackGuard:
    def __init__(self, app: ASGIApp, settings: Callable[[], Settings]) -> None:
        self.app = app
        self.settings = settings
        self._logged: set[str] = set()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        exposed = scope["type"] in ("http", "websocket") and not is_local(scope.get("server"))
        if not exposed or self.settings().auth_enabled:
            await self.app(scope, receive, send)
            return
        address = str(scope["server"][0])
        if address not in self._logged:  # once per local address (a handful), not per request
            self._logged.add(address)
            log.error(
                "refusing connections on %s: it is not a loopback address and no API keys are "
                "configured; set RESNET_STUDIO_API_KEY_HASHES or bind to 127.0.0.1",
                address,
            )
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        error = LoopbackOnly(
            "This server has no API keys, so it serves only connections from its own machine. "
            "Its operator must configure API keys to serve other machines."
        )
        response = problem_response(
            error.status, error.code, error.title, error.detail, scope["path"]
        )
        await response(scope, receive, send)
