"""The job kinds this service runs."""

from __future__ import annotations

from app.jobs.kinds import JobKind, Pool, register

DATASET_INDEX = register(
    JobKind(
        "dataset-index",
        Pool.LIGHT,
        body="app.datasets.tasks:run",
        on_end="app.datasets.service:on_index_end",
    )
)

TRAINING = register(
    JobKind(
        "training",
        Pool.ACCELERATED,
        body="app.training.tasks:run",
        on_end="app.training.artifact:on_training_end",
    )
)

SCORING = register(JobKind("scoring", Pool.ACCELERATED, body="app.scoring.tasks:run"))

# A trivial kind the runner's own tests drive: it sleeps in steps, honours cancel, can fail.
SLEEP = register(JobKind("sleep", Pool.LIGHT, body="app.jobs.sleep:run"))
