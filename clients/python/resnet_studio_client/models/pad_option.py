from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset






T = TypeVar("T", bound="PadOption")



@_attrs_define
class PadOption:
    """ 
        Attributes:
            enabled (bool | Unset):  Default: False.
            padding (int | Unset): Pixels on every side. Default: 0.
     """

    enabled: bool | Unset = False
    padding: int | Unset = 0





    def to_dict(self) -> dict[str, Any]:
        enabled = self.enabled

        padding = self.padding


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if padding is not UNSET:
            field_dict["padding"] = padding

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        enabled = d.pop("enabled", UNSET)

        padding = d.pop("padding", UNSET)

        pad_option = cls(
            enabled=enabled,
            padding=padding,
        )

        return pad_option

