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
from typing import Any, Generic, TypeVar

import torch

T = TypeVar("T")
J = TypeVar("J")
_END = object()


class _Producer(Generic[J, T]):
    """The thread that computes items ahead into a bounded queue, on its own CUDA stream when
    there is one (each item with an event the consumer waits on)."""

    def __init__(
        self, produce: Callable[[J], T], jobs: Iterable[J], depth: int, device: torch.device
    ) -> None:
        self.produce, self.jobs = produce, jobs
        cuda = device.type == "cuda"
        self.stream = torch.cuda.Stream(device) if cuda else None  # type: ignore[no-untyped-call]
        self.items: queue.Queue[Any] = queue.Queue(maxsize=depth)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._work, name="fastpath-prefetch", daemon=True)

    def _put(self, value: Any) -> None:
        while not self.stop.is_set():
            try:
                self.items.put(value, timeout=0.05)
                return
            except queue.Full:
                continue

    def _work(self) -> None:
        stream = self.stream
        try:
            with torch.cuda.stream(stream) if stream is not None else contextlib.nullcontext():
                for job in self.jobs:
                    if self.stop.is_set():
                        return
                    item = self.produce(job)
                    event = None
                    if stream is not None:
                        event = torch.cuda.Event()  # type: ignore[no-untyped-call]
                        event.record(stream)
                    self._put((item, event))
        except BaseException as exc:  # handed to the consumer, raised there
            self._put(exc)
        finally:
            self._put(_END)

    def close(self) -> None:
        """Stop producing and drain the queue so the thread can end."""
        self.stop.set()
        while self.thread.is_alive():
            with contextlib.suppress(queue.Empty):
                self.items.get(timeout=0.05)
        self.thread.join()


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
    producer = _Producer(produce, jobs, depth, device)
    producer.thread.start()
    try:
        while True:
            got = producer.items.get()
            if got is _END:
                return
            if isinstance(got, BaseException):
                raise got
            item, event = got
            if event is not None:  # the item was made on the producer's stream
                consumer = torch.cuda.current_stream(device)
                consumer.wait_event(event)
                for tensor in tensors(item):
                    tensor.record_stream(consumer)
            yield item
    finally:
        producer.close()
