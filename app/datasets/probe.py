"""Probing many images in worker processes, so a decoder that crashes or hangs costs one file.

Image decoders are C code fed untrusted bytes: one file can segfault the process or spin forever.
Each worker takes a batch of files and answers file by file, so the parent always knows which
file a worker is on. A worker that dies is blamed for that file (`decoder-crashed`), one that
takes longer than `timeout_s` on a file is killed (`decode-timeout`); either way the rest of its
batch goes back in the queue and a fresh worker takes its place.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import signal
import time
from collections import deque
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection, wait
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess
from pathlib import Path

from app.ml.images import ImageInfo, ImageRejected, RejectReason, probe_image

ProbeFn = Callable[[Path, int], ImageInfo]
ProbeResult = ImageInfo | ImageRejected

# Workers never fork the caller (which may hold threads, CUDA or a database pool): forkserver
# forks them from a small clean server process; spawn is the fallback where it is missing.
_START_METHOD = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
_STARTUP_TIMEOUT_S = 60.0  # importing Pillow and NumPy on a loaded machine, with room to spare
_PROGRESS_EVERY_S = 0.25


def probe_many(
    paths: Sequence[Path],
    max_pixels: int,
    timeout_s: float,
    workers: int,
    on_progress: Callable[[int, int], None] | None = None,
    *,
    probe: ProbeFn = probe_image,
    batch_size: int | None = None,
) -> list[ProbeResult]:
    """`probe(path, max_pixels)` for every path, in worker processes; results in input order.

    `on_progress(done, total)` is called from this thread at most every 0.25 s, and once at the
    end. `probe` must be picklable (a module-level function): tests use it to inject bad decoders.
    """
    total = len(paths)
    if total == 0:
        return []
    size = batch_size or max(1, min(64, math.ceil(total / (workers * 4))))
    pool = _Pool(paths, probe, max_pixels, timeout_s, max(1, min(workers, math.ceil(total / size))))
    try:
        last_report = 0.0
        while pool.done < total:
            pool.step(size)
            now = time.monotonic()
            if on_progress and (now - last_report >= _PROGRESS_EVERY_S or pool.done == total):
                on_progress(pool.done, total)
                last_report = now
    finally:
        pool.close()
    return [r for r in pool.results if r is not None]


class _Worker:
    def __init__(self, ctx: BaseContext, probe: ProbeFn, max_pixels: int) -> None:
        self.conn, child = ctx.Pipe()
        self.process: BaseProcess = ctx.Process(  # type: ignore[attr-defined]
            target=_serve, args=(child, probe, max_pixels), daemon=True
        )
        self.process.start()
        child.close()
        self.ready = False
        self.pending: deque[int] = deque()  # indices handed over; the first is in progress
        self.since = time.monotonic()  # start-up, or when the file in progress was begun

    def give(self, batch: list[int], paths: Sequence[Path]) -> None:
        self.conn.send([(i, paths[i]) for i in batch])
        self.pending.extend(batch)
        self.since = time.monotonic()

    def stop(self, *, kill: bool) -> None:
        if not kill:
            with contextlib.suppress(OSError, ValueError):  # it may have gone already
                self.conn.send(None)
                self.process.join(0.5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


class _Pool:
    def __init__(
        self,
        paths: Sequence[Path],
        probe: ProbeFn,
        max_pixels: int,
        timeout_s: float,
        workers: int,
    ) -> None:
        self.paths, self.probe, self.max_pixels, self.timeout_s = (
            paths,
            probe,
            max_pixels,
            timeout_s,
        )
        self.ctx = multiprocessing.get_context(_START_METHOD)
        self.results: list[ProbeResult | None] = [None] * len(paths)
        self.queue: deque[int] = deque(range(len(paths)))
        self.done = 0
        self.workers: list[_Worker] = []
        for _ in range(workers):
            self.workers.append(_Worker(self.ctx, probe, max_pixels))

    def step(self, batch_size: int) -> None:
        """Hand out work, wait for the next answer or deadline, and deal with what happened."""
        for worker in self.workers:
            if worker.ready and not worker.pending and self.queue:
                count = min(batch_size, len(self.queue))
                worker.give([self.queue.popleft() for _ in range(count)], self.paths)
        deadlines = [self._deadline(w) for w in self.workers]
        now = time.monotonic()
        timeout = max(0.0, min((d for d in deadlines if d is not None), default=now + 1) - now)
        waitables = [w.conn for w in self.workers] + [w.process.sentinel for w in self.workers]
        wait(waitables, timeout)
        for i, worker in enumerate(self.workers):
            self.workers[i] = self._check(worker)

    def _deadline(self, worker: _Worker) -> float | None:
        if not worker.ready:
            return worker.since + _STARTUP_TIMEOUT_S
        return worker.since + self.timeout_s if worker.pending else None

    def _check(self, worker: _Worker) -> _Worker:
        """Collect a worker's answers; return it, or its replacement if it died or hung."""
        alive = worker.process.is_alive()  # asked first: what it sent before dying is then read
        try:
            while worker.conn.poll():
                self._receive(worker, worker.conn.recv())
        except (EOFError, OSError):
            alive = False
        hung = alive and worker.ready and worker.pending
        if hung and time.monotonic() - worker.since > self.timeout_s:
            self._fail(worker, "decode-timeout", f"took longer than {self.timeout_s:g} s to decode")
        elif not alive and worker.ready:
            code = worker.process.exitcode
            self._fail(worker, "decoder-crashed", f"the decoder crashed (exit code {code})")
        elif not worker.ready and (
            not alive or time.monotonic() - worker.since > _STARTUP_TIMEOUT_S
        ):
            worker.stop(kill=True)
            raise RuntimeError(f"a probe worker process failed to start ({_START_METHOD})")
        else:
            return worker
        worker.stop(kill=True)
        return _Worker(self.ctx, self.probe, self.max_pixels)

    def _receive(self, worker: _Worker, message: object) -> None:
        if message == "ready":
            worker.ready = True
            worker.since = time.monotonic()
            return
        assert isinstance(message, tuple)
        index, result = message
        if worker.pending and worker.pending[0] == index:
            worker.pending.popleft()
            self.results[index] = result
            self.done += 1
            worker.since = time.monotonic()

    def _fail(self, worker: _Worker, reason: RejectReason, why: str) -> None:
        if not worker.pending:
            return
        index = worker.pending.popleft()
        self.results[index] = ImageRejected(reason, f"{self.paths[index].name}: {why}")
        self.done += 1
        self.queue.extendleft(reversed(worker.pending))
        worker.pending.clear()

    def close(self) -> None:
        for worker in self.workers:
            worker.stop(kill=False)


def _serve(conn: Connection, probe: ProbeFn, max_pixels: int) -> None:
    """A worker's loop: probe each file of each batch and answer file by file."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    with contextlib.suppress(EOFError, OSError):  # the parent has gone: nothing left to do
        conn.send("ready")
        while (batch := conn.recv()) is not None:
            for index, path in batch:
                conn.send((index, _probe_one(probe, path, max_pixels)))


def _probe_one(probe: ProbeFn, path: Path, max_pixels: int) -> ProbeResult:
    try:
        return probe(path, max_pixels)
    except ImageRejected as exc:
        return exc
    except Exception as exc:  # a decoder bug; MemoryError included. The file fails, not the run.
        return ImageRejected("decoder-crashed", f"{path.name}: {type(exc).__name__}: {exc}")
