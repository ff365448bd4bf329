from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.differences import Differences





T = TypeVar("T", bound="Comparison")



@_attrs_define
class Comparison:
    """ 
        Attributes:
            first_job_id (str):
            second_job_id (str):
            differences (Differences):
     """

    first_job_id: str
    second_job_id: str
    differences: Differences
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.differences import Differences # noqa: PLC0415
        first_job_id = self.first_job_id

        second_job_id = self.second_job_id

        differences = self.differences.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "first_job_id": first_job_id,
            "second_job_id": second_job_id,
            "differences": differences,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.differences import Differences # noqa: PLC0415
        d = dict(src_dict)
        first_job_id = d.pop("first_job_id")

        second_job_id = d.pop("second_job_id")

        differences = Differences.from_dict(d.pop("differences"))




        comparison = cls(
            first_job_id=first_job_id,
            second_job_id=second_job_id,
            differences=differences,
        )


        comparison.additional_properties = d
        return comparison

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
