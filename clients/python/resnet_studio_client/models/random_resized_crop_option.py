from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="RandomResizedCropOption")



@_attrs_define
class RandomResizedCropOption:
    """ 
        Attributes:
            enabled (bool | Unset):  Default: False.
            size (int | Unset): Pixels. Default: 256.
            scale (list[float] | Unset): [min, max] fraction of the area to crop.
            ratio (list[float] | Unset): [min, max] aspect ratio of the crop.
     """

    enabled: bool | Unset = False
    size: int | Unset = 256
    scale: list[float] | Unset = UNSET
    ratio: list[float] | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        enabled = self.enabled

        size = self.size

        scale: list[float] | Unset = UNSET
        if not isinstance(self.scale, Unset):
            scale = []
            for scale_item_data in self.scale:
                scale_item: float
                scale_item = scale_item_data
                scale.append(scale_item)



        ratio: list[float] | Unset = UNSET
        if not isinstance(self.ratio, Unset):
            ratio = []
            for ratio_item_data in self.ratio:
                ratio_item: float
                ratio_item = ratio_item_data
                ratio.append(ratio_item)




        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if enabled is not UNSET:
            field_dict["enabled"] = enabled
        if size is not UNSET:
            field_dict["size"] = size
        if scale is not UNSET:
            field_dict["scale"] = scale
        if ratio is not UNSET:
            field_dict["ratio"] = ratio

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        enabled = d.pop("enabled", UNSET)

        size = d.pop("size", UNSET)

        _scale = d.pop("scale", UNSET)
        scale: list[float] | Unset = UNSET
        if _scale is not UNSET:
            scale = []
            for scale_item_data in _scale:
                def _parse_scale_item(data: object) -> float:
                    return cast(float, data)

                scale_item = _parse_scale_item(scale_item_data)

                scale.append(scale_item)


        _ratio = d.pop("ratio", UNSET)
        ratio: list[float] | Unset = UNSET
        if _ratio is not UNSET:
            ratio = []
            for ratio_item_data in _ratio:
                def _parse_ratio_item(data: object) -> float:
                    return cast(float, data)

                ratio_item = _parse_ratio_item(ratio_item_data)

                ratio.append(ratio_item)


        random_resized_crop_option = cls(
            enabled=enabled,
            size=size,
            scale=scale,
            ratio=ratio,
        )

        return random_resized_crop_option

