from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset






T = TypeVar("T", bound="ResizeOption")



@_attrs_define
class ResizeOption:
    """ Scale the shorter edge to `size`, keeping the aspect ratio.

        Attributes:
            enabled (bool | Unset):  Default: True.
            size (int | Unset): Pixels. Default: 256.
     """

    enabled: bool | Unset = True
    size: int | Unset = 256





    def to_dict(self) -> dict[str, Any]:
        enabled = self.enabled

        size = self.size


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if size is not UNSET:
            field_dict["size"] = size

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        enabled = d.pop("enabled", UNSET)

        size = d.pop("size", UNSET)

        resize_option = cls(
            enabled=enabled,
            size=size,
        )

        return resize_option

