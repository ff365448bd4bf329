"""The scoring job: stage in the model and the images, score them part by part (a resumed job
starts after the last part it wrote), then join the parts and evaluate against the labels."""

from __future__ import annotations

import json
import math
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.datasets.schemas import SourceFormat
from app.datasets.service import detect_format
from app.datasets.snapshot import IndexRow, read_index
from app.datasets.sources import ObjectCache, SourceAccess, SourceNotAllowed
from app.datasets.tasks import Indexer
from app.jobs.context import JobContext
from app.jobs.errors import JobCancelled, JobFailed
from app.jobs.kinds import JobKind, Pool
from app.ml.confusion_plot import confusion_matrix_png
from app.ml.data import decode_workers
from app.ml.metrics import EvaluationAccumulator
from app.ml.predict import TrainedModel, choose_batch_size, load_trained
from app.models.files import ModelFilesMissing, download_model_dir
from app.scoring import writers
from app.scoring.chunks import ScoredChunk, score_chunk
from app.scoring.job import ScoringResult, ScoringSpec, ScoringState
from app.storage import LinkRefused, ObjectNotFound, ObjectStore

PARTS = "parts/"


@dataclass(frozen=True)
class Output:
    """Where a job's files go: its own storage, or the caller's output_uri."""

    store: ObjectStore
    prefix: str

    def uri(self, name: str) -> str:
        return self.store.uri_for(self.prefix + name)

    def link_refused(self, exc: LinkRefused) -> JobFailed:
        """The failure to report for a link met on the way: named below the output folder."""
        link = exc.link.removeprefix(self.prefix) if exc.link.startswith(self.prefix) else None
        where = f"{link!r} in the output folder" if link else "a folder of the output path"
        return JobFailed(
            "output-not-allowed",
            f"{where} is a symbolic link, and job output is never written or deleted through "
            "one: remove the link or choose another output_uri",
        )


def output_of(ctx: JobContext[ScoringSpec]) -> Output:
    uri = ctx.spec.output_uri
    if not uri:
        return Output(ctx.store, f"scoring/{ctx.job_id}/")
    try:  # checked at submit, again here: the folders or the settings may have changed since
        store, key = SourceAccess(ctx.settings).locate(uri, write=True)
    except SourceNotAllowed as exc:
        raise JobFailed("output-not-allowed", f"output_uri: {exc}") from None
    return Output(store, f"{key}/" if key else "")


def _load_model(ctx: JobContext[ScoringSpec], work: Path) -> TrainedModel:
    model_id = ctx.spec.model_id
    try:
        config = download_model_dir(ctx.store, model_id, work / "model")
    except ModelFilesMissing as exc:
        raise JobFailed("model-missing", str(exc)) from None
    if config.weights is None:
        raise JobFailed("model-not-trained", f"model {model_id} has no weights")
    return load_trained(work / "model")


def _input(ctx: JobContext[ScoringSpec], work: Path) -> tuple[list[IndexRow], list[dict[str, Any]]]:
    spec = ctx.spec
    if spec.dataset_id:
        try:
            return read_index(ctx.store, spec.dataset_id), []
        except ObjectNotFound:
            raise JobFailed("dataset-missing", "the dataset was deleted") from None
    uri = spec.input_uri or ""
    fmt = detect_format(uri) if spec.input_format is SourceFormat.AUTO else spec.input_format
    indexer = Indexer(ctx, work, uri, fmt, files_prefix=f"scoring/{ctx.job_id}/files/")
    rows = indexer.collect()
    errors = [
        {"id": s["path"], "reason": s["reason"], "message": s["message"]} for s in indexer.skipped
    ]
    return rows, errors


class Scorer:
    def __init__(self, ctx: JobContext[ScoringSpec], work: Path) -> None:
        self.ctx, self.work = ctx, work
        self._rate_from = (time.monotonic(), 0)  # (when, images done then): this attempt's pace
        self.spec = ctx.spec
        self.fmt: str = ctx.spec.output_format.value
        self.out = output_of(ctx)
        self.cache = ObjectCache(
            ctx.settings.resolved_cache_dir / "objects", SourceAccess(ctx.settings)
        )

    def run(self) -> ScoringResult:
        ctx = self.ctx
        ctx.set_sub_status("staging_data")
        model = _load_model(ctx, self.work)
        rows, input_errors = _input(ctx, self.work)
        self._check_top_k(model)
        labelled = all(r.label is not None for r in rows)
        columns = writers.prediction_columns(
            model.class_names, labelled, self.spec.top_k, self.spec.confidence_threshold
        )
        state = self._resume_or_start(input_errors)
        accumulator = _accumulator(state, model, labelled)
        ctx.set_sub_status("scoring")
        part_size = ctx.settings.scoring_part_size
        parts = math.ceil(len(rows) / part_size)
        batch_size = self.spec.batch_size or choose_batch_size(model)
        self._rate_from = (time.monotonic(), min(state.parts_done * part_size, len(rows)))
        for part in range(state.parts_done, parts):
            if ctx.cancel_requested():
                raise JobCancelled
            chunk = rows[part * part_size : (part + 1) * part_size]
            scored = self._score(model, chunk, batch_size, labelled)
            self._write_part(part, scored, model, columns)
            if accumulator is not None:
                accumulator.add(scored.true_indices, scored.known_probabilities)
            state = ScoringState(
                parts_done=part + 1,
                scored=state.scored + len(scored.ids),
                failed=state.failed + len(scored.errors),
                evaluation=accumulator.state() if accumulator is not None else None,
            )
            ctx.save_checkpoint(state.model_dump())
            self._report(min((part + 1) * part_size, len(rows)), len(rows))
        ctx.set_sub_status("uploading")
        return self._finish(parts, columns, state, accumulator)

    def _check_top_k(self, model: TrainedModel) -> None:
        if self.spec.top_k > len(model.class_names):
            raise JobFailed(
                "top-k-too-large",
                f"top_k {self.spec.top_k} is more than the "
                f"model's {len(model.class_names)} classes",
            )

    def _resume_or_start(self, input_errors: list[dict[str, Any]]) -> ScoringState:
        """The saved state of an earlier attempt, or a fresh one with the input's errors
        written (they are known before the first part)."""
        if self.ctx.checkpoint:
            state = ScoringState.model_validate(self.ctx.checkpoint)
            self.ctx.log(f"resuming at part {state.parts_done}: earlier parts are already written")
            return state
        self._put(
            f"{PARTS}errors-input.{self.fmt}",
            writers.encode(input_errors, writers.ERROR_COLUMNS, self.fmt),
        )
        return ScoringState(failed=len(input_errors))

    def _score(
        self, model: TrainedModel, chunk: list[IndexRow], batch_size: int, labelled: bool
    ) -> ScoredChunk:
        settings = self.ctx.settings
        return score_chunk(
            model,
            chunk,
            self.cache,
            batch_size,
            labelled,
            settings.max_image_pixels,
            workers=decode_workers(model.device.type),
            data_path=settings.data_path,
        )

    def _write_part(
        self, part: int, scored: ScoredChunk, model: TrainedModel, columns: list[str]
    ) -> None:
        rows = writers.prediction_rows(
            scored.ids,
            scored.categories,
            scored.probabilities,
            model.class_names,
            self.spec.top_k,
            self.spec.confidence_threshold,
        )
        self._put(f"{PARTS}part-{part:05d}.{self.fmt}", writers.encode(rows, columns, self.fmt))
        self._put(
            f"{PARTS}errors-{part:05d}.{self.fmt}",
            writers.encode(scored.errors, writers.ERROR_COLUMNS, self.fmt),
        )

    def _report(self, done: int, total: int) -> None:
        percent = round(100 * done / max(total, 1), 1)
        since, done_then = self._rate_from
        rate = (done - done_then) / max(time.monotonic() - since, 1e-9)
        self.ctx.progress(
            phase="scoring",
            done=done,
            total=total,
            percent=percent,
            eta_seconds=round((total - done) / rate, 1) if rate > 0 else None,
            images_per_s=round(rate, 1),  # read by /metrics
        )

    def _put(self, name: str, data: bytes) -> None:
        self.out.store.put_bytes(self.out.prefix + name, data)

    def _join(self, names: list[str], dest_name: str, empty: bytes) -> str:
        local = []
        for n, name in enumerate(names):
            path = self.work / f"join-{n}"
            self.out.store.download_file(self.out.prefix + name, path)
            local.append(path)
        joined = self.work / dest_name
        if local:
            writers.merge(local, self.fmt, joined)
        else:
            joined.write_bytes(empty)
        self.out.store.put_file(self.out.prefix + dest_name, joined)
        return self.out.uri(dest_name)

    def _finish(
        self,
        parts: int,
        columns: list[str],
        state: ScoringState,
        accumulator: EvaluationAccumulator | None,
    ) -> ScoringResult:
        fmt = self.fmt
        predictions = self._join(
            [f"{PARTS}part-{p:05d}.{fmt}" for p in range(parts)],
            f"predictions.{fmt}",
            writers.encode([], columns, fmt),
        )
        errors = self._join(
            [f"{PARTS}errors-input.{fmt}", *[f"{PARTS}errors-{p:05d}.{fmt}" for p in range(parts)]],
            f"errors.{fmt}",
            writers.encode([], writers.ERROR_COLUMNS, fmt),
        )
        result = ScoringResult(
            predictions_uri=predictions,
            errors_uri=errors,
            images_scored=state.scored,
            images_failed=state.failed,
        )
        if accumulator is not None and accumulator.count:
            evaluation = accumulator.result().to_dict()
            matrix = evaluation["confusion_matrix"]
            self._put("evaluation.json", _json(evaluation))
            self._put(
                "confusion_matrix.png", confusion_matrix_png(matrix["labels"], matrix["matrix"])
            )
            result.evaluation = evaluation
            result.confusion_matrix_uri = self.out.uri("confusion_matrix.png")
        self.out.store.delete_prefix(self.out.prefix + PARTS)
        return result


def _accumulator(
    state: ScoringState, model: TrainedModel, labelled: bool
) -> EvaluationAccumulator | None:
    """Evaluation against the labels, when every image has one (resumed from the state)."""
    if state.evaluation is not None:
        return EvaluationAccumulator.from_state(state.evaluation)
    return EvaluationAccumulator(model.class_names) if labelled else None


def _json(value: Any) -> bytes:
    return json.dumps(value, indent=2).encode()


def run(ctx: JobContext[ScoringSpec]) -> ScoringResult:
    ctx.settings.data_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="score-", dir=ctx.settings.data_dir))
    try:
        scorer = Scorer(ctx, work)
        try:
            return scorer.run()
        except LinkRefused as exc:
            raise scorer.out.link_refused(exc) from None
    finally:
        shutil.rmtree(work, ignore_errors=True)


SCORING = JobKind("scoring", Pool.ACCELERATED, ScoringSpec, ScoringResult, body=run)
