"""Server settings: one typed object, read from the environment (prefix RESNET_STUDIO_), validated
once at start-up so a misconfigured server refuses to start instead of failing on a request."""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

_SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
_ORIGIN = re.compile(r"^https?://[^/\s]+/?$")  # an origin has no path


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RESNET_STUDIO_", extra="ignore")

    data_dir: Path = Field(Path("data"), description="Root for the embedded defaults.")
    database_url: str | None = Field(
        None, description="SQLAlchemy URL; default: a SQLite file under data_dir."
    )
    storage_uri: str | None = Field(
        None, description="file:// folder or s3://bucket/prefix; default: data_dir/storage."
    )

    # S3: the endpoint and credentials come from here only, never from a request.
    s3_endpoint_url: str | None = None
    s3_region: str = "us-east-1"
    s3_access_key_id: str | None = None
    s3_secret_access_key: SecretStr | None = None
    s3_connect_timeout_s: float = Field(5.0, gt=0)
    s3_read_timeout_s: float = Field(30.0, gt=0)
    s3_max_attempts: int = Field(5, ge=1, le=20)

    # Pretrained weights: a local folder first, then an optional s3:// prefix, then (if allowed)
    # a download. Files are looked up by torchvision's own file names.
    weights_dir: Path | None = Field(None, description="Default: data_dir/weights.")
    weights_s3_uri: str | None = None
    weights_download: bool = False
    weights_download_base_url: str = "https://download.pytorch.org/models/"
    weights_download_timeout_s: float = Field(20.0, gt=0)
    weights_verify_hash: bool = Field(
        True, description="Check the sha256 prefix that torchvision puts in each file name."
    )

    # Auth: SHA-256 hex digests of the accepted API keys (never the keys themselves).
    # Comma-separated in the environment.
    api_key_hashes: Annotated[list[str], NoDecode] = Field(default_factory=list)

    # The embedded job runner (same process as `serve`, or `resnet-studio worker`).
    runner_enabled: bool = True
    runner_light_slots: int = Field(2, ge=0, description="Concurrent indexing jobs.")
    runner_accelerated_slots: int | None = Field(
        None, ge=0, description="Concurrent training/scoring jobs; default one per GPU, else 1."
    )
    runner_poll_s: float = Field(0.5, gt=0)
    job_lease_s: float = Field(
        15.0, ge=1, description="A job whose worker is silent this long is resumed."
    )
    job_max_attempts: int = Field(3, ge=1, le=20)
    job_cancel_grace_s: float = Field(60.0, gt=0)
    job_progress_event_s: float = Field(
        1.0, ge=0, description="At most one progress write per this many seconds."
    )

    # Where datasets may be registered from. file:// sources must lie under one of these folders
    # (default: data_dir/sources); s3:// sources under one of these prefixes (default: any
    # bucket the server's credentials reach).
    file_source_roots: Annotated[list[Path], NoDecode] = Field(default_factory=list)
    s3_source_prefixes: Annotated[list[str], NoDecode] = Field(default_factory=list)
    max_image_pixels: int = Field(89_478_485, ge=1, description="Pillow's default bomb limit.")
    # Untrusted archives: caps that stop zip and tar bombs while they are being extracted.
    archive_max_entries: int = Field(200_000, ge=1)
    archive_max_total_bytes: int = Field(20 * 1024**3, ge=1)
    archive_max_ratio: float = Field(200.0, gt=1, description="Uncompressed / compressed.")
    image_decode_timeout_s: float = Field(30.0, gt=0)
    scoring_part_size: int = Field(2048, ge=1, description="Images per output part (resume unit).")
    predict_max_images: int = Field(32, ge=1, description="Images per real-time request.")
    predict_max_bytes: int = Field(32 * 1024**2, ge=1, description="Real-time request body cap.")
    predict_cache_models: int = Field(2, ge=1, description="Trained models kept loaded.")
    max_upload_bytes: int = Field(2 * 1024**3, ge=1)
    # Request limits (README "Limits"): bodies (413; the routes that take more are listed in
    # app/api/limits.py), requests per caller (429; in memory, per process), sizes (422).
    max_request_bytes: int = Field(16 * 1024**2, ge=1, description="Body cap of other routes.")
    rate_limit_per_minute: int = Field(
        600, ge=0, description="Steady /v1 requests per caller per minute; 0 disables the limit."
    )
    rate_limit_burst: int = Field(
        100, ge=0, description="Requests a caller may make at once; 0 disables the limit."
    )
    max_batch_size: int = Field(4096, ge=1, description="batch_size of training/scoring jobs.")
    cache_dir: Path | None = Field(
        None, description="Local copies of S3 objects; default data_dir/cache."
    )
    data_path: Literal["auto", "pil", "device"] = Field(
        "auto",
        description=(
            "How training and scoring jobs decode and transform images: 'device' on the job's "
            "device (nvJPEG, a decoded-image cache; app.ml.fastpath), 'pil' with Pillow in "
            "worker processes, 'auto' device on a GPU and pil on the CPU."
        ),
    )

    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    page_size_max: int = Field(200, ge=1)

    # Operations (app.observability): log lines as text or one JSON object each, and the
    # browser origins allowed to call the API (comma-separated; empty: no CORS headers at all).
    log_format: Literal["text", "json"] = Field(
        "text", description="'json': one JSON object per log line, for a log shipper."
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Origins (scheme://host[:port]) allowed by CORS, or '*'; default none.",
    )

    @field_validator(
        "api_key_hashes", "file_source_roots", "s3_source_prefixes", "cors_origins", mode="before"
    )
    @classmethod
    def _split_list(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("api_key_hashes")
    @classmethod
    def _check_hashes(cls, value: list[str]) -> list[str]:
        normalised = [v.lower().removeprefix("sha256:") for v in value]
        bad = [v for v in normalised if not _SHA256_HEX.match(v)]
        if bad:
            raise ValueError(
                "api_key_hashes must be SHA-256 hex digests (64 hex characters); "
                "make one with `resnet-studio hash-key`"
            )
        return normalised

    @field_validator("cors_origins")
    @classmethod
    def _check_origins(cls, value: list[str]) -> list[str]:
        bad = [v for v in value if v != "*" and not _ORIGIN.match(v)]
        if bad:
            raise ValueError(
                f"cors_origins must be '*' or origins like https://app.example.com: {bad}"
            )
        return [v.rstrip("/") for v in value]

    @field_validator("storage_uri", "weights_s3_uri")
    @classmethod
    def _check_uri(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("file://", "s3://")):
            raise ValueError("must be a file:// or s3:// URI")
        return value

    @field_validator("weights_s3_uri")
    @classmethod
    def _check_weights_uri(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("s3://"):
            raise ValueError("weights_s3_uri must be an s3:// prefix")
        return value

    @model_validator(mode="after")
    def _refuse_open_network_without_keys(self) -> Settings:
        # An unauthenticated server must not be reachable from other machines.
        if not self.api_key_hashes and not _is_loopback(self.host):
            raise ValueError(
                f"host {self.host!r} is not loopback and no API keys are configured: set "
                "RESNET_STUDIO_API_KEY_HASHES or bind to 127.0.0.1"
            )
        return self

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'resnet-studio.db').resolve()}"

    @property
    def resolved_storage_uri(self) -> str:
        return self.storage_uri or (self.data_dir / "storage").resolve().as_uri()

    @property
    def resolved_weights_dir(self) -> Path:
        return self.weights_dir or self.data_dir / "weights"

    @property
    def resolved_file_source_roots(self) -> list[Path]:
        roots = self.file_source_roots or [self.data_dir / "sources"]
        return [root.resolve() for root in roots]

    @property
    def resolved_cache_dir(self) -> Path:
        return (self.cache_dir or self.data_dir / "cache").resolve()

    @property
    def auth_enabled(self) -> bool:
        return bool(self.api_key_hashes)


@lru_cache
def get_settings() -> Settings:
    return Settings()
