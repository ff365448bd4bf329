from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field
import json
from .. import types

from ..types import UNSET, Unset

from ..types import File, FileTypes
from ..types import UNSET, Unset
from io import BytesIO
from typing import cast






T = TypeVar("T", bound="ModelsPredictFilesBody")



@_attrs_define
class ModelsPredictFilesBody:
    """ 
        Attributes:
            files (list[File]):
            top_k (int | Unset): Default 1.
            include_probabilities (bool | Unset): Every class's probability too. Default false.
     """

    files: list[File]
    top_k: int | Unset = UNSET
    include_probabilities: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        files = []
        for files_item_data in self.files:
            files_item = files_item_data.to_tuple()

            files.append(files_item)



        top_k = self.top_k

        include_probabilities = self.include_probabilities


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "files": files,
        })
        if top_k is not UNSET:
            field_dict["top_k"] = top_k
        if include_probabilities is not UNSET:
            field_dict["include_probabilities"] = include_probabilities

        return field_dict


    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        for files_item_element in self.files:
            files.append(("files", files_item_element.to_tuple()))




        if not isinstance(self.top_k, Unset):
            files.append(("top_k", (None, str(self.top_k).encode(), "text/plain")))



        if not isinstance(self.include_probabilities, Unset):
            files.append(("include_probabilities", (None, str(self.include_probabilities).encode(), "text/plain")))




        for prop_name, prop in self.additional_properties.items():
            files.append((prop_name, (None, str(prop).encode(), "text/plain")))



        return files


    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        files = []
        _files = d.pop("files")
        for files_item_data in (_files):
            files_item = File(
                 payload = BytesIO(files_item_data)
            )



            files.append(files_item)


        top_k = d.pop("top_k", UNSET)

        include_probabilities = d.pop("include_probabilities", UNSET)

        models_predict_files_body = cls(
            files=files,
            top_k=top_k,
            include_probabilities=include_probabilities,
        )


        models_predict_files_body.additional_properties = d
        return models_predict_files_body

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
