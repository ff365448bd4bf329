"""What a running server holds: settings, database, storage. Built once per process at start-up."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

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
        )

    def close(self) -> None:
        self.engine.dispose()
