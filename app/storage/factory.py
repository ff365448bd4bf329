from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from app.config import Settings
from app.storage.base import ObjectStore
from app.storage.local import LocalStore
from app.storage.s3 import S3Settings, S3Store, make_client


def s3_settings(settings: Settings) -> S3Settings:
    secret = settings.s3_secret_access_key
    return S3Settings(
        endpoint_url=settings.s3_endpoint_url,
        region=settings.s3_region,
        access_key_id=settings.s3_access_key_id,
        secret_access_key=secret.get_secret_value() if secret else None,
        connect_timeout_s=settings.s3_connect_timeout_s,
        read_timeout_s=settings.s3_read_timeout_s,
        max_attempts=settings.s3_max_attempts,
    )


def open_store(uri: str, settings: Settings) -> ObjectStore:
    """A store rooted at a file:// folder or an s3://bucket/prefix."""
    if uri.startswith("s3://"):
        cfg = s3_settings(settings)
        return S3Store(uri, make_client(cfg), max_attempts=cfg.max_attempts)
    parsed = urlparse(uri)
    if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
        raise ValueError(f"unsupported storage URI {uri!r}: use file:///path or s3://bucket/prefix")
    return LocalStore(Path(unquote(parsed.path)))
