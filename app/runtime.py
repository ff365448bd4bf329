"""What a running server holds: settings, database, storage. Built once per process at start-up."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from app.api.project_rate import ProjectRequestRate
from app.api.streams import StreamSlots
from app.config import Settings
from app.db.engine import make_engine, make_session_factory
from app.db.migrate import upgrade_to_head
from app.ml.model_cache import ModelCache
from app.ml.predict import TrainedModel
from app.storage import ObjectStore, open_store
from app.weights.store import WeightsStore


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    store: ObjectStore
    weights: WeightsStore
    # Trained models loaded for predict and export (app.serving.cache fills it).
    predictors: ModelCache[TrainedModel]
    # The event streams each caller holds open (app.jobs.http caps them).
    streams: StreamSlots
    # The event streams each project holds open (its open_streams quota, app.api.quotas).
    project_streams: StreamSlots
    # Each project's requests in the last minute (its requests_per_minute quota).
    project_requests: ProjectRequestRate
    # Where predict decodes its images (app.serving.decoding): a few threads, so a burst of
    # requests queues for them instead of decoding all at once, each with its own peak memory.
    decoders: ThreadPoolExecutor

    @classmethod
    def start(cls, settings: Settings, migrate: bool = True) -> Runtime:
        engine = make_engine(settings.resolved_database_url)
        if migrate:
            upgrade_to_head(engine)
        remote_weights = (
            open_store(settings.weights_s3_uri, settings) if settings.weights_s3_uri else None
        )
        return cls(
            settings=settings,
            engine=engine,
            sessions=make_session_factory(engine),
            store=open_store(settings.resolved_storage_uri, settings),
            weights=WeightsStore(settings, remote_weights),
            predictors=ModelCache(settings.predict_cache_models),
            streams=StreamSlots(settings.max_streams_per_caller),
            project_streams=StreamSlots(0),
            project_requests=ProjectRequestRate(settings.redis_url),
            decoders=ThreadPoolExecutor(
                settings.predict_decode_workers, thread_name_prefix="predict-decode"
            ),
        )

    def close(self) -> None:
        # Not waiting: a decode nobody waits for any more must not hold up the shutdown.
        self.decoders.shutdown(wait=False, cancel_futures=True)
        self.engine.dispose()
