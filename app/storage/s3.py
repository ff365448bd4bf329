"""s3:// storage through boto3: standard retry mode and explicit timeouts, so a slow or failing
endpoint costs bounded time. Endpoint and credentials come from server settings only."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import boto3
import urllib3
from boto3.exceptions import Boto3Error
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    IncompleteReadError,
    ReadTimeoutError,
    ResponseStreamingError,
)
from botocore.response import StreamingBody

from app.storage.base import (
    ObjectChanged,
    ObjectInfo,
    ObjectNotFound,
    ObjectStore,
    StorageError,
    check_key,
)

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

T = TypeVar("T")

# A GET whose body breaks off: botocore retries a request until its headers arrive and reads a
# GET's body (an error's too, raising urllib3's own error then) after that, where nothing retries.
_CUT_OFF = (
    ReadTimeoutError,
    ResponseStreamingError,
    IncompleteReadError,
    urllib3.exceptions.ProtocolError,
)


@dataclass(frozen=True)
class S3Settings:
    endpoint_url: str | None
    region: str
    access_key_id: str | None
    secret_access_key: str | None
    connect_timeout_s: float
    read_timeout_s: float
    max_attempts: int


def parse_s3_uri(uri: str) -> tuple[str, str]:
    """'s3://bucket/some/prefix' -> ('bucket', 'some/prefix/')."""
    if not uri.startswith("s3://"):
        raise ValueError(f"not an s3:// URI: {uri!r}")
    bucket, _, prefix = uri.removeprefix("s3://").partition("/")
    if not bucket:
        raise ValueError(f"no bucket in {uri!r}")
    prefix = prefix.strip("/")
    return bucket, (prefix + "/" if prefix else "")


def make_client(cfg: S3Settings) -> S3Client:
    config = Config(
        # total_max_attempts counts the first request; botocore's "max_attempts" key here
        # would count retries only (one more attempt than configured).
        retries={"mode": "standard", "total_max_attempts": cfg.max_attempts},
        connect_timeout=cfg.connect_timeout_s,
        read_timeout=cfg.read_timeout_s,
        # Path-style works with every S3-compatible endpoint (MinIO, moto, Ceph).
        s3={"addressing_style": "path"} if cfg.endpoint_url else {},
    )
    client: S3Client = boto3.session.Session().client(
        "s3",
        endpoint_url=cfg.endpoint_url,
        region_name=cfg.region,
        aws_access_key_id=cfg.access_key_id,
        aws_secret_access_key=cfg.secret_access_key,
        config=config,
    )
    return client


def _is_not_found(exc: ClientError) -> bool:
    code = exc.response.get("Error", {}).get("Code", "")
    return code in ("404", "NoSuchKey", "NotFound")


class S3Store(ObjectStore):
    def __init__(self, uri: str, client: S3Client, max_attempts: int = 5) -> None:
        self.bucket, self.prefix = parse_s3_uri(uri)
        self.root_uri = f"s3://{self.bucket}/{self.prefix}"
        self._client = client
        self._max_attempts = max_attempts

    def _key(self, key: str) -> str:
        return self.prefix + check_key(key)

    def _call(self, what: str, fn: Any, **kwargs: Any) -> Any:
        uri = f"s3://{self.bucket}/{kwargs.get('Key', '')}"  # the object, or the bucket
        try:
            return fn(Bucket=self.bucket, **kwargs)
        except ClientError as exc:
            if _is_not_found(exc):
                raise ObjectNotFound(uri) from None
            if exc.response.get("Error", {}).get("Code") in ("412", "PreconditionFailed"):
                raise ObjectChanged(f"{uri} changed since it was recorded") from None
            raise StorageError(f"S3 {what} on {uri} failed: {exc}") from exc
        except BotoCoreError as exc:
            raise StorageError(f"S3 {what} on {uri} failed: {exc}") from exc

    def put_bytes(self, key: str, data: bytes) -> None:
        self._call("put", self._client.put_object, Key=self._key(key), Body=data)

    def put_file(self, key: str, source: Path) -> None:
        # upload_file switches to multipart for large files; an object appears only when whole.
        # It reports S3's refusals as boto3's S3UploadFailedError, not as a ClientError.
        try:
            self._client.upload_file(str(source), self.bucket, self._key(key))
        except (ClientError, BotoCoreError, Boto3Error) as exc:
            raise StorageError(f"S3 upload to {self.uri_for(key)} failed: {exc}") from exc

    def _get(self, key: str, read: Callable[[StreamingBody], T], if_etag: str | None = None) -> T:
        """GET an object and `read` its body, within the configured attempts: botocore retries
        until the headers arrive, this loop a body that breaks off after them."""
        extra = {"IfMatch": f'"{if_etag}"'} if if_etag else {}
        attempt = 1
        while True:
            try:
                response = self._call("get", self._client.get_object, Key=self._key(key), **extra)
                return read(response["Body"])
            except _CUT_OFF as exc:
                if attempt >= self._max_attempts:
                    raise StorageError(f"S3 get of {self.uri_for(key)} failed: {exc}") from exc
                attempt += 1

    def get_bytes(self, key: str) -> bytes:
        return self._get(key, lambda body: body.read())

    def download_file(self, key: str, dest: Path, if_etag: str | None = None) -> None:
        # One streamed GET (conditional when pinned to an ETag), not the transfer manager: its
        # own retries would multiply botocore's, and it cannot send If-Match.
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(f".{dest.name}.part")

        def write(body: StreamingBody) -> None:
            with tmp.open("wb") as out:  # a retry starts the file over
                shutil.copyfileobj(body, out, 1 << 20)

        try:
            self._get(key, write, if_etag)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        os.replace(tmp, dest)

    def head(self, key: str) -> ObjectInfo:
        response = self._call("head", self._client.head_object, Key=self._key(key))
        return ObjectInfo(key=key, size=response["ContentLength"], etag=response["ETag"].strip('"'))

    def exists(self, key: str) -> bool:
        try:
            self._call("head", self._client.head_object, Key=self._key(key))
        except ObjectNotFound:
            return False
        return True

    def list(self, prefix: str = "") -> Iterator[ObjectInfo]:
        full = self.prefix + (check_key(prefix) if prefix else "")
        paginator = self._client.get_paginator("list_objects_v2")
        try:
            for page in paginator.paginate(Bucket=self.bucket, Prefix=full):
                for obj in page.get("Contents", []):
                    yield ObjectInfo(
                        key=obj["Key"][len(self.prefix) :],
                        size=obj["Size"],
                        etag=obj["ETag"].strip('"'),
                    )
        except (ClientError, BotoCoreError) as exc:
            raise StorageError(f"S3 list of s3://{self.bucket}/{full} failed: {exc}") from exc

    def delete(self, key: str) -> None:
        self._call("delete", self._client.delete_object, Key=self._key(key))

    def delete_prefix(self, prefix: str) -> int:
        if not prefix.endswith("/"):
            raise ValueError("prefix must end in '/'")
        keys = [self.prefix + info.key for info in self.list(prefix)]
        for start in range(0, len(keys), 1000):  # DeleteObjects takes 1000 keys at most
            batch = [{"Key": k} for k in keys[start : start + 1000]]
            result = self._call(
                "delete", self._client.delete_objects, Delete={"Objects": batch, "Quiet": True}
            )
            if result.get("Errors"):
                raise StorageError(f"S3 refused to delete {len(result['Errors'])} objects")
        return len(keys)

    def check(self) -> None:
        try:
            self._call("head-bucket", self._client.head_bucket)
        except ObjectNotFound:
            raise StorageError(f"S3 head-bucket: bucket {self.bucket!r} does not exist") from None
