from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="ClassEvaluation")



@_attrs_define
class ClassEvaluation:
    """ 
        Attributes:
            class_ (str):
            precision (float | None):
            recall (float | None):
            f1 (float | None):
            support (int): Images whose true class this is.
     """

    class_: str
    precision: float | None
    recall: float | None
    f1: float | None
    support: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        class_ = self.class_

        precision: float | None
        precision = self.precision

        recall: float | None
        recall = self.recall

        f1: float | None
        f1 = self.f1

        support = self.support


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "class": class_,
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "support": support,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        class_ = d.pop("class")

        def _parse_precision(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        precision = _parse_precision(d.pop("precision"))


        def _parse_recall(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        recall = _parse_recall(d.pop("recall"))


        def _parse_f1(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        f1 = _parse_f1(d.pop("f1"))


        support = d.pop("support")

        class_evaluation = cls(
            class_=class_,
            precision=precision,
            recall=recall,
            f1=f1,
            support=support,
        )


        class_evaluation.additional_properties = d
        return class_evaluation

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
