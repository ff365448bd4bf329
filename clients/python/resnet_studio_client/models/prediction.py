from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.label_probability import LabelProbability
  from ..models.prediction_probabilities_type_0 import PredictionProbabilitiesType0





T = TypeVar("T", bound="Prediction")



@_attrs_define
class Prediction:
    """ 
        Attributes:
            index (int):
            name (str):
            label (str): The most probable class.
            top_k (list[LabelProbability]):
            probabilities (None | PredictionProbabilitiesType0 | Unset): Every class, with include_probabilities=true.
     """

    index: int
    name: str
    label: str
    top_k: list[LabelProbability]
    probabilities: None | PredictionProbabilitiesType0 | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.label_probability import LabelProbability # noqa: PLC0415
        from ..models.prediction_probabilities_type_0 import PredictionProbabilitiesType0 # noqa: PLC0415
        index = self.index

        name = self.name

        label = self.label

        top_k = []
        for top_k_item_data in self.top_k:
            top_k_item = top_k_item_data.to_dict()
            top_k.append(top_k_item)



        probabilities: dict[str, Any] | None | Unset
        if isinstance(self.probabilities, Unset):
            probabilities = UNSET
        elif isinstance(self.probabilities, PredictionProbabilitiesType0):
            probabilities = self.probabilities.to_dict()
        else:
            probabilities = self.probabilities


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "index": index,
            "name": name,
            "label": label,
            "top_k": top_k,
        })
        if probabilities is not UNSET:
            field_dict["probabilities"] = probabilities

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.label_probability import LabelProbability # noqa: PLC0415
        from ..models.prediction_probabilities_type_0 import PredictionProbabilitiesType0 # noqa: PLC0415
        d = dict(src_dict)
        index = d.pop("index")

        name = d.pop("name")

        label = d.pop("label")

        top_k = []
        _top_k = d.pop("top_k")
        for top_k_item_data in (_top_k):
            top_k_item = LabelProbability.from_dict(top_k_item_data)



            top_k.append(top_k_item)


        def _parse_probabilities(data: object) -> None | PredictionProbabilitiesType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                probabilities_type_0 = PredictionProbabilitiesType0.from_dict(data)



                return probabilities_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PredictionProbabilitiesType0 | Unset, data)

        probabilities = _parse_probabilities(d.pop("probabilities", UNSET))


        prediction = cls(
            index=index,
            name=name,
            label=label,
            top_k=top_k,
            probabilities=probabilities,
        )


        prediction.additional_properties = d
        return prediction

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
