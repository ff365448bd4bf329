"""Prometheus metrics, served at /metrics (app.observability.router).

* HTTP requests: a latency histogram by method, route *template* (`/v1/models/{model_id}`, so
  the number of series stays bounded whatever paths are asked for) and status; counted in this
  process.
* Jobs: read from the database at scrape time by a custom collector, so they are right across
  replicas and worker processes: jobs by kind and status, queued jobs per pool, the durations of
  finished jobs, and what running jobs report in their progress (images/s, GPU memory).
* GPU memory this process holds, per device, when CUDA is present (omitted otherwise).

Metric names are in one place, below."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator

import torch
from prometheus_client import CollectorRegistry, Histogram
from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.exposition import choose_encoder
from prometheus_client.registry import Collector
from sqlalchemy.orm import Session, sessionmaker
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.jobs.kinds import JobKinds, Pool
from app.jobs.states import JobStatus
from app.jobs.stats import Durations, JobStats, RunningJob

log = logging.getLogger(__name__)

PREFIX = "resnet_studio_"
HTTP_REQUEST_DURATION = PREFIX + "http_request_duration_seconds"
JOBS = PREFIX + "jobs"
JOB_QUEUE_DEPTH = PREFIX + "job_queue_depth"
JOB_DURATION = PREFIX + "job_duration_seconds"
JOB_IMAGES_PER_SECOND = PREFIX + "job_images_per_second"
JOB_GPU_MEMORY = PREFIX + "job_gpu_memory_allocated_bytes"
JOBS_COLLECTOR_UP = PREFIX + "jobs_collector_up"
GPU_MEMORY_ALLOCATED = PREFIX + "gpu_memory_allocated_bytes"
GPU_MEMORY_RESERVED = PREFIX + "gpu_memory_reserved_bytes"

HTTP_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
# From a seconds-long indexing job to a days-long training run.
JOB_BUCKETS = (1.0, 5.0, 15.0, 60.0, 300.0, 900.0, 3600.0, 4 * 3600.0, 12 * 3600.0, 86400.0)
UNMATCHED_ROUTE = "unmatched"  # a path no route matches: one series, whatever the path was


def route_template(scope: Scope) -> str:
    """The template of the route that served the request, as the router set it in the scope."""
    path = getattr(scope.get("route"), "path", None)
    return path if isinstance(path, str) else UNMATCHED_ROUTE


class HttpMetrics:
    """Observes each request's duration, from its first byte in to its handler's return (the
    whole stream, for Server-Sent Events). Pure ASGI, so streamed responses pass untouched."""

    def __init__(self, app: ASGIApp, histogram: Histogram) -> None:
        self.app = app
        self.histogram = histogram

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the caller gets when the app raises before it answers

        async def observed(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, observed)
        finally:
            labels = (scope["method"], route_template(scope), str(status))
            self.histogram.labels(*labels).observe(time.perf_counter() - started)


def _number(value: object) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


class JobsCollector(Collector):
    """The job table at scrape time. A database that cannot be read makes
    `resnet_studio_jobs_collector_up` 0 (and leaves the job series out), never a failed scrape."""

    def __init__(self, sessions: Callable[[], sessionmaker[Session]], kinds: JobKinds) -> None:
        self.sessions = sessions
        self.kinds = kinds

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily(JOBS_COLLECTOR_UP, "1 if the job table could be read.")
        try:
            with self.sessions()() as session:
                stats = JobStats(session)
                counts, durations, running = (
                    stats.counts(),
                    stats.durations(JOB_BUCKETS),
                    stats.running(),
                )
        except Exception as exc:  # the database is down: report that, not a failed scrape
            log.warning("metrics: job table unreadable: %s: %s", type(exc).__name__, exc)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from self._counts(counts)
        yield self._durations(durations)
        yield from self._running(running)

    def _counts(self, counts: list[tuple[str, str, int]]) -> Iterator[Metric]:
        # Every known kind and status, zeros included, so a series never just disappears.
        by_pair = {(kind.name, status.value): 0 for kind in self.kinds for status in JobStatus}
        by_pair |= {(kind, status): n for kind, status, n in counts}
        jobs = GaugeMetricFamily(JOBS, "Jobs by kind and status.", labels=["kind", "status"])
        for (kind, status), n in sorted(by_pair.items()):
            jobs.add_metric([kind, status], n)
        yield jobs
        depth = GaugeMetricFamily(
            JOB_QUEUE_DEPTH, "Queued jobs waiting for a slot, per pool.", labels=["pool"]
        )
        for pool in Pool:
            kinds = self.kinds.names_in(pool)
            queued = sum(by_pair.get((kind, JobStatus.QUEUED.value), 0) for kind in kinds)
            depth.add_metric([pool.value], queued)
        yield depth

    def _durations(self, durations: list[Durations]) -> Metric:
        family = HistogramMetricFamily(
            JOB_DURATION,
            "Seconds from a finished job's first start to its end, by kind and final status.",
            labels=["kind", "status"],
        )
        for d in sorted(durations, key=lambda d: (d.kind, d.status)):
            buckets = [(str(bound), n) for bound, n in zip(JOB_BUCKETS, d.at_most, strict=True)]
            family.add_metric([d.kind, d.status], [*buckets, ("+Inf", d.count)], d.total_s)
        return family

    def _running(self, running: list[RunningJob]) -> Iterator[Metric]:
        """What running jobs last reported: their pace (training, scoring) and GPU memory."""
        series = [
            (JOB_IMAGES_PER_SECOND, "images_per_s", "Images a running job processes a second."),
            (
                JOB_GPU_MEMORY,
                "gpu_memory_allocated_bytes",
                "GPU memory a running job's process holds (jobs on a GPU only).",
            ),
        ]
        for name, field, what in series:
            family = GaugeMetricFamily(name, what, labels=["kind", "job_id"])
            for job in sorted(running, key=lambda j: j.id):
                value = _number(job.progress.get(field))
                if value is not None:
                    family.add_metric([job.kind, job.id], value)
            yield family


class GpuCollector(Collector):
    """GPU memory this process holds, per device; nothing without CUDA. Never starts CUDA: a
    device this process has not used reads 0. (Jobs run in their own processes: theirs is
    `resnet_studio_job_gpu_memory_allocated_bytes`.)"""

    def collect(self) -> Iterator[Metric]:
        if not torch.cuda.is_available():
            return
        allocated = GaugeMetricFamily(
            GPU_MEMORY_ALLOCATED, "GPU memory in tensors of this process.", labels=["device"]
        )
        reserved = GaugeMetricFamily(
            GPU_MEMORY_RESERVED, "GPU memory this process's allocator holds.", labels=["device"]
        )
        for device in range(torch.cuda.device_count()):
            allocated.add_metric([str(device)], torch.cuda.memory_allocated(device))
            reserved.add_metric([str(device)], torch.cuda.memory_reserved(device))
        yield allocated
        yield reserved


class Metrics:
    """One application's metrics: its own registry (each app made, in tests too, counts on its
    own), the request histogram and the collectors read at each scrape."""

    def __init__(self, sessions: Callable[[], sessionmaker[Session]], kinds: JobKinds) -> None:
        self.registry = CollectorRegistry()
        self.http_requests = Histogram(
            HTTP_REQUEST_DURATION,
            "HTTP request latency by method, route template and status.",
            ["method", "route", "status"],
            buckets=HTTP_BUCKETS,
            registry=self.registry,
        )
        self.registry.register(JobsCollector(sessions, kinds))
        self.registry.register(GpuCollector())

    def render(self, accept: str | None) -> tuple[bytes, str]:
        """The exposition (Prometheus text, or OpenMetrics when asked for) and its media type."""
        encoder, media_type = choose_encoder(accept or "")
        return encoder(self.registry), media_type
