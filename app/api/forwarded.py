"""Who the client is: the socket's peer, unless that peer is a proxy in `forwarded_allow_ips`, whose
X-Forwarded-For and X-Forwarded-Proto are then believed. A pure-ASGI middleware that sets
`scope["client"]` (and `scheme`) once, so the rate limit, the stream cap and the access log agree.

The decision is the app's own, whatever server runs it. `resnet-studio serve` turns uvicorn's
proxy headers off; a bare `uvicorn app.main:app` keeps them on (believing 127.0.0.1 and ::1), and
has then already replaced the peer with a header's word before the app sees the request. Such a
request is recognised by its client being one of its own X-Forwarded-For entries: its real peer
is unknown, so it gets no address at all and every such request shares one rate-limit bucket."""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Callable, Sequence

from starlette.types import ASGIApp, Receive, Scope, Send

from app.config import Settings

log = logging.getLogger(__name__)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
SCHEMES = {"http", "https"}


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped  # ::ffff:10.0.0.1 on a dual-stack socket is 10.0.0.1
    return address


def is_trusted(host: str, proxies: Sequence[Network]) -> bool:
    address = _address(host)
    return address is not None and any(address in network for network in proxies)


def _host(entry: str) -> str:
    """An X-Forwarded-For entry without a port: `203.0.113.9:4000`, `[2001:db8::1]:4000`."""
    entry = entry.strip()
    if entry.startswith("["):
        return entry[1 : entry.find("]")] if "]" in entry else entry
    if entry.count(":") == 1:
        return entry.split(":", 1)[0]
    return entry


def forwarded_client(chain: list[str], proxies: Sequence[Network]) -> str:
    """Each proxy appends the address it was called from, so the client is the last entry that
    is not itself a trusted proxy (the entries before it are the client's own word); if every
    entry is trusted, the first."""
    for host in reversed(chain):
        if not is_trusted(host, proxies):
            return host
    return chain[0]


def _forwarded_for(scope: Scope) -> list[str]:
    """Every X-Forwarded-For entry, in order, across repeated headers; hosts without ports."""
    values = [v.decode("latin-1") for k, v in scope["headers"] if k == b"x-forwarded-for"]
    return [_host(part) for value in values for part in value.split(",") if part.strip()]


class TrustedProxies:
    def __init__(self, app: ASGIApp, settings: Callable[[], Settings]) -> None:
        self.app = app
        self.settings = settings
        self._warned = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            self._resolve(scope)
        await self.app(scope, receive, send)

    def _resolve(self, scope: Scope) -> None:
        chain = _forwarded_for(scope)
        peer = scope.get("client")
        if not chain or peer is None:
            return
        proxies = self.settings().trusted_proxies
        if is_trusted(peer[0], proxies):
            scope["client"] = (forwarded_client(chain, proxies), 0)
            protos = [v.decode("latin-1") for k, v in scope["headers"] if k == b"x-forwarded-proto"]
            scheme = protos[-1].strip().lower() if protos else ""
            if scheme in SCHEMES:
                websocket = scope["type"] == "websocket"
                scope["scheme"] = scheme.replace("http", "ws") if websocket else scheme
        elif peer[0] in chain:
            # The server already took the header's word (uvicorn's --proxy-headers): the peer
            # that sent it is lost, and believing the header would let anyone pick a bucket.
            scope["client"] = None
            if not self._warned:
                self._warned = True
                log.warning(
                    "the server in front of the app replaced the client address with "
                    "X-Forwarded-For; those requests share one rate-limit bucket. Run "
                    "`resnet-studio serve`, or uvicorn with --no-proxy-headers, and list the "
                    "proxies in RESNET_STUDIO_FORWARDED_ALLOW_IPS"
                )
