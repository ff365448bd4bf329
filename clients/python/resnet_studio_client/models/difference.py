from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.better import Better
from typing import cast






T = TypeVar("T", bound="Difference")



@_attrs_define
class Difference:
    """ 
        Attributes:
            a (float | None): The first job's figure.
            b (float | None): The second job's figure.
            difference (float | None): b - a; null when either is null.
            better (Better | None): Which job is better on this figure.
     """

    a: float | None
    b: float | None
    difference: float | None
    better: Better | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        a: float | None
        a = self.a

        b: float | None
        b = self.b

        difference: float | None
        difference = self.difference

        better: None | str
        if isinstance(self.better, Better):
            better = self.better.value
        else:
            better = self.better


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "a": a,
            "b": b,
            "difference": difference,
            "better": better,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_a(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        a = _parse_a(d.pop("a"))


        def _parse_b(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        b = _parse_b(d.pop("b"))


        def _parse_difference(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        difference = _parse_difference(d.pop("difference"))


        def _parse_better(data: object) -> Better | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                better_type_0 = Better(data)



                return better_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Better | None, data)

        better = _parse_better(d.pop("better"))


        difference = cls(
            a=a,
            b=b,
            difference=difference,
            better=better,
        )


        difference.additional_properties = d
        return difference

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
