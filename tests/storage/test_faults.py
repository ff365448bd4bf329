"""s3:// storage through a proxy that breaks requests: transient faults (503 SlowDown, 500, a
response held past the read timeout, a reset connection, a body cut off) are retried and the
operation succeeds; a persistent one ends in a StorageError within the time the settings allow."""

from __future__ import annotations

import hashlib
import http.client
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import boto3
import pytest
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.retries.standard import ExponentialBackoff

from app.config import Settings
from app.storage import ObjectNotFound, ObjectStore, StorageError, open_store
from tests.fixtures.faulty_s3 import Fault, FaultyS3
from tests.fixtures.storage import S3_CREDENTIALS

ATTEMPTS = 4
PAYLOAD = bytes(range(256)) * 400  # 100 KiB, not one repeated byte: a cut-off body shows


@pytest.fixture(autouse=True)
def steady_jitter(monkeypatch: pytest.MonkeyPatch) -> None:
    """botocore waits rand(0, 1) x min(base x 2^i, 20 s) before retry i (base 1 s for throttling
    such as SlowDown, 50 ms otherwise). The random factor is pinned to 0.05 here, so a test takes
    the same short time on every run; the bounds asserted below hold for any factor."""
    original = ExponentialBackoff.__init__

    def init(self: ExponentialBackoff, *args: Any, **kwargs: Any) -> None:
        kwargs["random"] = lambda: 0.05
        original(self, *args, **kwargs)

    monkeypatch.setattr(ExponentialBackoff, "__init__", init)


@pytest.fixture
def settings(faulty_s3: FaultyS3) -> Settings:
    return Settings(
        s3_endpoint_url=faulty_s3.url,
        s3_connect_timeout_s=1,
        s3_read_timeout_s=1,
        s3_max_attempts=ATTEMPTS,
        **S3_CREDENTIALS,
    )


@pytest.fixture
def store(settings: Settings, s3_bucket: str) -> ObjectStore:
    return open_store(f"s3://{s3_bucket}/root", settings)


@pytest.fixture
def seeded(store: ObjectStore) -> ObjectStore:
    """The objects the operations read, written before any fault is planned."""
    store.put_bytes("data/blob.bin", PAYLOAD)
    store.put_bytes("data/other.txt", b"other")
    return store


# -- the operations, each with the requests it makes ------------------------------------------
@dataclass(frozen=True)
class Op:
    method: str
    path: str  # a regular expression searched in the request target
    run: Callable[[ObjectStore, Path], None]


def _put_bytes(store: ObjectStore, tmp: Path) -> None:
    store.put_bytes("out/new.bin", PAYLOAD)
    assert store.get_bytes("out/new.bin") == PAYLOAD


def _put_file(store: ObjectStore, tmp: Path) -> None:
    source = tmp / "source.bin"
    source.write_bytes(PAYLOAD)
    store.put_file("out/file.bin", source)
    assert store.get_bytes("out/file.bin") == PAYLOAD


def _get_bytes(store: ObjectStore, tmp: Path) -> None:
    assert store.get_bytes("data/blob.bin") == PAYLOAD


def _head(store: ObjectStore, tmp: Path) -> None:
    info = store.head("data/blob.bin")
    assert info.size == len(PAYLOAD) and info.etag
    assert store.exists("data/other.txt")


def _list(store: ObjectStore, tmp: Path) -> None:
    assert [i.key for i in store.list("data/")] == ["data/blob.bin", "data/other.txt"]


def _delete(store: ObjectStore, tmp: Path) -> None:
    store.delete("data/other.txt")
    assert not store.exists("data/other.txt")


def _delete_prefix(store: ObjectStore, tmp: Path) -> None:
    there = len(list(store.list("data/")))
    assert store.delete_prefix("data/") == there > 0
    assert list(store.list("data/")) == []


def _download_file(store: ObjectStore, tmp: Path) -> None:
    dest = tmp / "down" / "blob.bin"
    store.download_file("data/blob.bin", dest)
    assert dest.read_bytes() == PAYLOAD
    assert [p.name for p in dest.parent.iterdir()] == ["blob.bin"]  # no partial file left


def _download_pinned(store: ObjectStore, tmp: Path) -> None:
    dest = tmp / "pinned.bin"
    store.download_file("data/blob.bin", dest, if_etag=store.head("data/blob.bin").etag)
    assert dest.read_bytes() == PAYLOAD


OPS = {  # in this order: the reads find what they expect, and the deletes come last
    "put_bytes": Op("PUT", r"/out/new\.bin", _put_bytes),
    "put_file": Op("PUT", r"/out/file\.bin", _put_file),
    "get_bytes": Op("GET", r"/data/blob\.bin", _get_bytes),
    "head": Op("HEAD", r"/data/", _head),
    "list": Op("GET", r"list-type=2", _list),
    "download_file": Op("GET", r"/data/blob\.bin", _download_file),
    "download_file_if_etag": Op("GET", r"/data/blob\.bin", _download_pinned),
    "delete": Op("DELETE", r"/data/other\.txt", _delete),
    "delete_prefix": Op("POST", r"\?delete", _delete_prefix),
}

TRANSIENT = [
    (Fault.SLOW_DOWN, 2),
    (Fault.INTERNAL_ERROR, 2),
    (Fault.TIMEOUT, 1),
    (Fault.RESET, 2),
    (Fault.RESET_MID_BODY, 2),
]
# A time-out costs the full read timeout: not on the two operations whose requests others share
# (a conditional download is download_file's GET; delete_prefix is a list and a POST).
SKIP_TIMEOUT = {"download_file_if_etag", "delete_prefix"}


@pytest.mark.parametrize(("fault", "times"), TRANSIENT, ids=[f for f, _ in TRANSIENT])
def test_every_operation_succeeds_despite_transient_faults(
    seeded: ObjectStore, faulty_s3: FaultyS3, tmp_path: Path, fault: Fault, times: int
) -> None:
    names = [n for n in OPS if fault is not Fault.TIMEOUT or n not in SKIP_TIMEOUT]
    for name in names:
        op = OPS[name]
        rule = faulty_s3.plan.fail(fault, method=op.method, path=op.path, times=times)
        op.run(seeded, tmp_path)
        assert rule.times == 0, f"{name}: the fault was not injected {times} times"
    assert len(faulty_s3.plan.injected(fault)) == times * len(names)


# Every fault on every operation; the time-out on one only, as it costs the full timeouts.
PERSISTENT: dict[Fault, list[str]] = {f: list(OPS) for f in Fault if f is not Fault.TIMEOUT}
PERSISTENT[Fault.TIMEOUT] = ["download_file"]


@pytest.mark.parametrize("fault", list(PERSISTENT))
def test_a_persistent_fault_ends_in_a_storage_error_in_bounded_time(
    seeded: ObjectStore, faulty_s3: FaultyS3, settings: Settings, tmp_path: Path, fault: Fault
) -> None:
    for name in PERSISTENT[fault]:
        op = OPS[name]
        faulty_s3.plan.clear()
        before = len(faulty_s3.plan.injected(fault))
        faulty_s3.plan.fail_always(fault, method=op.method, path=op.path)
        with pytest.raises(StorageError) as raised:
            op.run(seeded, tmp_path)
        # Exactly the configured attempts, no more, whoever retries (botocore, s3transfer or
        # the store), each bounded by the connect and read timeouts: so the whole is bounded
        # for any fault (stated as a count, not a wall-clock reading on a shared machine).
        assert len(faulty_s3.plan.injected(fault)) - before == ATTEMPTS, name
        assert "s3://" in str(raised.value), name
        assert not list(tmp_path.rglob("*.part")), name  # no partial download left behind


def test_a_missing_object_whose_error_is_cut_off_is_still_not_found(
    seeded: ObjectStore, faulty_s3: FaultyS3, tmp_path: Path
) -> None:
    # botocore reads a GET's error body outside its retries; cut off, it raised urllib3's error.
    faulty_s3.plan.fail(Fault.RESET_MID_BODY, method="GET", path="/nothing", times=2)
    with pytest.raises(ObjectNotFound):
        seeded.get_bytes("nothing/here")
    faulty_s3.plan.fail(Fault.RESET_MID_BODY, method="GET", path="/nothing", times=2)
    with pytest.raises(ObjectNotFound):
        seeded.download_file("nothing/here", tmp_path / "x")
    assert len(faulty_s3.plan.injected()) == 4 and not list(tmp_path.iterdir())


# -- the proxy itself -------------------------------------------------------------------------
def s3_client(endpoint: str) -> Any:
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(s3={"addressing_style": "path"}),
    )


class _Recorder(BaseHTTPRequestHandler):
    """An upstream that records each request as it arrives and answers 200."""

    protocol_version = "HTTP/1.1"
    seen: ClassVar[list[tuple[str, str, Message, bytes]]] = []

    def do_PUT(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.seen.append((self.command, self.path, self.headers, body))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.send_header("ETag", '"0"')
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def recorder() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    _Recorder.seen.clear()


def test_requests_reach_the_server_with_a_valid_signature(recorder: str) -> None:
    proxy = FaultyS3(recorder).start()
    try:
        s3_client(proxy.url).put_object(
            Bucket="b", Key="k/x.bin", Body=PAYLOAD, ContentType="application/x-test"
        )
    finally:
        proxy.stop()
    [(method, path, headers, body)] = _Recorder.seen
    assert body == PAYLOAD and headers["Host"] == proxy.url.removeprefix("http://")
    # Recompute SigV4 from what arrived: the headers it signed, the path, the body's hash.
    authorization = headers["Authorization"].removeprefix("AWS4-HMAC-SHA256 ")
    fields = dict(part.strip().split("=", 1) for part in authorization.split(","))
    signed = fields["SignedHeaders"].split(";")
    assert "host" in signed and headers["X-Amz-Content-SHA256"] == hashlib.sha256(body).hexdigest()
    request = AWSRequest(
        method=method,
        url=f"http://{headers['Host']}{path}",
        headers={name: headers[name] for name in signed},
        data=body,
    )
    request.context["timestamp"] = headers["X-Amz-Date"]
    signer = S3SigV4Auth(Credentials("testing", "testing"), "s3", "us-east-1")
    string_to_sign = signer.string_to_sign(request, signer.canonical_request(request))
    assert signer.signature(string_to_sign, request) == fields["Signature"]


def test_the_proxy_passes_ranges_etags_and_chunked_bodies_through(
    seeded: ObjectStore, faulty_s3: FaultyS3, moto_endpoint: str, s3_bucket: str
) -> None:
    direct, proxied = s3_client(moto_endpoint), s3_client(faulty_s3.url)
    key = "root/data/blob.bin"
    ranged = proxied.get_object(Bucket=s3_bucket, Key=key, Range="bytes=10-19")
    assert ranged["ResponseMetadata"]["HTTPStatusCode"] == 206
    assert ranged["ContentRange"] == f"bytes 10-19/{len(PAYLOAD)}"
    assert ranged["Body"].read() == PAYLOAD[10:20]
    assert (
        proxied.head_object(Bucket=s3_bucket, Key=key)["ETag"]
        == direct.head_object(Bucket=s3_bucket, Key=key)["ETag"]
    )

    # An HTTP/1.1 chunked upload (unsigned; moto does not check signatures) arrives whole.
    host = faulty_s3.url.removeprefix("http://")
    conn = http.client.HTTPConnection(host, timeout=5)
    conn.request(
        "PUT",
        f"/{s3_bucket}/root/chunked.bin",
        body=iter([PAYLOAD[:1000], PAYLOAD[1000:]]),
        headers={"Transfer-Encoding": "chunked"},
        encode_chunked=True,
    )
    response = conn.getresponse()
    response.read()
    conn.close()
    assert response.status == 200
    assert seeded.get_bytes("chunked.bin") == PAYLOAD
