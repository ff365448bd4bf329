from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="Averages")



@_attrs_define
class Averages:
    """ 
        Attributes:
            macro (float | None):
            micro (float | None):
            weighted (float | None): Weighted by each class's support.
     """

    macro: float | None
    micro: float | None
    weighted: float | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        macro: float | None
        macro = self.macro

        micro: float | None
        micro = self.micro

        weighted: float | None
        weighted = self.weighted


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "macro": macro,
            "micro": micro,
            "weighted": weighted,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_macro(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        macro = _parse_macro(d.pop("macro"))


        def _parse_micro(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        micro = _parse_micro(d.pop("micro"))


        def _parse_weighted(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        weighted = _parse_weighted(d.pop("weighted"))


        averages = cls(
            macro=macro,
            micro=micro,
            weighted=weighted,
        )


        averages.additional_properties = d
        return averages

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
