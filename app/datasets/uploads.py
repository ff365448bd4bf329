"""Archives uploaded straight from a client (or Swagger UI): streamed to storage, then indexed."""

from __future__ import annotations

import re
import tempfile
import uuid
from pathlib import Path

from fastapi import UploadFile
from sqlalchemy.orm import Session

from app.api import quotas
from app.api.quotas import Quota
from app.config import Settings
from app.datasets.schemas import DatasetCreate, SourceFormat
from app.datasets.service import ARCHIVE_SUFFIXES, register, stored_bytes_in_project
from app.datasets.snapshot import dataset_prefix
from app.db.tables import DatasetRecord
from app.db.tenancy import project_of
from app.errors import InvalidRequest, PayloadTooLarge
from app.storage import ObjectStore

_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def safe_filename(name: str | None) -> str:
    """The client's file name, reduced to a harmless basename that keeps its archive suffix."""
    base = _SAFE_NAME.sub("_", Path((name or "").replace("\\", "/")).name).lstrip("._")
    if not base.lower().endswith(ARCHIVE_SUFFIXES):
        raise InvalidRequest(f"upload an archive ({', '.join(ARCHIVE_SUFFIXES)}); got {name!r}")
    return base[-200:]


def register_upload(
    session: Session,
    settings: Settings,
    store: ObjectStore,
    file: UploadFile,
    name: str | None,
    description: str | None,
) -> DatasetRecord:
    filename = safe_filename(file.filename)
    # The project's stored-bytes quota counts what its datasets keep (app.api.quotas): an
    # upload that would go over it is refused as it arrives, before it is stored.
    project = project_of(session)
    quota = quotas.limit_of(session, settings, project, Quota.STORED_BYTES) if project else 0
    used = stored_bytes_in_project(session, project) if project and quota else 0
    dataset_id = str(uuid.uuid4())
    key = f"{dataset_prefix(dataset_id)}upload/{filename}"
    with tempfile.TemporaryDirectory() as tmp:
        staged = Path(tmp) / filename
        written = 0
        with staged.open("wb") as out:
            while chunk := file.file.read(1 << 20):
                written += len(chunk)
                quotas.check(Quota.STORED_BYTES, quota, used, written)
                if written > settings.max_upload_bytes:
                    raise PayloadTooLarge(
                        f"the upload is larger than {settings.max_upload_bytes} bytes; "
                        "put the archive in storage and register it by URI instead"
                    )
                out.write(chunk)
        if written == 0:
            raise InvalidRequest("the uploaded file is empty")
        store.put_file(key, staged)
    body = DatasetCreate(
        source_uri=store.uri_for(key),
        format=SourceFormat.ARCHIVE,
        name=name or filename,
        description=description,
    )
    try:
        record = register(session, settings, store, body, dataset_id=dataset_id)
    except BaseException:
        store.delete_prefix(dataset_prefix(dataset_id))
        raise
    record.stored_bytes = written  # kept while indexing, and after, whatever its outcome
    return record
