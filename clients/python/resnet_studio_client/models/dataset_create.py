from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.source_format import SourceFormat
from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="DatasetCreate")



@_attrs_define
class DatasetCreate:
    """ Register an image directory (Azure's Convert to Image Directory).

        Attributes:
            source_uri (str): file:// or s3:// URI of a class-folder tree, an archive (.zip, .tar, .tar.gz/.tgz, .tar.bz2),
                a manifest (.csv path,label or .jsonl source-ref/class), or a flat folder of unlabelled images.
            format_ (SourceFormat | Unset):
            name (None | str | Unset):
            description (None | str | Unset):
     """

    source_uri: str
    format_: SourceFormat | Unset = UNSET
    name: None | str | Unset = UNSET
    description: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        source_uri = self.source_uri

        format_: str | Unset = UNSET
        if not isinstance(self.format_, Unset):
            format_ = self.format_.value


        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "source_uri": source_uri,
        })
        if format_ is not UNSET:
            field_dict["format"] = format_
        if name is not UNSET:
            field_dict["name"] = name
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        source_uri = d.pop("source_uri")

        _format_ = d.pop("format", UNSET)
        format_: SourceFormat | Unset
        if isinstance(_format_,  Unset):
            format_ = UNSET
        else:
            format_ = SourceFormat(_format_)




        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))


        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))


        dataset_create = cls(
            source_uri=source_uri,
            format_=format_,
            name=name,
            description=description,
        )

        return dataset_create

