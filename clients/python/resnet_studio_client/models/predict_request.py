from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.image_spec import ImageSpec





T = TypeVar("T", bound="PredictRequest")



@_attrs_define
class PredictRequest:
    """ 
        Attributes:
            images (list[ImageSpec]):
            top_k (int | None | Unset): Default 1.
            include_probabilities (bool | None | Unset): Every class's probability too. Default false.
     """

    images: list[ImageSpec]
    top_k: int | None | Unset = UNSET
    include_probabilities: bool | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.image_spec import ImageSpec # noqa: PLC0415
        images = []
        for images_item_data in self.images:
            images_item = images_item_data.to_dict()
            images.append(images_item)



        top_k: int | None | Unset
        if isinstance(self.top_k, Unset):
            top_k = UNSET
        else:
            top_k = self.top_k

        include_probabilities: bool | None | Unset
        if isinstance(self.include_probabilities, Unset):
            include_probabilities = UNSET
        else:
            include_probabilities = self.include_probabilities


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "images": images,
        })
        if top_k is not UNSET:
            field_dict["top_k"] = top_k
        if include_probabilities is not UNSET:
            field_dict["include_probabilities"] = include_probabilities

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.image_spec import ImageSpec # noqa: PLC0415
        d = dict(src_dict)
        images = []
        _images = d.pop("images")
        for images_item_data in (_images):
            images_item = ImageSpec.from_dict(images_item_data)



            images.append(images_item)


        def _parse_top_k(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        top_k = _parse_top_k(d.pop("top_k", UNSET))


        def _parse_include_probabilities(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        include_probabilities = _parse_include_probabilities(d.pop("include_probabilities", UNSET))


        predict_request = cls(
            images=images,
            top_k=top_k,
            include_probabilities=include_probabilities,
        )

        return predict_request

