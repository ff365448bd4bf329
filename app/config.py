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
_S3_PREFIX = re.compile(r"^s3://[^/\s]+(/.*)?$")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _s3_overlap(first: str, second: str) -> bool:
    """Whether one s3://bucket/prefix lies within the other, by whole '/' segments."""
    a, b = ([p for p in u.removeprefix("s3://").split("/") if p] for u in (first, second))
    shorter = min(len(a), len(b))
    return a[:shorter] == b[:shorter]


def _network(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    try:
        return ipaddress.ip_network(text, strict=False)
    except ValueError:
        return None


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
    # Where a scoring job's output_uri may point: these folders and prefixes only, none by
    # default (a job without output_uri writes to the service's own storage). Never a place that
    # datasets are read from (a job's files would land in a dataset's class folders), so an
    # overlap with the source roots refuses to start.
    output_roots: Annotated[list[Path], NoDecode] = Field(default_factory=list)
    output_s3_prefixes: Annotated[list[str], NoDecode] = Field(default_factory=list)
    max_image_pixels: int = Field(89_478_485, ge=1, description="Pillow's default bomb limit.")
    # Untrusted archives: caps that stop zip and tar bombs while they are being extracted.
    archive_max_entries: int = Field(200_000, ge=1)
    archive_max_total_bytes: int = Field(20 * 1024**3, ge=1)
    archive_max_ratio: float = Field(
        200.0, gt=1, description="Uncompressed / compressed, per file and for the whole archive."
    )
    archive_max_entry_bytes: int = Field(1024**3, ge=1, description="Uncompressed, per file.")
    image_decode_timeout_s: float = Field(30.0, gt=0)
    scoring_part_size: int = Field(2048, ge=1, description="Images per output part (resume unit).")
    predict_max_images: int = Field(32, ge=1, description="Images per real-time request.")
    predict_max_bytes: int = Field(32 * 1024**2, ge=1, description="Real-time request body cap.")
    # Decoding is what costs memory on predict: a 16-bit 9000x9000 PNG is 157 KB and 81 MP. The
    # pixels a request may decode are capped (from the images' headers, before decoding), and so
    # are the requests decoding at once. The peak is under 10 bytes a pixel of one image per
    # decode thread (0.55 GB for that PNG), since each image is cut to the model's input size as
    # soon as it is decoded.
    predict_max_pixels_per_request: int = Field(
        50_000_000,
        ge=1,
        description="Pixels (width x height) of a real-time request's images, added up.",
    )
    predict_decode_workers: int = Field(
        2, ge=1, description="Real-time requests decoding images at once; others wait their turn."
    )
    predict_decode_timeout_s: float = Field(
        30.0, gt=0, description="Longest a real-time request waits for its images to decode."
    )
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
    # Slow clients (README "Limits"): a body must arrive within its timeout, extended by a second
    # per `request_body_min_rate` bytes received (Apache mod_reqtimeout's rule, so a large upload
    # at a sound pace is never cut); 408 past it. Headers: `resnet-studio serve` closes a
    # connection whose request line and headers take longer than their timeout.
    request_body_timeout_s: float = Field(30.0, gt=0, description="Seconds for a whole body.")
    request_body_min_rate: int = Field(
        64 * 1024, ge=0, description="Bytes a second that extend the body's time; 0: none."
    )
    request_header_timeout_s: float = Field(
        10.0, gt=0, description="Seconds for a request's line and headers (`serve` only)."
    )
    max_streams_per_caller: int = Field(
        8, ge=1, description="Open event streams (/v1/*/events) per caller; 429 past it."
    )
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

    redis_url: str | None = Field(
        None,
        description="redis://host:port/db: per-project request quotas are counted there, so "
        "every replica draws on one budget; unset: in this process's memory.",
    )
    # Each project's quotas, unless an operator sets its own (app/api/quotas.py); 0: no limit.
    quota_active_jobs: int = Field(
        100, ge=0, description="Jobs queued or running at once, per project."
    )
    quota_stored_bytes: int = Field(
        0, ge=0, description="Bytes a project may keep in the service's storage."
    )
    quota_open_streams: int = Field(32, ge=0, description="Open event streams, per project.")
    quota_requests_per_minute: int = Field(
        0, ge=0, description="Requests a minute, per project, across all of its keys."
    )

    host: str = "127.0.0.1"
    # The peers (IP addresses or networks, comma-separated) whose X-Forwarded-For and
    # X-Forwarded-Proto are believed (app/api/forwarded.py); default none: the client is the
    # socket's peer, whatever a header says.
    forwarded_allow_ips: Annotated[list[str], NoDecode] = Field(default_factory=list)
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
        "api_key_hashes",
        "file_source_roots",
        "s3_source_prefixes",
        "output_roots",
        "output_s3_prefixes",
        "cors_origins",
        mode="before",
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

    @field_validator("output_s3_prefixes")
    @classmethod
    def _check_output_prefixes(cls, value: list[str]) -> list[str]:
        bad = [v for v in value if not _S3_PREFIX.match(v)]
        if bad:
            raise ValueError(f"output_s3_prefixes must be s3://bucket/prefix URIs: {bad}")
        return value

    @model_validator(mode="after")
    def _refuse_outputs_where_sources_are_read(self) -> Settings:
        for out in self.resolved_output_roots:
            for source in self.resolved_file_source_roots:
                if out.is_relative_to(source) or source.is_relative_to(out):
                    raise ValueError(
                        f"output root {out} overlaps the source root {source}: scoring jobs "
                        "would write where datasets are read; make RESNET_STUDIO_OUTPUT_ROOTS "
                        "and RESNET_STUDIO_FILE_SOURCE_ROOTS disjoint"
                    )
        if self.output_s3_prefixes and not self.s3_source_prefixes:
            raise ValueError(
                "RESNET_STUDIO_OUTPUT_S3_PREFIXES needs RESNET_STUDIO_S3_SOURCE_PREFIXES: without "
                "them every bucket is a source, so every output prefix is one too"
            )
        for prefix in self.output_s3_prefixes:
            for read in self.s3_source_prefixes:
                if _s3_overlap(prefix, read):
                    raise ValueError(
                        f"output prefix {prefix} overlaps the source prefix {read}: scoring "
                        "jobs would write where datasets are read; make "
                        "RESNET_STUDIO_OUTPUT_S3_PREFIXES and RESNET_STUDIO_S3_SOURCE_PREFIXES "
                        "disjoint"
                    )
        return self

    @field_validator("forwarded_allow_ips", mode="before")
    @classmethod
    def _check_proxies(cls, value: object) -> object:
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        if not isinstance(value, list):
            return value  # pydantic says what is wrong with it
        bad = [v for v in value if not isinstance(v, str) or _network(v) is None]
        if bad:
            raise ValueError(
                f"forwarded_allow_ips must be IP addresses or networks (10.0.0.0/8): {bad}"
            )
        return [str(_network(v)) for v in value]

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
    def resolved_output_roots(self) -> list[Path]:
        return [root.resolve() for root in self.output_roots]

    @property
    def resolved_cache_dir(self) -> Path:
        return (self.cache_dir or self.data_dir / "cache").resolve()

    @property
    def trusted_proxies(self) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
        return [ipaddress.ip_network(v) for v in self.forwarded_allow_ips]

    @property
    def auth_enabled(self) -> bool:
        return bool(self.api_key_hashes)


@lru_cache
def get_settings() -> Settings:
    return Settings()
