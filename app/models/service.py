"""Rules for models: building an untrained model directory, listing, deleting."""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from app.api.pagination import Page, decode_cursor, page_of
from app.db.tables import ModelRecord, ModelTagRecord
from app.db.types import utcnow
from app.errors import Conflict, InvalidRequest, NotFound, WeightsUnavailable
from app.ml.architectures import (
    Architecture,
    BuildOptions,
    IncompatibleWeights,
    check_backbone_state,
    imagenet_weights,
    normalise_state_keys,
)
from app.ml.model_dir import (
    CONFIG_FILE,
    CURVES_FILE,
    INITIAL_WEIGHTS_FILE,
    ModelDirConfig,
    Preprocessing,
)
from app.ml.state_io import UnsafeOrCorruptWeights, load_state_dict, save_state_dict
from app.models.files import model_prefix
from app.models.repository import ModelRepository
from app.models.schemas import Model, ModelCreate, ModelLinks, ModelStatus, SourceWeights
from app.storage import ObjectStore
from app.weights.store import WeightsCorrupt, WeightsMissing, WeightsStore


def to_schema(record: ModelRecord) -> Model:
    source = None
    if record.weights_name and record.weights_file and record.weights_sha256:
        source = SourceWeights(
            name=record.weights_name, file_name=record.weights_file, sha256=record.weights_sha256
        )
    return Model(
        id=record.id,
        name=record.name,
        description=record.description,
        tags=[t.tag for t in record.tags],
        status=ModelStatus(record.status),
        architecture=Architecture(record.architecture),
        family=Architecture(record.architecture).family,
        pretrained=record.pretrained,
        zero_init_residual=record.zero_init_residual,
        memory_efficient=record.memory_efficient,
        source_weights=source,
        num_classes=record.num_classes,
        class_names=record.class_names,
        training_job_id=record.training_job_id,
        metrics=record.metrics,
        storage_uri=record.storage_uri,
        created_at=record.created_at,
        updated_at=record.updated_at,
        links=ModelLinks(
            self=f"/v1/models/{record.id}",
            architecture=f"/v1/architectures/{record.architecture}",
            training_curves=f"/v1/models/{record.id}/training-curves"
            if record.status == ModelStatus.TRAINED.value
            else None,
        ),
    )


def _stage_pretrained(
    store: ObjectStore,
    weights: WeightsStore,
    arch: Architecture,
    options: BuildOptions,
    prefix: str,
) -> SourceWeights:
    """Copy verified ImageNet weights into the model directory, or fail with what to fix."""
    info = imagenet_weights(arch)
    try:
        path, sha256 = weights.fetch(info)
        state = load_state_dict(path)
        check_backbone_state(arch, state, options)
    except (WeightsMissing, WeightsCorrupt, UnsafeOrCorruptWeights, IncompatibleWeights) as exc:
        raise WeightsUnavailable(str(exc)) from exc
    normalised = normalise_state_keys(arch, state)
    if normalised is state:
        store.put_file(prefix + INITIAL_WEIGHTS_FILE, path)
    else:  # legacy DenseNet key names: store them the way the network names them now
        with tempfile.TemporaryDirectory() as tmp:
            staged = Path(tmp) / INITIAL_WEIGHTS_FILE
            save_state_dict(normalised, staged)
            store.put_file(prefix + INITIAL_WEIGHTS_FILE, staged)
    return SourceWeights(name=info.name, file_name=info.file_name, sha256=sha256)


def create_model(
    session: Session, store: ObjectStore, weights: WeightsStore, body: ModelCreate
) -> ModelRecord:
    arch = body.architecture
    options = BuildOptions(
        zero_init_residual=body.zero_init_residual, memory_efficient=body.memory_efficient
    )
    try:
        options.builder_kwargs(arch)
    except ValueError as exc:
        raise InvalidRequest(str(exc)) from None

    model_id = str(uuid.uuid4())
    prefix = model_prefix(model_id)
    source = _stage_pretrained(store, weights, arch, options, prefix) if body.pretrained else None
    info = imagenet_weights(arch)
    config = ModelDirConfig(
        architecture=arch,
        pretrained=body.pretrained,
        options=options,
        initial_weights=INITIAL_WEIGHTS_FILE if source else None,
        source_weights=source.model_dump() if source else {},
        preprocessing=Preprocessing(
            resize_size=info.resize_size, crop_size=info.crop_size, mean=info.mean, std=info.std
        ),
    )
    try:
        store.put_bytes(prefix + CONFIG_FILE, config.to_json())
        record = ModelRecord(
            id=model_id,
            name=body.name,
            description=body.description,
            status=ModelStatus.UNTRAINED.value,
            architecture=arch.value,
            family=arch.family.value,
            pretrained=body.pretrained,
            zero_init_residual=body.zero_init_residual,
            memory_efficient=body.memory_efficient,
            weights_name=source.name if source else None,
            weights_file=source.file_name if source else None,
            weights_sha256=source.sha256 if source else None,
            storage_uri=store.uri_for(prefix.rstrip("/")),
            tags=[ModelTagRecord(tag=t) for t in sorted(set(body.tags))],
        )
        return ModelRepository(session).add(record)
    except BaseException:
        store.delete_prefix(prefix)  # nothing half-made stays behind
        raise


def get_model(session: Session, model_id: str) -> ModelRecord:
    record = ModelRepository(session).get(model_id)
    if record is None:
        raise NotFound(f"No model with id {model_id!r}.")
    return record


def list_models(
    session: Session,
    *,
    limit: int,
    cursor: str | None,
    status: ModelStatus | None,
    architecture: Architecture | None,
    tag: str | None,
) -> Page[Model]:
    rows = ModelRepository(session).list(
        limit=limit + 1,
        after=decode_cursor(cursor) if cursor else None,
        status=status.value if status else None,
        architecture=architecture.value if architecture else None,
        tag=tag,
    )
    return page_of(rows, limit, to_schema)


def delete_model(session: Session, store: ObjectStore, model_id: str) -> None:
    record = get_model(session, model_id)
    active = ModelRepository(session).active_jobs(record.id)
    if active:
        raise Conflict(f"Jobs still use this model ({', '.join(active)}); cancel them or wait.")
    # Files first: if storage fails, the row stays and the delete can be retried.
    store.delete_prefix(model_prefix(record.id))
    ModelRepository(session).delete(record)


def training_curves(session: Session, store: ObjectStore, model_id: str) -> bytes:
    record = get_model(session, model_id)
    if record.status != ModelStatus.TRAINED.value:
        raise Conflict(f"Model {model_id} is {record.status}: only trained models have curves.")
    return store.get_bytes(model_prefix(record.id) + CURVES_FILE)


def add_trained(
    session: Session,
    *,
    model_id: str,
    training_job_id: str,
    architecture: Architecture,
    pretrained: bool,
    options: BuildOptions,
    source_weights: SourceWeights | None,
    class_names: list[str],
    metrics: dict[str, Any],
    storage_uri: str,
    name: str | None,
    tags: list[str],
) -> ModelRecord:
    """The Model resource of a trained model whose files are whole in storage; a repeat for the
    same id (a job ending twice) returns the one already recorded."""
    repo = ModelRepository(session)
    existing = repo.get(model_id)
    if existing is not None:
        return existing
    now = utcnow()
    return repo.add(
        ModelRecord(
            id=model_id,
            name=name,
            description=f"trained by job {training_job_id}",
            status=ModelStatus.TRAINED.value,
            architecture=architecture.value,
            family=architecture.family.value,
            pretrained=pretrained,
            zero_init_residual=options.zero_init_residual,
            memory_efficient=options.memory_efficient,
            weights_name=source_weights.name if source_weights else None,
            weights_file=source_weights.file_name if source_weights else None,
            weights_sha256=source_weights.sha256 if source_weights else None,
            num_classes=len(class_names),
            class_names=class_names,
            training_job_id=training_job_id,
            metrics=metrics,
            storage_uri=storage_uri,
            created_at=now,
            updated_at=now,
            tags=[ModelTagRecord(tag=t) for t in sorted(set(tags))],
        )
    )
