from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.architecture import Architecture
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="ModelCreate")



@_attrs_define
class ModelCreate:
    """ Build an untrained model, as the Azure ML designer's ResNet and DenseNet modules do.

        Attributes:
            architecture (Architecture | Unset):
            pretrained (bool | Unset): Start from ImageNet weights (from the weights store). Default: True.
            zero_init_residual (bool | Unset): ResNet family only: zero-init the last BatchNorm of each residual branch.
                Default: False.
            memory_efficient (bool | Unset): DenseNet only: gradient checkpointing (less memory, slower). Default: False.
            name (None | str | Unset):
            description (None | str | Unset):
            tags (list[str] | Unset):
     """

    architecture: Architecture | Unset = UNSET
    pretrained: bool | Unset = True
    zero_init_residual: bool | Unset = False
    memory_efficient: bool | Unset = False
    name: None | str | Unset = UNSET
    description: None | str | Unset = UNSET
    tags: list[str] | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        architecture: str | Unset = UNSET
        if not isinstance(self.architecture, Unset):
            architecture = self.architecture.value


        pretrained = self.pretrained

        zero_init_residual = self.zero_init_residual

        memory_efficient = self.memory_efficient

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        tags: list[str] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags




        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if architecture is not UNSET:
            field_dict["architecture"] = architecture
        if pretrained is not UNSET:
            field_dict["pretrained"] = pretrained
        if zero_init_residual is not UNSET:
            field_dict["zero_init_residual"] = zero_init_residual
        if memory_efficient is not UNSET:
            field_dict["memory_efficient"] = memory_efficient
        if name is not UNSET:
            field_dict["name"] = name
        if description is not UNSET:
            field_dict["description"] = description
        if tags is not UNSET:
            field_dict["tags"] = tags

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _architecture = d.pop("architecture", UNSET)
        architecture: Architecture | Unset
        if isinstance(_architecture,  Unset):
            architecture = UNSET
        else:
            architecture = Architecture(_architecture)




        pretrained = d.pop("pretrained", UNSET)

        zero_init_residual = d.pop("zero_init_residual", UNSET)

        memory_efficient = d.pop("memory_efficient", UNSET)

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))


        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))


        tags = cast(list[str], d.pop("tags", UNSET))


        model_create = cls(
            architecture=architecture,
            pretrained=pretrained,
            zero_init_residual=zero_init_residual,
            memory_efficient=memory_efficient,
            name=name,
            description=description,
            tags=tags,
        )

        return model_create

