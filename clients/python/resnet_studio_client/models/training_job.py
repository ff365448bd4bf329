from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.job_status import JobStatus
from ..models.lr_schedule import LrSchedule
from ..models.mixed_precision import MixedPrecision
from ..models.optimizer import Optimizer
from ..models.stop_reason import StopReason
from ..models.sub_status import SubStatus
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.job_error import JobError
  from ..models.training_job_links import TrainingJobLinks
  from ..models.training_progress import TrainingProgress
  from ..models.transition import Transition





T = TypeVar("T", bound="TrainingJob")



@_attrs_define
class TrainingJob:
    """ A training job: the request's fields, flat as they were sent (hyperparameters included,
    with the defaults filled in), and where the job stands.

        Attributes:
            epochs (int): Passes over the training set. Default: 5.
            batch_size (int): At least 2 (BatchNorm); at most the server's max_batch_size (4096). Default: 16.
            warmup_epochs (int): Linear warmup from 1e-4 to the learning rate; at most `epochs` (equal: the whole run is
                warmup, where Azure divided by zero). Default: 0.
            learning_rate (float): The base rate. Default: 0.001.
            random_seed (int): Seeds every generator, the split and the data order. Default: 1.
            patience (int): Epochs without a better validation loss before stopping early. Default: 3.
            print_frequency (int): Steps between progress records. Default: 10.
            optimizer (Optimizer):
            lr_schedule (LrSchedule):
            weight_decay (float | None): Default: 1e-4 for sgd (Azure), 0.01 for adamw.
            label_smoothing (float): Training loss only: the validation loss stays comparable. Default: 0.0.
            mixed_precision (MixedPrecision):
            compile_ (bool): torch.compile the network (GPU jobs only; a CPU job runs without it and says so in its log).
                Compiling takes a minute or more before the first step, so it pays only for long runs; checkpoints and resume
                are unaffected. Default: False.
            max_runtime_seconds (int | None): Stop the job after this.
            id (str):
            status (JobStatus):
            sub_status (None | SubStatus):
            waiting_reason (None | str): Why a queued job has not started.
            progress (None | TrainingProgress):
            model_id (str):
            train_dataset_id (str):
            validation_dataset_id (None | str):
            validation_fraction (float | None):
            transform_id (None | str):
            name (None | str): The trained model's name.
            tags (list[str]): The trained model's tags.
            attempts (int):
            max_attempts (int):
            cancel_requested (bool):
            trained_model_id (None | str):
            best_epoch (int | None):
            stop_reason (None | StopReason): Why training stopped: all epochs ran, early stopping, or a cancel.
            error (JobError | None):
            transitions (list[Transition]):
            created_at (datetime.datetime):
            started_at (datetime.datetime | None):
            finished_at (datetime.datetime | None):
            links (TrainingJobLinks):
     """

    optimizer: Optimizer
    lr_schedule: LrSchedule
    weight_decay: float | None
    mixed_precision: MixedPrecision
    max_runtime_seconds: int | None
    id: str
    status: JobStatus
    sub_status: None | SubStatus
    waiting_reason: None | str
    progress: None | TrainingProgress
    model_id: str
    train_dataset_id: str
    validation_dataset_id: None | str
    validation_fraction: float | None
    transform_id: None | str
    name: None | str
    tags: list[str]
    attempts: int
    max_attempts: int
    cancel_requested: bool
    trained_model_id: None | str
    best_epoch: int | None
    stop_reason: None | StopReason
    error: JobError | None
    transitions: list[Transition]
    created_at: datetime.datetime
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    links: TrainingJobLinks
    epochs: int = 5
    batch_size: int = 16
    warmup_epochs: int = 0
    learning_rate: float = 0.001
    random_seed: int = 1
    patience: int = 3
    print_frequency: int = 10
    label_smoothing: float = 0.0
    compile_: bool = False





    def to_dict(self) -> dict[str, Any]:
        from ..models.job_error import JobError # noqa: PLC0415
        from ..models.training_job_links import TrainingJobLinks # noqa: PLC0415
        from ..models.training_progress import TrainingProgress # noqa: PLC0415
        from ..models.transition import Transition # noqa: PLC0415
        epochs = self.epochs

        batch_size = self.batch_size

        warmup_epochs = self.warmup_epochs

        learning_rate = self.learning_rate

        random_seed = self.random_seed

        patience = self.patience

        print_frequency = self.print_frequency

        optimizer = self.optimizer.value

        lr_schedule = self.lr_schedule.value

        weight_decay: float | None
        weight_decay = self.weight_decay

        label_smoothing = self.label_smoothing

        mixed_precision = self.mixed_precision.value

        compile_ = self.compile_

        max_runtime_seconds: int | None
        max_runtime_seconds = self.max_runtime_seconds

        id = self.id

        status = self.status.value

        sub_status: None | str
        if isinstance(self.sub_status, SubStatus):
            sub_status = self.sub_status.value
        else:
            sub_status = self.sub_status

        waiting_reason: None | str
        waiting_reason = self.waiting_reason

        progress: dict[str, Any] | None
        if isinstance(self.progress, TrainingProgress):
            progress = self.progress.to_dict()
        else:
            progress = self.progress

        model_id = self.model_id

        train_dataset_id = self.train_dataset_id

        validation_dataset_id: None | str
        validation_dataset_id = self.validation_dataset_id

        validation_fraction: float | None
        validation_fraction = self.validation_fraction

        transform_id: None | str
        transform_id = self.transform_id

        name: None | str
        name = self.name

        tags = self.tags



        attempts = self.attempts

        max_attempts = self.max_attempts

        cancel_requested = self.cancel_requested

        trained_model_id: None | str
        trained_model_id = self.trained_model_id

        best_epoch: int | None
        best_epoch = self.best_epoch

        stop_reason: None | str
        if isinstance(self.stop_reason, StopReason):
            stop_reason = self.stop_reason.value
        else:
            stop_reason = self.stop_reason

        error: dict[str, Any] | None
        if isinstance(self.error, JobError):
            error = self.error.to_dict()
        else:
            error = self.error

        transitions = []
        for transitions_item_data in self.transitions:
            transitions_item = transitions_item_data.to_dict()
            transitions.append(transitions_item)



        created_at = self.created_at.isoformat()

        started_at: None | str
        if isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        finished_at: None | str
        if isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        links = self.links.to_dict()


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "epochs": epochs,
            "batch_size": batch_size,
            "warmup_epochs": warmup_epochs,
            "learning_rate": learning_rate,
            "random_seed": random_seed,
            "patience": patience,
            "print_frequency": print_frequency,
            "optimizer": optimizer,
            "lr_schedule": lr_schedule,
            "weight_decay": weight_decay,
            "label_smoothing": label_smoothing,
            "mixed_precision": mixed_precision,
            "compile": compile_,
            "max_runtime_seconds": max_runtime_seconds,
            "id": id,
            "status": status,
            "sub_status": sub_status,
            "waiting_reason": waiting_reason,
            "progress": progress,
            "model_id": model_id,
            "train_dataset_id": train_dataset_id,
            "validation_dataset_id": validation_dataset_id,
            "validation_fraction": validation_fraction,
            "transform_id": transform_id,
            "name": name,
            "tags": tags,
            "attempts": attempts,
            "max_attempts": max_attempts,
            "cancel_requested": cancel_requested,
            "trained_model_id": trained_model_id,
            "best_epoch": best_epoch,
            "stop_reason": stop_reason,
            "error": error,
            "transitions": transitions,
            "created_at": created_at,
            "started_at": started_at,
            "finished_at": finished_at,
            "links": links,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.job_error import JobError # noqa: PLC0415
        from ..models.training_job_links import TrainingJobLinks # noqa: PLC0415
        from ..models.training_progress import TrainingProgress # noqa: PLC0415
        from ..models.transition import Transition # noqa: PLC0415
        d = dict(src_dict)
        epochs = d.pop("epochs")

        batch_size = d.pop("batch_size")

        warmup_epochs = d.pop("warmup_epochs")

        learning_rate = d.pop("learning_rate")

        random_seed = d.pop("random_seed")

        patience = d.pop("patience")

        print_frequency = d.pop("print_frequency")

        optimizer = Optimizer(d.pop("optimizer"))




        lr_schedule = LrSchedule(d.pop("lr_schedule"))




        def _parse_weight_decay(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        weight_decay = _parse_weight_decay(d.pop("weight_decay"))


        label_smoothing = d.pop("label_smoothing")

        mixed_precision = MixedPrecision(d.pop("mixed_precision"))




        compile_ = d.pop("compile")

        def _parse_max_runtime_seconds(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        max_runtime_seconds = _parse_max_runtime_seconds(d.pop("max_runtime_seconds"))


        id = d.pop("id")

        status = JobStatus(d.pop("status"))




        def _parse_sub_status(data: object) -> None | SubStatus:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                sub_status_type_0 = SubStatus(data)



                return sub_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SubStatus, data)

        sub_status = _parse_sub_status(d.pop("sub_status"))


        def _parse_waiting_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        waiting_reason = _parse_waiting_reason(d.pop("waiting_reason"))


        def _parse_progress(data: object) -> None | TrainingProgress:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                progress_type_0 = TrainingProgress.from_dict(data)



                return progress_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TrainingProgress, data)

        progress = _parse_progress(d.pop("progress"))


        model_id = d.pop("model_id")

        train_dataset_id = d.pop("train_dataset_id")

        def _parse_validation_dataset_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        validation_dataset_id = _parse_validation_dataset_id(d.pop("validation_dataset_id"))


        def _parse_validation_fraction(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        validation_fraction = _parse_validation_fraction(d.pop("validation_fraction"))


        def _parse_transform_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        transform_id = _parse_transform_id(d.pop("transform_id"))


        def _parse_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        name = _parse_name(d.pop("name"))


        tags = cast(list[str], d.pop("tags"))


        attempts = d.pop("attempts")

        max_attempts = d.pop("max_attempts")

        cancel_requested = d.pop("cancel_requested")

        def _parse_trained_model_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        trained_model_id = _parse_trained_model_id(d.pop("trained_model_id"))


        def _parse_best_epoch(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        best_epoch = _parse_best_epoch(d.pop("best_epoch"))


        def _parse_stop_reason(data: object) -> None | StopReason:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                stop_reason_type_0 = StopReason(data)



                return stop_reason_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | StopReason, data)

        stop_reason = _parse_stop_reason(d.pop("stop_reason"))


        def _parse_error(data: object) -> JobError | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                error_type_0 = JobError.from_dict(data)



                return error_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(JobError | None, data)

        error = _parse_error(d.pop("error"))


        transitions = []
        _transitions = d.pop("transitions")
        for transitions_item_data in (_transitions):
            transitions_item = Transition.from_dict(transitions_item_data)



            transitions.append(transitions_item)


        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        def _parse_started_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)



                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        started_at = _parse_started_at(d.pop("started_at"))


        def _parse_finished_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_at_type_0 = datetime.datetime.fromisoformat(data)



                return finished_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        finished_at = _parse_finished_at(d.pop("finished_at"))


        links = TrainingJobLinks.from_dict(d.pop("links"))




        training_job = cls(
            epochs=epochs,
            batch_size=batch_size,
            warmup_epochs=warmup_epochs,
            learning_rate=learning_rate,
            random_seed=random_seed,
            patience=patience,
            print_frequency=print_frequency,
            optimizer=optimizer,
            lr_schedule=lr_schedule,
            weight_decay=weight_decay,
            label_smoothing=label_smoothing,
            mixed_precision=mixed_precision,
            compile_=compile_,
            max_runtime_seconds=max_runtime_seconds,
            id=id,
            status=status,
            sub_status=sub_status,
            waiting_reason=waiting_reason,
            progress=progress,
            model_id=model_id,
            train_dataset_id=train_dataset_id,
            validation_dataset_id=validation_dataset_id,
            validation_fraction=validation_fraction,
            transform_id=transform_id,
            name=name,
            tags=tags,
            attempts=attempts,
            max_attempts=max_attempts,
            cancel_requested=cancel_requested,
            trained_model_id=trained_model_id,
            best_epoch=best_epoch,
            stop_reason=stop_reason,
            error=error,
            transitions=transitions,
            created_at=created_at,
            started_at=started_at,
            finished_at=finished_at,
            links=links,
        )

        return training_job

