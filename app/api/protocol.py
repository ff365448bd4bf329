"""The HTTP/1.1 protocol `resnet-studio serve` runs: uvicorn's h11 protocol with a deadline on each
request's line and headers.

uvicorn bounds a request head's size (h11's 16 KiB `h11_max_incomplete_event_size`) and the idle
time between requests (`timeout_keep_alive`, 5 s, cancelled by the first byte of the next
request), but not the time a head takes: a client that sends a header line now and then holds
its connection forever. So from each point where the server waits for a request (the connection
opens; a response ends) the head has `request_header_timeout_s`; a connection still without a
complete head then is answered 408 (when part of one came) and closed. Bodies are timed by the
app (app.api.timeouts), whatever server runs it."""

from __future__ import annotations

import asyncio

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from app.errors import PROBLEM_MEDIA_TYPE, PROBLEM_TYPE_PREFIX, Problem, RequestTimeout


def _timeout_response(timeout_s: float) -> bytes:
    problem = Problem(
        type=PROBLEM_TYPE_PREFIX + RequestTimeout.code,
        title=RequestTimeout.title,
        status=RequestTimeout.status,
        detail=f"the request line and headers did not arrive within {timeout_s:g} s",
        code=RequestTimeout.code,
    )
    body = problem.model_dump_json(exclude_none=True).encode()
    head = (
        "HTTP/1.1 408 Request Timeout\r\n"
        f"content-type: {PROBLEM_MEDIA_TYPE}\r\n"
        f"content-length: {len(body)}\r\n"
        "connection: close\r\n\r\n"
    )
    return head.encode() + body


def header_deadline_protocol(timeout_s: float) -> type[H11Protocol]:
    """uvicorn's `http=` class: H11Protocol, timing each request head to `timeout_s`."""
    refusal = _timeout_response(timeout_s)

    class HeaderDeadlineProtocol(H11Protocol):
        _head_timer: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._follow_state()

        def handle_events(self) -> None:
            # Runs on each read and when a response ends: where h11 moves to the next request.
            super().handle_events()
            self._follow_state()

        def connection_lost(self, exc: Exception | None) -> None:
            self._stop_timer()
            super().connection_lost(exc)

        def _follow_state(self) -> None:
            # IDLE: waiting for a request's head. The clock starts on entering it and stops once
            # a whole head is parsed (however long the app then takes with the request).
            if self.conn.their_state is not h11.IDLE:
                self._stop_timer()
            elif self._head_timer is None and not self.transport.is_closing():
                self._head_timer = self.loop.call_later(timeout_s, self._head_overdue)

        def _stop_timer(self) -> None:
            if self._head_timer is not None:
                self._head_timer.cancel()
                self._head_timer = None

        def _head_overdue(self) -> None:
            self._head_timer = None
            if self.transport.is_closing() or self.conn.their_state is not h11.IDLE:
                return
            partial, _ = self.conn.trailing_data
            if partial:
                self.logger.warning(
                    "a request's line and headers took over %g s; closed", timeout_s
                )
                self.transport.write(refusal)
            self.transport.close()

    return HeaderDeadlineProtocol
