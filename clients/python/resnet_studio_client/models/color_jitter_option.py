from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset






T = TypeVar("T", bound="ColorJitterOption")



@_attrs_define
class ColorJitterOption:
    """ Random brightness, contrast and saturation factors in [1 - s, 1 + s]; hue shift in ±hue.

        Attributes:
            enabled (bool | Unset):  Default: False.
            brightness (float | Unset):  Default: 0.4.
            contrast (float | Unset):  Default: 0.4.
            saturation (float | Unset):  Default: 0.4.
            hue (float | Unset):  Default: 0.1.
     """

    enabled: bool | Unset = False
    brightness: float | Unset = 0.4
    contrast: float | Unset = 0.4
    saturation: float | Unset = 0.4
    hue: float | Unset = 0.1





    def to_dict(self) -> dict[str, Any]:
        enabled = self.enabled

        brightness = self.brightness

        contrast = self.contrast

        saturation = self.saturation

        hue = self.hue


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if brightness is not UNSET:
            field_dict["brightness"] = brightness
        if contrast is not UNSET:
            field_dict["contrast"] = contrast
        if saturation is not UNSET:
            field_dict["saturation"] = saturation
        if hue is not UNSET:
            field_dict["hue"] = hue

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        enabled = d.pop("enabled", UNSET)

        brightness = d.pop("brightness", UNSET)

        contrast = d.pop("contrast", UNSET)

        saturation = d.pop("saturation", UNSET)

        hue = d.pop("hue", UNSET)

        color_jitter_option = cls(
            enabled=enabled,
            brightness=brightness,
            contrast=contrast,
            saturation=saturation,
            hue=hue,
        )

        return color_jitter_option

