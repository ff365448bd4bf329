from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset






T = TypeVar("T", bound="RandomHorizontalFlipOption")



@_attrs_define
class RandomHorizontalFlipOption:
    """ 
        Attributes:
            enabled (bool | Unset):  Default: True.
            p (float | Unset):  Default: 0.5.
     """

    enabled: bool | Unset = True
    p: float | Unset = 0.5





    def to_dict(self) -> dict[str, Any]:
        enabled = self.enabled

        p = self.p


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if p is not UNSET:
            field_dict["p"] = p

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        enabled = d.pop("enabled", UNSET)

        p = d.pop("p", UNSET)

        random_horizontal_flip_option = cls(
            enabled=enabled,
            p=p,
        )

        return random_horizontal_flip_option

