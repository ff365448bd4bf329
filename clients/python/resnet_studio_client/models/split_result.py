from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.dataset import Dataset





T = TypeVar("T", bound="SplitResult")



@_attrs_define
class SplitResult:
    """ 
        Attributes:
            first (Dataset):
            second (Dataset):
     """

    first: Dataset
    second: Dataset
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.dataset import Dataset # noqa: PLC0415
        first = self.first.to_dict()

        second = self.second.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "first": first,
            "second": second,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.dataset import Dataset # noqa: PLC0415
        d = dict(src_dict)
        first = Dataset.from_dict(d.pop("first"))




        second = Dataset.from_dict(d.pop("second"))




        split_result = cls(
            first=first,
            second=second,
        )


        split_result.additional_properties = d
        return split_result

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
