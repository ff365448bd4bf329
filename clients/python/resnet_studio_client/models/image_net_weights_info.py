from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="ImageNetWeightsInfo")



@_attrs_define
class ImageNetWeightsInfo:
    """ 
        Attributes:
            name (str): torchvision's weights enum, e.g. ResNet50_Weights.IMAGENET1K_V2.
            file_name (str): The file the weights store must hold.
            available (bool): Whether this server can use the file right now.
            top1_accuracy (float): ImageNet-1K top-1 accuracy (%) published by torchvision.
     """

    name: str
    file_name: str
    available: bool
    top1_accuracy: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        name = self.name

        file_name = self.file_name

        available = self.available

        top1_accuracy = self.top1_accuracy


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "name": name,
            "file_name": file_name,
            "available": available,
            "top1_accuracy": top1_accuracy,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        file_name = d.pop("file_name")

        available = d.pop("available")

        top1_accuracy = d.pop("top1_accuracy")

        image_net_weights_info = cls(
            name=name,
            file_name=file_name,
            available=available,
            top1_accuracy=top1_accuracy,
        )


        image_net_weights_info.additional_properties = d
        return image_net_weights_info

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
