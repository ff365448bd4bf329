from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset






T = TypeVar("T", bound="RandomRotationOption")



@_attrs_define
class RandomRotationOption:
    """ 
        Attributes:
            enabled (bool | Unset):  Default: False.
            degrees (float | Unset): Rotate by up to ± this many degrees. Default: 15.0.
     """

    enabled: bool | Unset = False
    degrees: float | Unset = 15.0





    def to_dict(self) -> dict[str, Any]:
        enabled = self.enabled

        degrees = self.degrees


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if degrees is not UNSET:
            field_dict["degrees"] = degrees

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        enabled = d.pop("enabled", UNSET)

        degrees = d.pop("degrees", UNSET)

        random_rotation_option = cls(
            enabled=enabled,
            degrees=degrees,
        )

        return random_rotation_option

