from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="ScoringOutput")



@_attrs_define
class ScoringOutput:
    """ 
        Attributes:
            predictions_uri (str):
            errors_uri (str):
            images_scored (int):
            images_failed (int):
            evaluation (bool): Whether the input had labels to evaluate against.
     """

    predictions_uri: str
    errors_uri: str
    images_scored: int
    images_failed: int
    evaluation: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        predictions_uri = self.predictions_uri

        errors_uri = self.errors_uri

        images_scored = self.images_scored

        images_failed = self.images_failed

        evaluation = self.evaluation


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "predictions_uri": predictions_uri,
            "errors_uri": errors_uri,
            "images_scored": images_scored,
            "images_failed": images_failed,
            "evaluation": evaluation,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        predictions_uri = d.pop("predictions_uri")

        errors_uri = d.pop("errors_uri")

        images_scored = d.pop("images_scored")

        images_failed = d.pop("images_failed")

        evaluation = d.pop("evaluation")

        scoring_output = cls(
            predictions_uri=predictions_uri,
            errors_uri=errors_uri,
            images_scored=images_scored,
            images_failed=images_failed,
            evaluation=evaluation,
        )


        scoring_output.additional_properties = d
        return scoring_output

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
