from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="RandomAffineOption")



@_attrs_define
class RandomAffineOption:
    """ 
        Attributes:
            enabled (bool | Unset):  Default: False.
            degrees (float | Unset): Rotate by up to ± this many degrees. Default: 15.0.
            translate (list[float] | None | Unset): Max shift as fractions of [width, height].
            scale (list[float] | None | Unset): [min, max] zoom factor.
     """

    enabled: bool | Unset = False
    degrees: float | Unset = 15.0
    translate: list[float] | None | Unset = UNSET
    scale: list[float] | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        enabled = self.enabled

        degrees = self.degrees

        translate: list[float] | None | Unset
        if isinstance(self.translate, Unset):
            translate = UNSET
        elif isinstance(self.translate, list):
            translate = []
            for translate_type_0_item_data in self.translate:
                translate_type_0_item: float
                translate_type_0_item = translate_type_0_item_data
                translate.append(translate_type_0_item)


        else:
            translate = self.translate

        scale: list[float] | None | Unset
        if isinstance(self.scale, Unset):
            scale = UNSET
        elif isinstance(self.scale, list):
            scale = []
            for scale_type_0_item_data in self.scale:
                scale_type_0_item: float
                scale_type_0_item = scale_type_0_item_data
                scale.append(scale_type_0_item)


        else:
            scale = self.scale


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if degrees is not UNSET:
            field_dict["degrees"] = degrees
        if translate is not UNSET:
            field_dict["translate"] = translate
        if scale is not UNSET:
            field_dict["scale"] = scale

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        enabled = d.pop("enabled", UNSET)

        degrees = d.pop("degrees", UNSET)

        def _parse_translate(data: object) -> list[float] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                translate_type_0 = []
                _translate_type_0 = data
                for translate_type_0_item_data in (_translate_type_0):
                    def _parse_translate_type_0_item(data: object) -> float:
                        return cast(float, data)

                    translate_type_0_item = _parse_translate_type_0_item(translate_type_0_item_data)

                    translate_type_0.append(translate_type_0_item)

                return translate_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[float] | None | Unset, data)

        translate = _parse_translate(d.pop("translate", UNSET))


        def _parse_scale(data: object) -> list[float] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                scale_type_0 = []
                _scale_type_0 = data
                for scale_type_0_item_data in (_scale_type_0):
                    def _parse_scale_type_0_item(data: object) -> float:
                        return cast(float, data)

                    scale_type_0_item = _parse_scale_type_0_item(scale_type_0_item_data)

                    scale_type_0.append(scale_type_0_item)

                return scale_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[float] | None | Unset, data)

        scale = _parse_scale(d.pop("scale", UNSET))


        random_affine_option = cls(
            enabled=enabled,
            degrees=degrees,
            translate=translate,
            scale=scale,
        )

        return random_affine_option

