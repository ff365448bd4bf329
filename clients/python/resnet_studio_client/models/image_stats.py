from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="ImageStats")



@_attrs_define
class ImageStats:
    """ 
        Attributes:
            count (int):
            min_width (int):
            max_width (int):
            mean_width (float):
            min_height (int):
            max_height (int):
            mean_height (float):
     """

    count: int
    min_width: int
    max_width: int
    mean_width: float
    min_height: int
    max_height: int
    mean_height: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        count = self.count

        min_width = self.min_width

        max_width = self.max_width

        mean_width = self.mean_width

        min_height = self.min_height

        max_height = self.max_height

        mean_height = self.mean_height


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "count": count,
            "min_width": min_width,
            "max_width": max_width,
            "mean_width": mean_width,
            "min_height": min_height,
            "max_height": max_height,
            "mean_height": mean_height,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        count = d.pop("count")

        min_width = d.pop("min_width")

        max_width = d.pop("max_width")

        mean_width = d.pop("mean_width")

        min_height = d.pop("min_height")

        max_height = d.pop("max_height")

        mean_height = d.pop("mean_height")

        image_stats = cls(
            count=count,
            min_width=min_width,
            max_width=max_width,
            mean_width=mean_width,
            min_height=min_height,
            max_height=max_height,
            mean_height=mean_height,
        )


        image_stats.additional_properties = d
        return image_stats

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
