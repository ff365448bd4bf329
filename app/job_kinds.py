"""Every job kind this service runs, handed to the runner as arq's `WorkerSettings.functions`
are: each domain declares its own kind beside its job's body, and only this list names them."""

from __future__ import annotations

from app.datasets.tasks import INDEXING
from app.jobs.kinds import JobKinds
from app.jobs.sleep import SLEEP
from app.scoring.tasks import SCORING
from app.training.tasks import TRAINING

KINDS = JobKinds([INDEXING, TRAINING, SCORING, SLEEP])
