from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="ScoringJobLinks")



@_attrs_define
class ScoringJobLinks:
    """ 
        Attributes:
            self_ (str):
            output (str):
            output_rows (str):
            errors (str):
            error_rows (str):
            evaluation (str):
            logs (str):
            events (str):
            cancel (str):
     """

    self_: str
    output: str
    output_rows: str
    errors: str
    error_rows: str
    evaluation: str
    logs: str
    events: str
    cancel: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        self_ = self.self_

        output = self.output

        output_rows = self.output_rows

        errors = self.errors

        error_rows = self.error_rows

        evaluation = self.evaluation

        logs = self.logs

        events = self.events

        cancel = self.cancel


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "self": self_,
            "output": output,
            "output_rows": output_rows,
            "errors": errors,
            "error_rows": error_rows,
            "evaluation": evaluation,
            "logs": logs,
            "events": events,
            "cancel": cancel,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        self_ = d.pop("self")

        output = d.pop("output")

        output_rows = d.pop("output_rows")

        errors = d.pop("errors")

        error_rows = d.pop("error_rows")

        evaluation = d.pop("evaluation")

        logs = d.pop("logs")

        events = d.pop("events")

        cancel = d.pop("cancel")

        scoring_job_links = cls(
            self_=self_,
            output=output,
            output_rows=output_rows,
            errors=errors,
            error_rows=error_rows,
            evaluation=evaluation,
            logs=logs,
            events=events,
            cancel=cancel,
        )


        scoring_job_links.additional_properties = d
        return scoring_job_links

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
