from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.prediction import Prediction





T = TypeVar("T", bound="PredictResponse")



@_attrs_define
class PredictResponse:
    """ 
        Attributes:
            model_id (str):
            predictions (list[Prediction]):
     """

    model_id: str
    predictions: list[Prediction]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.prediction import Prediction # noqa: PLC0415
        model_id = self.model_id

        predictions = []
        for predictions_item_data in self.predictions:
            predictions_item = predictions_item_data.to_dict()
            predictions.append(predictions_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "model_id": model_id,
            "predictions": predictions,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.prediction import Prediction # noqa: PLC0415
        d = dict(src_dict)
        model_id = d.pop("model_id")

        predictions = []
        _predictions = d.pop("predictions")
        for predictions_item_data in (_predictions):
            predictions_item = Prediction.from_dict(predictions_item_data)



            predictions.append(predictions_item)


        predict_response = cls(
            model_id=model_id,
            predictions=predictions,
        )


        predict_response.additional_properties = d
        return predict_response

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
