from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.architecture import Architecture
from ..models.family import Family
from typing import cast

if TYPE_CHECKING:
  from ..models.image_net_weights_info import ImageNetWeightsInfo





T = TypeVar("T", bound="ArchitectureInfo")



@_attrs_define
class ArchitectureInfo:
    """ 
        Attributes:
            name (Architecture):
            family (Family):
            num_params (int): Parameters with the 1000-class ImageNet head.
            gflops (float): Forward GFLOPs for one 224x224 image.
            default_input_size (int): Square crop size the network is trained at.
            default_resize_size (int): Resize before the crop, for these weights.
            imagenet_weights (ImageNetWeightsInfo):
     """

    name: Architecture
    family: Family
    num_params: int
    gflops: float
    default_input_size: int
    default_resize_size: int
    imagenet_weights: ImageNetWeightsInfo
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.image_net_weights_info import ImageNetWeightsInfo # noqa: PLC0415
        name = self.name.value

        family = self.family.value

        num_params = self.num_params

        gflops = self.gflops

        default_input_size = self.default_input_size

        default_resize_size = self.default_resize_size

        imagenet_weights = self.imagenet_weights.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "name": name,
            "family": family,
            "num_params": num_params,
            "gflops": gflops,
            "default_input_size": default_input_size,
            "default_resize_size": default_resize_size,
            "imagenet_weights": imagenet_weights,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.image_net_weights_info import ImageNetWeightsInfo # noqa: PLC0415
        d = dict(src_dict)
        name = Architecture(d.pop("name"))




        family = Family(d.pop("family"))




        num_params = d.pop("num_params")

        gflops = d.pop("gflops")

        default_input_size = d.pop("default_input_size")

        default_resize_size = d.pop("default_resize_size")

        imagenet_weights = ImageNetWeightsInfo.from_dict(d.pop("imagenet_weights"))




        architecture_info = cls(
            name=name,
            family=family,
            num_params=num_params,
            gflops=gflops,
            default_input_size=default_input_size,
            default_resize_size=default_resize_size,
            imagenet_weights=imagenet_weights,
        )


        architecture_info.additional_properties = d
        return architecture_info

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
