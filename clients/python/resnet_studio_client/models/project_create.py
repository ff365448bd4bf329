from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.quota_limits import QuotaLimits





T = TypeVar("T", bound="ProjectCreate")



@_attrs_define
class ProjectCreate:
    """ 
        Attributes:
            name (str):
            id (None | str | Unset): Lowercase letters, digits and '-', up to 36; default: a new UUID.
            description (None | str | Unset):
            quotas (QuotaLimits | Unset): A project's own limits; a quota left out (or null) takes the server's default, and
                0
                means no limit.
     """

    name: str
    id: None | str | Unset = UNSET
    description: None | str | Unset = UNSET
    quotas: QuotaLimits | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.quota_limits import QuotaLimits # noqa: PLC0415
        name = self.name

        id: None | str | Unset
        if isinstance(self.id, Unset):
            id = UNSET
        else:
            id = self.id

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        quotas: dict[str, Any] | Unset = UNSET
        if not isinstance(self.quotas, Unset):
            quotas = self.quotas.to_dict()


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "name": name,
        })
        if id is not UNSET:
            field_dict["id"] = id
        if description is not UNSET:
            field_dict["description"] = description
        if quotas is not UNSET:
            field_dict["quotas"] = quotas

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.quota_limits import QuotaLimits # noqa: PLC0415
        d = dict(src_dict)
        name = d.pop("name")

        def _parse_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        id = _parse_id(d.pop("id", UNSET))


        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))


        _quotas = d.pop("quotas", UNSET)
        quotas: QuotaLimits | Unset
        if isinstance(_quotas,  Unset):
            quotas = UNSET
        else:
            quotas = QuotaLimits.from_dict(_quotas)




        project_create = cls(
            name=name,
            id=id,
            description=description,
            quotas=quotas,
        )

        return project_create

