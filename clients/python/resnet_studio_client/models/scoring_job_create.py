from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.output_format import OutputFormat
from ..models.source_format import SourceFormat
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="ScoringJobCreate")



@_attrs_define
class ScoringJobCreate:
    """ Score images with a trained model (Azure's Score Image Model), as a job.

        Attributes:
            model_id (str): A trained model.
            dataset_id (None | str | Unset): A ready dataset (labelled or not).
            input_uri (None | str | Unset): Or an image folder, archive or manifest (file:// or s3://).
            input_format (SourceFormat | Unset):
            output_uri (None | str | Unset): A file:// or s3:// folder for the output; default: the job's own storage.
            output_format (OutputFormat | Unset):
            top_k (int | Unset): At most the model's class count. Default: 1.
            confidence_threshold (float | None | Unset): Below this top-1 probability `Scored Labels` is empty and `Below
                Threshold` true.
            batch_size (int | None | Unset): Default: from memory; at most the server's max_batch_size (4096).
            max_runtime_seconds (int | None | Unset):
     """

    model_id: str
    dataset_id: None | str | Unset = UNSET
    input_uri: None | str | Unset = UNSET
    input_format: SourceFormat | Unset = UNSET
    output_uri: None | str | Unset = UNSET
    output_format: OutputFormat | Unset = UNSET
    top_k: int | Unset = 1
    confidence_threshold: float | None | Unset = UNSET
    batch_size: int | None | Unset = UNSET
    max_runtime_seconds: int | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        model_id = self.model_id

        dataset_id: None | str | Unset
        if isinstance(self.dataset_id, Unset):
            dataset_id = UNSET
        else:
            dataset_id = self.dataset_id

        input_uri: None | str | Unset
        if isinstance(self.input_uri, Unset):
            input_uri = UNSET
        else:
            input_uri = self.input_uri

        input_format: str | Unset = UNSET
        if not isinstance(self.input_format, Unset):
            input_format = self.input_format.value


        output_uri: None | str | Unset
        if isinstance(self.output_uri, Unset):
            output_uri = UNSET
        else:
            output_uri = self.output_uri

        output_format: str | Unset = UNSET
        if not isinstance(self.output_format, Unset):
            output_format = self.output_format.value


        top_k = self.top_k

        confidence_threshold: float | None | Unset
        if isinstance(self.confidence_threshold, Unset):
            confidence_threshold = UNSET
        else:
            confidence_threshold = self.confidence_threshold

        batch_size: int | None | Unset
        if isinstance(self.batch_size, Unset):
            batch_size = UNSET
        else:
            batch_size = self.batch_size

        max_runtime_seconds: int | None | Unset
        if isinstance(self.max_runtime_seconds, Unset):
            max_runtime_seconds = UNSET
        else:
            max_runtime_seconds = self.max_runtime_seconds


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "model_id": model_id,
        })
        if dataset_id is not UNSET:
            field_dict["dataset_id"] = dataset_id
        if input_uri is not UNSET:
            field_dict["input_uri"] = input_uri
        if input_format is not UNSET:
            field_dict["input_format"] = input_format
        if output_uri is not UNSET:
            field_dict["output_uri"] = output_uri
        if output_format is not UNSET:
            field_dict["output_format"] = output_format
        if top_k is not UNSET:
            field_dict["top_k"] = top_k
        if confidence_threshold is not UNSET:
            field_dict["confidence_threshold"] = confidence_threshold
        if batch_size is not UNSET:
            field_dict["batch_size"] = batch_size
        if max_runtime_seconds is not UNSET:
            field_dict["max_runtime_seconds"] = max_runtime_seconds

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        model_id = d.pop("model_id")

        def _parse_dataset_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        dataset_id = _parse_dataset_id(d.pop("dataset_id", UNSET))


        def _parse_input_uri(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        input_uri = _parse_input_uri(d.pop("input_uri", UNSET))


        _input_format = d.pop("input_format", UNSET)
        input_format: SourceFormat | Unset
        if isinstance(_input_format,  Unset):
            input_format = UNSET
        else:
            input_format = SourceFormat(_input_format)




        def _parse_output_uri(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        output_uri = _parse_output_uri(d.pop("output_uri", UNSET))


        _output_format = d.pop("output_format", UNSET)
        output_format: OutputFormat | Unset
        if isinstance(_output_format,  Unset):
            output_format = UNSET
        else:
            output_format = OutputFormat(_output_format)




        top_k = d.pop("top_k", UNSET)

        def _parse_confidence_threshold(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        confidence_threshold = _parse_confidence_threshold(d.pop("confidence_threshold", UNSET))


        def _parse_batch_size(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        batch_size = _parse_batch_size(d.pop("batch_size", UNSET))


        def _parse_max_runtime_seconds(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_runtime_seconds = _parse_max_runtime_seconds(d.pop("max_runtime_seconds", UNSET))


        scoring_job_create = cls(
            model_id=model_id,
            dataset_id=dataset_id,
            input_uri=input_uri,
            input_format=input_format,
            output_uri=output_uri,
            output_format=output_format,
            top_k=top_k,
            confidence_threshold=confidence_threshold,
            batch_size=batch_size,
            max_runtime_seconds=max_runtime_seconds,
        )

        return scoring_job_create

