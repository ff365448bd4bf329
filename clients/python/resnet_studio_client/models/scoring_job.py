from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.job_status import JobStatus
from ..models.output_format import OutputFormat
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.job_error import JobError
  from ..models.scoring_job_links import ScoringJobLinks
  from ..models.scoring_output import ScoringOutput
  from ..models.scoring_progress import ScoringProgress
  from ..models.transition import Transition





T = TypeVar("T", bound="ScoringJob")



@_attrs_define
class ScoringJob:
    """ 
        Attributes:
            id (str):
            status (JobStatus):
            sub_status (None | str):
            waiting_reason (None | str):
            progress (None | ScoringProgress):
            model_id (str):
            dataset_id (None | str):
            input_uri (None | str):
            output_format (OutputFormat):
            top_k (int):
            confidence_threshold (float | None):
            batch_size (int | None):
            attempts (int):
            max_attempts (int):
            cancel_requested (bool):
            output (None | ScoringOutput):
            error (JobError | None):
            transitions (list[Transition]):
            created_at (datetime.datetime):
            started_at (datetime.datetime | None):
            finished_at (datetime.datetime | None):
            links (ScoringJobLinks):
     """

    id: str
    status: JobStatus
    sub_status: None | str
    waiting_reason: None | str
    progress: None | ScoringProgress
    model_id: str
    dataset_id: None | str
    input_uri: None | str
    output_format: OutputFormat
    top_k: int
    confidence_threshold: float | None
    batch_size: int | None
    attempts: int
    max_attempts: int
    cancel_requested: bool
    output: None | ScoringOutput
    error: JobError | None
    transitions: list[Transition]
    created_at: datetime.datetime
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    links: ScoringJobLinks
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.job_error import JobError # noqa: PLC0415
        from ..models.scoring_job_links import ScoringJobLinks # noqa: PLC0415
        from ..models.scoring_output import ScoringOutput # noqa: PLC0415
        from ..models.scoring_progress import ScoringProgress # noqa: PLC0415
        from ..models.transition import Transition # noqa: PLC0415
        id = self.id

        status = self.status.value

        sub_status: None | str
        sub_status = self.sub_status

        waiting_reason: None | str
        waiting_reason = self.waiting_reason

        progress: dict[str, Any] | None
        if isinstance(self.progress, ScoringProgress):
            progress = self.progress.to_dict()
        else:
            progress = self.progress

        model_id = self.model_id

        dataset_id: None | str
        dataset_id = self.dataset_id

        input_uri: None | str
        input_uri = self.input_uri

        output_format = self.output_format.value

        top_k = self.top_k

        confidence_threshold: float | None
        confidence_threshold = self.confidence_threshold

        batch_size: int | None
        batch_size = self.batch_size

        attempts = self.attempts

        max_attempts = self.max_attempts

        cancel_requested = self.cancel_requested

        output: dict[str, Any] | None
        if isinstance(self.output, ScoringOutput):
            output = self.output.to_dict()
        else:
            output = self.output

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
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "status": status,
            "sub_status": sub_status,
            "waiting_reason": waiting_reason,
            "progress": progress,
            "model_id": model_id,
            "dataset_id": dataset_id,
            "input_uri": input_uri,
            "output_format": output_format,
            "top_k": top_k,
            "confidence_threshold": confidence_threshold,
            "batch_size": batch_size,
            "attempts": attempts,
            "max_attempts": max_attempts,
            "cancel_requested": cancel_requested,
            "output": output,
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
        from ..models.scoring_job_links import ScoringJobLinks # noqa: PLC0415
        from ..models.scoring_output import ScoringOutput # noqa: PLC0415
        from ..models.scoring_progress import ScoringProgress # noqa: PLC0415
        from ..models.transition import Transition # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        status = JobStatus(d.pop("status"))




        def _parse_sub_status(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        sub_status = _parse_sub_status(d.pop("sub_status"))


        def _parse_waiting_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        waiting_reason = _parse_waiting_reason(d.pop("waiting_reason"))


        def _parse_progress(data: object) -> None | ScoringProgress:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                progress_type_0 = ScoringProgress.from_dict(data)



                return progress_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ScoringProgress, data)

        progress = _parse_progress(d.pop("progress"))


        model_id = d.pop("model_id")

        def _parse_dataset_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        dataset_id = _parse_dataset_id(d.pop("dataset_id"))


        def _parse_input_uri(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        input_uri = _parse_input_uri(d.pop("input_uri"))


        output_format = OutputFormat(d.pop("output_format"))




        top_k = d.pop("top_k")

        def _parse_confidence_threshold(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        confidence_threshold = _parse_confidence_threshold(d.pop("confidence_threshold"))


        def _parse_batch_size(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        batch_size = _parse_batch_size(d.pop("batch_size"))


        attempts = d.pop("attempts")

        max_attempts = d.pop("max_attempts")

        cancel_requested = d.pop("cancel_requested")

        def _parse_output(data: object) -> None | ScoringOutput:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                output_type_0 = ScoringOutput.from_dict(data)



                return output_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ScoringOutput, data)

        output = _parse_output(d.pop("output"))


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


        links = ScoringJobLinks.from_dict(d.pop("links"))




        scoring_job = cls(
            id=id,
            status=status,
            sub_status=sub_status,
            waiting_reason=waiting_reason,
            progress=progress,
            model_id=model_id,
            dataset_id=dataset_id,
            input_uri=input_uri,
            output_format=output_format,
            top_k=top_k,
            confidence_threshold=confidence_threshold,
            batch_size=batch_size,
            attempts=attempts,
            max_attempts=max_attempts,
            cancel_requested=cancel_requested,
            output=output,
            error=error,
            transitions=transitions,
            created_at=created_at,
            started_at=started_at,
            finished_at=finished_at,
            links=links,
        )


        scoring_job.additional_properties = d
        return scoring_job

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
