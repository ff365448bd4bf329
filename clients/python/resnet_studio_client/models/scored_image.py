from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.label_probability import LabelProbability
  from ..models.scored_image_probabilities import ScoredImageProbabilities





T = TypeVar("T", bound="ScoredImage")



@_attrs_define
class ScoredImage:
    """ One row of the predictions file, typed: the same figures as its Azure-named columns.

        Attributes:
            id (str): `id`: the image's path in the input.
            category (None | str): `category`: the true class; labelled input only.
            scored_label (None | str): `Scored Labels`: the most probable class; null below the confidence threshold.
            probabilities (ScoredImageProbabilities): `Scored Probabilities_<class>`: every class's probability.
            top_k (list[LabelProbability]): `Top <i> Label` and `Top <i> Probability`, most probable first.
            below_threshold (bool | None): `Below Threshold`: set only when the job had a confidence_threshold.
     """

    id: str
    category: None | str
    scored_label: None | str
    probabilities: ScoredImageProbabilities
    top_k: list[LabelProbability]
    below_threshold: bool | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.label_probability import LabelProbability # noqa: PLC0415
        from ..models.scored_image_probabilities import ScoredImageProbabilities # noqa: PLC0415
        id = self.id

        category: None | str
        category = self.category

        scored_label: None | str
        scored_label = self.scored_label

        probabilities = self.probabilities.to_dict()

        top_k = []
        for top_k_item_data in self.top_k:
            top_k_item = top_k_item_data.to_dict()
            top_k.append(top_k_item)



        below_threshold: bool | None
        below_threshold = self.below_threshold


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "category": category,
            "scored_label": scored_label,
            "probabilities": probabilities,
            "top_k": top_k,
            "below_threshold": below_threshold,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.label_probability import LabelProbability # noqa: PLC0415
        from ..models.scored_image_probabilities import ScoredImageProbabilities # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        def _parse_category(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        category = _parse_category(d.pop("category"))


        def _parse_scored_label(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        scored_label = _parse_scored_label(d.pop("scored_label"))


        probabilities = ScoredImageProbabilities.from_dict(d.pop("probabilities"))




        top_k = []
        _top_k = d.pop("top_k")
        for top_k_item_data in (_top_k):
            top_k_item = LabelProbability.from_dict(top_k_item_data)



            top_k.append(top_k_item)


        def _parse_below_threshold(data: object) -> bool | None:
            if data is None:
                return data
            return cast(bool | None, data)

        below_threshold = _parse_below_threshold(d.pop("below_threshold"))


        scored_image = cls(
            id=id,
            category=category,
            scored_label=scored_label,
            probabilities=probabilities,
            top_k=top_k,
            below_threshold=below_threshold,
        )


        scored_image.additional_properties = d
        return scored_image

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
