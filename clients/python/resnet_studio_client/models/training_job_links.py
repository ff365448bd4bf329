from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="TrainingJobLinks")



@_attrs_define
class TrainingJobLinks:
    """ 
        Attributes:
            self_ (str):
            metrics (str):
            logs (str):
            events (str):
            cancel (str):
            trained_model (None | str):
     """

    self_: str
    metrics: str
    logs: str
    events: str
    cancel: str
    trained_model: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        self_ = self.self_

        metrics = self.metrics

        logs = self.logs

        events = self.events

        cancel = self.cancel

        trained_model: None | str
        trained_model = self.trained_model


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "self": self_,
            "metrics": metrics,
            "logs": logs,
            "events": events,
            "cancel": cancel,
            "trained_model": trained_model,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        self_ = d.pop("self")

        metrics = d.pop("metrics")

        logs = d.pop("logs")

        events = d.pop("events")

        cancel = d.pop("cancel")

        def _parse_trained_model(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        trained_model = _parse_trained_model(d.pop("trained_model"))


        training_job_links = cls(
            self_=self_,
            metrics=metrics,
            logs=logs,
            events=events,
            cancel=cancel,
            trained_model=trained_model,
        )


        training_job_links.additional_properties = d
        return training_job_links

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
