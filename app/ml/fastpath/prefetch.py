"""Run a producer in a background thread a few items ahead of its consumer.

On CUDA the producer works on its own stream, so its copies, decoding and augmentation overlap
the consumer's compute on the default stream; each item carries an event the consumer's stream
waits for, and its tensors are marked as used by that stream (`record_stream`) so the caching
allocator does not hand their memory back to the producer while the consumer still reads it.
Ending the iteration early (a cancel, an exception) stops the producer before it returns.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

import torch

T = TypeVar("T")
J = TypeVar("J")
_END = object()


def prefetched(
    produce: Callable[[J], T],
    jobs: Iterable[J],
    *,
    depth: int,
    device: torch.device,
    tensors: Callable[[T], Iterable[torch.Tensor]] = lambda item: (),
) -> Iterator[T]:
    """produce(job) for each job, computed up to `depth` items ahead (0: inline, no thread).
    `tensors(item)` names the device tensors of an item the consumer will use."""
    if depth < 0:
        raise ValueError(f"depth must be non-negative, got {depth}")
    if depth == 0:
        yield from (produce(job) for job in jobs)
        return
    cuda = device.type == "cuda"
    stream = torch.cuda.Stream(device) if cuda else None  # type: ignore[no-untyped-call]
    items: queue.Queue[Any] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(value: Any) -> None:
        while not stop.is_set():
            try:
                items.put(value, timeout=0.05)
                return
            except queue.Full:
                continue

    def work() -> None:
        try:
            with torch.cuda.stream(stream) if stream is not None else contextlib.nullcontext():
                for job in jobs:
                    if stop.is_set():
                        return
                    item = produce(job)
                    event = None
                    if stream is not None:
                        event = torch.cuda.Event()  # type: ignore[no-untyped-call]
                        event.record(stream)
                    put((item, event))
        except BaseException as exc:  # handed to the consumer, raised there
            put(exc)
        finally:
            put(_END)

    thread = threading.Thread(target=work, name="fastpath-prefetch", daemon=True)
    thread.start()
    try:
        while True:
            got = items.get()
            if got is _END:
                return
            if isinstance(got, BaseException):
                raise got
            item, event = got
            if event is not None:
                consumer = torch.cuda.current_stream(device)
                consumer.wait_event(event)
                for tensor in tensors(item):
                    tensor.record_stream(consumer)
            yield item
    finally:
        stop.set()
        while thread.is_alive():
            with contextlib.suppress(queue.Empty):
                items.get(timeout=0.05)
        thread.join()
