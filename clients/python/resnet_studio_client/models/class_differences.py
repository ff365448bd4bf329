from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.difference import Difference





T = TypeVar("T", bound="ClassDifferences")



@_attrs_define
class ClassDifferences:
    """ 
        Attributes:
            class_ (str):
            support (int):
            precision (Difference):
            recall (Difference):
            f1 (Difference):
     """

    class_: str
    support: int
    precision: Difference
    recall: Difference
    f1: Difference
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.difference import Difference # noqa: PLC0415
        class_ = self.class_

        support = self.support

        precision = self.precision.to_dict()

        recall = self.recall.to_dict()

        f1 = self.f1.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "class": class_,
            "support": support,
            "precision": precision,
            "recall": recall,
            "f1": f1,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.difference import Difference # noqa: PLC0415
        d = dict(src_dict)
        class_ = d.pop("class")

        support = d.pop("support")

        precision = Difference.from_dict(d.pop("precision"))




        recall = Difference.from_dict(d.pop("recall"))




        f1 = Difference.from_dict(d.pop("f1"))




        class_differences = cls(
            class_=class_,
            support=support,
            precision=precision,
            recall=recall,
            f1=f1,
        )


        class_differences.additional_properties = d
        return class_differences

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
