from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.lr_schedule import LrSchedule
from ..models.mixed_precision import MixedPrecision
from ..models.optimizer import Optimizer
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="TrainingJobCreate")



@_attrs_define
class TrainingJobCreate:
    """ 
        Attributes:
            model_id (str): An untrained model (POST /v1/models).
            train_dataset_id (str): A ready, labelled dataset.
            epochs (int | Unset): Passes over the training set. Default: 5.
            batch_size (int | Unset): At least 2 (BatchNorm); at most the server's max_batch_size (4096). Default: 16.
            warmup_epochs (int | Unset): Linear warmup from 1e-4 to the learning rate; at most `epochs` (equal: the whole
                run is warmup, where Azure divided by zero). Default: 0.
            learning_rate (float | Unset): The base rate. Default: 0.001.
            random_seed (int | Unset): Seeds every generator, the split and the data order. Default: 1.
            patience (int | Unset): Epochs without a better validation loss before stopping early. Default: 3.
            print_frequency (int | Unset): Steps between progress records. Default: 10.
            optimizer (Optimizer | Unset):
            lr_schedule (LrSchedule | Unset):
            weight_decay (float | None | Unset): Default: 1e-4 for sgd (Azure), 0.01 for adamw.
            label_smoothing (float | Unset): Training loss only: the validation loss stays comparable. Default: 0.0.
            mixed_precision (MixedPrecision | Unset):
            compile_ (bool | Unset): torch.compile the network (GPU jobs only; a CPU job runs without it and says so in its
                log). Compiling takes a minute or more before the first step, so it pays only for long runs; checkpoints and
                resume are unaffected. Default: False.
            max_runtime_seconds (int | None | Unset): Stop the job after this.
            validation_dataset_id (None | str | Unset): A ready dataset whose classes are all in the training set.
            validation_fraction (float | None | Unset): Hold out this share of the training set instead (stratified, by
                random_seed). Default 0.1 when no validation dataset is given.
            transform_id (None | str | Unset): Default: random resized crop and flip for training, resize and center crop
                for evaluation, at the architecture's sizes.
            name (None | str | Unset): Trained model's.
            tags (list[str] | Unset):
     """

    model_id: str
    train_dataset_id: str
    epochs: int | Unset = 5
    batch_size: int | Unset = 16
    warmup_epochs: int | Unset = 0
    learning_rate: float | Unset = 0.001
    random_seed: int | Unset = 1
    patience: int | Unset = 3
    print_frequency: int | Unset = 10
    optimizer: Optimizer | Unset = UNSET
    lr_schedule: LrSchedule | Unset = UNSET
    weight_decay: float | None | Unset = UNSET
    label_smoothing: float | Unset = 0.0
    mixed_precision: MixedPrecision | Unset = UNSET
    compile_: bool | Unset = False
    max_runtime_seconds: int | None | Unset = UNSET
    validation_dataset_id: None | str | Unset = UNSET
    validation_fraction: float | None | Unset = UNSET
    transform_id: None | str | Unset = UNSET
    name: None | str | Unset = UNSET
    tags: list[str] | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        model_id = self.model_id

        train_dataset_id = self.train_dataset_id

        epochs = self.epochs

        batch_size = self.batch_size

        warmup_epochs = self.warmup_epochs

        learning_rate = self.learning_rate

        random_seed = self.random_seed

        patience = self.patience

        print_frequency = self.print_frequency

        optimizer: str | Unset = UNSET
        if not isinstance(self.optimizer, Unset):
            optimizer = self.optimizer.value


        lr_schedule: str | Unset = UNSET
        if not isinstance(self.lr_schedule, Unset):
            lr_schedule = self.lr_schedule.value


        weight_decay: float | None | Unset
        if isinstance(self.weight_decay, Unset):
            weight_decay = UNSET
        else:
            weight_decay = self.weight_decay

        label_smoothing = self.label_smoothing

        mixed_precision: str | Unset = UNSET
        if not isinstance(self.mixed_precision, Unset):
            mixed_precision = self.mixed_precision.value


        compile_ = self.compile_

        max_runtime_seconds: int | None | Unset
        if isinstance(self.max_runtime_seconds, Unset):
            max_runtime_seconds = UNSET
        else:
            max_runtime_seconds = self.max_runtime_seconds

        validation_dataset_id: None | str | Unset
        if isinstance(self.validation_dataset_id, Unset):
            validation_dataset_id = UNSET
        else:
            validation_dataset_id = self.validation_dataset_id

        validation_fraction: float | None | Unset
        if isinstance(self.validation_fraction, Unset):
            validation_fraction = UNSET
        else:
            validation_fraction = self.validation_fraction

        transform_id: None | str | Unset
        if isinstance(self.transform_id, Unset):
            transform_id = UNSET
        else:
            transform_id = self.transform_id

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        tags: list[str] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags




        field_dict: dict[str, Any] = {}

        field_dict.update({
            "model_id": model_id,
            "train_dataset_id": train_dataset_id,
        })
        if epochs is not UNSET:
            field_dict["epochs"] = epochs
        if batch_size is not UNSET:
            field_dict["batch_size"] = batch_size
        if warmup_epochs is not UNSET:
            field_dict["warmup_epochs"] = warmup_epochs
        if learning_rate is not UNSET:
            field_dict["learning_rate"] = learning_rate
        if random_seed is not UNSET:
            field_dict["random_seed"] = random_seed
        if patience is not UNSET:
            field_dict["patience"] = patience
        if print_frequency is not UNSET:
            field_dict["print_frequency"] = print_frequency
        if optimizer is not UNSET:
            field_dict["optimizer"] = optimizer
        if lr_schedule is not UNSET:
            field_dict["lr_schedule"] = lr_schedule
        if weight_decay is not UNSET:
            field_dict["weight_decay"] = weight_decay
        if label_smoothing is not UNSET:
            field_dict["label_smoothing"] = label_smoothing
        if mixed_precision is not UNSET:
            field_dict["mixed_precision"] = mixed_precision
        if compile_ is not UNSET:
            field_dict["compile"] = compile_
        if max_runtime_seconds is not UNSET:
            field_dict["max_runtime_seconds"] = max_runtime_seconds
        if validation_dataset_id is not UNSET:
            field_dict["validation_dataset_id"] = validation_dataset_id
        if validation_fraction is not UNSET:
            field_dict["validation_fraction"] = validation_fraction
        if transform_id is not UNSET:
            field_dict["transform_id"] = transform_id
        if name is not UNSET:
            field_dict["name"] = name
        if tags is not UNSET:
            field_dict["tags"] = tags

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        model_id = d.pop("model_id")

        train_dataset_id = d.pop("train_dataset_id")

        epochs = d.pop("epochs", UNSET)

        batch_size = d.pop("batch_size", UNSET)

        warmup_epochs = d.pop("warmup_epochs", UNSET)

        learning_rate = d.pop("learning_rate", UNSET)

        random_seed = d.pop("random_seed", UNSET)

        patience = d.pop("patience", UNSET)

        print_frequency = d.pop("print_frequency", UNSET)

        _optimizer = d.pop("optimizer", UNSET)
        optimizer: Optimizer | Unset
        if isinstance(_optimizer,  Unset):
            optimizer = UNSET
        else:
            optimizer = Optimizer(_optimizer)




        _lr_schedule = d.pop("lr_schedule", UNSET)
        lr_schedule: LrSchedule | Unset
        if isinstance(_lr_schedule,  Unset):
            lr_schedule = UNSET
        else:
            lr_schedule = LrSchedule(_lr_schedule)




        def _parse_weight_decay(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        weight_decay = _parse_weight_decay(d.pop("weight_decay", UNSET))


        label_smoothing = d.pop("label_smoothing", UNSET)

        _mixed_precision = d.pop("mixed_precision", UNSET)
        mixed_precision: MixedPrecision | Unset
        if isinstance(_mixed_precision,  Unset):
            mixed_precision = UNSET
        else:
            mixed_precision = MixedPrecision(_mixed_precision)




        compile_ = d.pop("compile", UNSET)

        def _parse_max_runtime_seconds(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_runtime_seconds = _parse_max_runtime_seconds(d.pop("max_runtime_seconds", UNSET))


        def _parse_validation_dataset_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        validation_dataset_id = _parse_validation_dataset_id(d.pop("validation_dataset_id", UNSET))


        def _parse_validation_fraction(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        validation_fraction = _parse_validation_fraction(d.pop("validation_fraction", UNSET))


        def _parse_transform_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        transform_id = _parse_transform_id(d.pop("transform_id", UNSET))


        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))


        tags = cast(list[str], d.pop("tags", UNSET))


        training_job_create = cls(
            model_id=model_id,
            train_dataset_id=train_dataset_id,
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
            validation_dataset_id=validation_dataset_id,
            validation_fraction=validation_fraction,
            transform_id=transform_id,
            name=name,
            tags=tags,
        )

        return training_job_create

