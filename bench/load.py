"""Load benchmark: drives a running resnet-studio from this (second) process on loopback and
prints requests/s and p50/p99 latency for status polls, model builds and small predictions.

    .venv/bin/python bench/load.py                  # starts its own server in a temp folder
    .venv/bin/python bench/load.py --url http://127.0.0.1:8000 --seconds 20 --concurrency 16

With its own server it disables the rate limit (RESNET_STUDIO_RATE_LIMIT_PER_MINUTE=0) so the
figures are the service's, not the limiter's. It trains a tiny model first (a few seconds)."""

from __future__ import annotations

import argparse
import io
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import numpy as np
from PIL import Image

BIN = Path(sys.executable).parent


def _png(seed: int, size: int = 32) -> bytes:
    rng = np.random.default_rng(seed)
    colour = np.array([(220, 40, 40), (40, 200, 60), (30, 60, 220)][seed % 3])
    pixels = np.clip(colour + rng.integers(-40, 40, (size, size, 3)), 0, 255).astype(np.uint8)
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, format="PNG")
    return out.getvalue()


@contextmanager
def own_server() -> Iterator[tuple[str, Path]]:
    with tempfile.TemporaryDirectory() as tmp:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        env = {
            **os.environ,
            "RESNET_STUDIO_DATA_DIR": f"{tmp}/data",
            "RESNET_STUDIO_RATE_LIMIT_PER_MINUTE": "0",
            "RESNET_STUDIO_RUNNER_POLL_S": "0.1",
        }
        log = open(f"{tmp}/server.log", "wb")  # noqa: SIM115
        proc = subprocess.Popen(
            [str(BIN / "resnet-studio"), "serve", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    if httpx.get(f"{url}/healthz").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.2)
            yield url, Path(tmp) / "data" / "sources"
        finally:
            proc.terminate()
            proc.wait(timeout=60)
            log.close()


def _wait(client: httpx.Client, path: str, key: str, done: set[str]) -> dict[str, object]:
    while True:
        body: dict[str, object] = client.get(path).json()
        if body[key] in done:
            return body
        time.sleep(0.2)


def prepare(client: httpx.Client, sources: Path) -> tuple[str, str]:
    """A trained model (for predictions) and a finished job (for status polls)."""
    for label, seed0 in (("blue", 2), ("green", 1), ("red", 0)):
        folder = sources / "bench" / label
        folder.mkdir(parents=True, exist_ok=True)
        for i in range(8):
            (folder / f"{i}.png").write_bytes(_png(seed0 + 3 * i))
    dataset = client.post("/v1/datasets", json={"source_uri": (sources / "bench").as_uri()}).json()
    _wait(client, f"/v1/datasets/{dataset['id']}", "status", {"ready", "failed"})
    transform = client.post(
        "/v1/transforms",
        json={
            "resize": {"enabled": True, "size": 36},
            "center_crop": {"enabled": True, "size": 32},
        },
    ).json()
    model = client.post("/v1/models", json={"architecture": "resnet18", "pretrained": False}).json()
    job = client.post(
        "/v1/training-jobs",
        json={
            "model_id": model["id"],
            "train_dataset_id": dataset["id"],
            "transform_id": transform["id"],
            "epochs": 1,
            "batch_size": 8,
        },
    ).json()
    job = _wait(client, f"/v1/training-jobs/{job['id']}", "status", {"succeeded", "failed"})
    assert job["status"] == "succeeded", job
    return str(job["trained_model_id"]), str(job["id"])


def run_phase(
    url: str, seconds: float, concurrency: int, call: Callable[[httpx.Client, int], httpx.Response]
) -> dict[str, float]:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker(n: int) -> None:
        with httpx.Client(base_url=url, timeout=60) as client:
            i = 0
            while time.monotonic() < stop:
                started = time.perf_counter()
                response = call(client, n * 1_000_000 + i)
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)
                    errors[0] += response.status_code >= 400
                i += 1

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - began
    ordered = sorted(latencies)
    return {
        "requests": len(ordered),
        "rps": len(ordered) / wall,
        "p50_ms": 1000 * statistics.median(ordered),
        "p99_ms": 1000 * ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))],
        "errors": errors[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url")
    parser.add_argument("--sources", type=Path, help="the server's file source root (with --url)")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    image = _png(5)
    with own_server() if args.url is None else _given(args.url, args.sources) as (url, sources):
        with httpx.Client(base_url=url, timeout=120) as client:
            trained, job_id = prepare(client, sources)
        phases: dict[str, Callable[[httpx.Client, int], httpx.Response]] = {
            "GET /v1/training-jobs/{id} (status poll)": lambda c, i: c.get(
                f"/v1/training-jobs/{job_id}"
            ),
            "POST /v1/models (build, pretrained=false)": lambda c, i: c.post(
                "/v1/models", json={"architecture": "resnet18", "pretrained": False}
            ),
            "POST /v1/models/{id}/predict (one 32x32 PNG)": lambda c, i: c.post(
                f"/v1/models/{trained}/predict",
                content=image,
                headers={"content-type": "image/png"},
            ),
        }
        print(f"\n{args.concurrency} concurrent clients, {args.seconds:g} s per phase, {url}\n")
        print("| request | requests/s | p50 ms | p99 ms | errors |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for name, call in phases.items():
            r = run_phase(url, args.seconds, args.concurrency, call)
            print(
                f"| {name} | {r['rps']:.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} "
                f"| {r['errors']:.0f} |"
            )


@contextmanager
def _given(url: str, sources: Path | None) -> Iterator[tuple[str, Path]]:
    if sources is None:
        raise SystemExit("--sources is needed with --url (a folder the server may read)")
    yield url, sources


if __name__ == "__main__":
    main()
