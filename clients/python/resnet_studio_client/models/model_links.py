from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="ModelLinks")



@_attrs_define
class ModelLinks:
    """ 
        Attributes:
            self_ (str):
            architecture (str):
            training_curves (None | str | Unset):
     """

    self_: str
    architecture: str
    training_curves: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        self_ = self.self_

        architecture = self.architecture

        training_curves: None | str | Unset
        if isinstance(self.training_curves, Unset):
            training_curves = UNSET
        else:
            training_curves = self.training_curves


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "self": self_,
            "architecture": architecture,
        })
        if training_curves is not UNSET:
            field_dict["training_curves"] = training_curves

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        self_ = d.pop("self")

        architecture = d.pop("architecture")

        def _parse_training_curves(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        training_curves = _parse_training_curves(d.pop("training_curves", UNSET))


        model_links = cls(
            self_=self_,
            architecture=architecture,
            training_curves=training_curves,
        )


        model_links.additional_properties = d
        return model_links

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
