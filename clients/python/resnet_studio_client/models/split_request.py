from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="SplitRequest")



@_attrs_define
class SplitRequest:
    """ Azure's Split Image Directory, with a settable seed.

        Attributes:
            fraction (float | Unset): Share of images in the first output. Default: 0.9.
            seed (int | Unset):  Default: 42.
            first_name (None | str | Unset):
            second_name (None | str | Unset):
     """

    fraction: float | Unset = 0.9
    seed: int | Unset = 42
    first_name: None | str | Unset = UNSET
    second_name: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        fraction = self.fraction

        seed = self.seed

        first_name: None | str | Unset
        if isinstance(self.first_name, Unset):
            first_name = UNSET
        else:
            first_name = self.first_name

        second_name: None | str | Unset
        if isinstance(self.second_name, Unset):
            second_name = UNSET
        else:
            second_name = self.second_name


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if fraction is not UNSET:
            field_dict["fraction"] = fraction
        if seed is not UNSET:
            field_dict["seed"] = seed
        if first_name is not UNSET:
            field_dict["first_name"] = first_name
        if second_name is not UNSET:
            field_dict["second_name"] = second_name

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        fraction = d.pop("fraction", UNSET)

        seed = d.pop("seed", UNSET)

        def _parse_first_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        first_name = _parse_first_name(d.pop("first_name", UNSET))


        def _parse_second_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        second_name = _parse_second_name(d.pop("second_name", UNSET))


        split_request = cls(
            fraction=fraction,
            seed=seed,
            first_name=first_name,
            second_name=second_name,
        )

        return split_request

