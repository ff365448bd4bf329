from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.class_differences import ClassDifferences
  from ..models.differences_metrics import DifferencesMetrics





T = TypeVar("T", bound="Differences")



@_attrs_define
class Differences:
    """ 
        Attributes:
            count (int):
            top_k (int):
            metrics (DifferencesMetrics): accuracy, top_k_accuracy, log_loss and <precision|recall|f1>_<average>.
            per_class (list[ClassDifferences]):
     """

    count: int
    top_k: int
    metrics: DifferencesMetrics
    per_class: list[ClassDifferences]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.class_differences import ClassDifferences # noqa: PLC0415
        from ..models.differences_metrics import DifferencesMetrics # noqa: PLC0415
        count = self.count

        top_k = self.top_k

        metrics = self.metrics.to_dict()

        per_class = []
        for per_class_item_data in self.per_class:
            per_class_item = per_class_item_data.to_dict()
            per_class.append(per_class_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "count": count,
            "top_k": top_k,
            "metrics": metrics,
            "per_class": per_class,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.class_differences import ClassDifferences # noqa: PLC0415
        from ..models.differences_metrics import DifferencesMetrics # noqa: PLC0415
        d = dict(src_dict)
        count = d.pop("count")

        top_k = d.pop("top_k")

        metrics = DifferencesMetrics.from_dict(d.pop("metrics"))




        per_class = []
        _per_class = d.pop("per_class")
        for per_class_item_data in (_per_class):
            per_class_item = ClassDifferences.from_dict(per_class_item_data)



            per_class.append(per_class_item)


        differences = cls(
            count=count,
            top_k=top_k,
            metrics=metrics,
            per_class=per_class,
        )


        differences.additional_properties = d
        return differences

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
