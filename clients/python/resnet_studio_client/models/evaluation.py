from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.averages import Averages
  from ..models.class_evaluation import ClassEvaluation
  from ..models.confusion_matrix import ConfusionMatrix





T = TypeVar("T", bound="Evaluation")



@_attrs_define
class Evaluation:
    """ Azure's Evaluate Model figures for a classifier. A ratio is null when there were no
    images; a class's 0/0 is 0.

        Attributes:
            count (int): Labelled images scored.
            accuracy (float | None):
            top_k (int): The k of top_k_accuracy: the job's, at most the classes.
            top_k_accuracy (float | None):
            precision (Averages):
            recall (Averages):
            f1 (Averages):
            per_class (list[ClassEvaluation]):
            log_loss (float | None): Mean natural-log cross-entropy.
            confusion_matrix (ConfusionMatrix):
     """

    count: int
    accuracy: float | None
    top_k: int
    top_k_accuracy: float | None
    precision: Averages
    recall: Averages
    f1: Averages
    per_class: list[ClassEvaluation]
    log_loss: float | None
    confusion_matrix: ConfusionMatrix
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.averages import Averages # noqa: PLC0415
        from ..models.class_evaluation import ClassEvaluation # noqa: PLC0415
        from ..models.confusion_matrix import ConfusionMatrix # noqa: PLC0415
        count = self.count

        accuracy: float | None
        accuracy = self.accuracy

        top_k = self.top_k

        top_k_accuracy: float | None
        top_k_accuracy = self.top_k_accuracy

        precision = self.precision.to_dict()

        recall = self.recall.to_dict()

        f1 = self.f1.to_dict()

        per_class = []
        for per_class_item_data in self.per_class:
            per_class_item = per_class_item_data.to_dict()
            per_class.append(per_class_item)



        log_loss: float | None
        log_loss = self.log_loss

        confusion_matrix = self.confusion_matrix.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "count": count,
            "accuracy": accuracy,
            "top_k": top_k,
            "top_k_accuracy": top_k_accuracy,
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "per_class": per_class,
            "log_loss": log_loss,
            "confusion_matrix": confusion_matrix,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.averages import Averages # noqa: PLC0415
        from ..models.class_evaluation import ClassEvaluation # noqa: PLC0415
        from ..models.confusion_matrix import ConfusionMatrix # noqa: PLC0415
        d = dict(src_dict)
        count = d.pop("count")

        def _parse_accuracy(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        accuracy = _parse_accuracy(d.pop("accuracy"))


        top_k = d.pop("top_k")

        def _parse_top_k_accuracy(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        top_k_accuracy = _parse_top_k_accuracy(d.pop("top_k_accuracy"))


        precision = Averages.from_dict(d.pop("precision"))




        recall = Averages.from_dict(d.pop("recall"))




        f1 = Averages.from_dict(d.pop("f1"))




        per_class = []
        _per_class = d.pop("per_class")
        for per_class_item_data in (_per_class):
            per_class_item = ClassEvaluation.from_dict(per_class_item_data)



            per_class.append(per_class_item)


        def _parse_log_loss(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        log_loss = _parse_log_loss(d.pop("log_loss"))


        confusion_matrix = ConfusionMatrix.from_dict(d.pop("confusion_matrix"))




        evaluation = cls(
            count=count,
            accuracy=accuracy,
            top_k=top_k,
            top_k_accuracy=top_k_accuracy,
            precision=precision,
            recall=recall,
            f1=f1,
            per_class=per_class,
            log_loss=log_loss,
            confusion_matrix=confusion_matrix,
        )


        evaluation.additional_properties = d
        return evaluation

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
