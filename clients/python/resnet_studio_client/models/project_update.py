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





T = TypeVar("T", bound="ProjectUpdate")



@_attrs_define
class ProjectUpdate:
    """ Fields to change; a quota set to null goes back to the server's default.

        Attributes:
            name (None | str | Unset):
            description (None | str | Unset):
            quotas (None | QuotaLimits | Unset):
     """

    name: None | str | Unset = UNSET
    description: None | str | Unset = UNSET
    quotas: None | QuotaLimits | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.quota_limits import QuotaLimits # noqa: PLC0415
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

        quotas: dict[str, Any] | None | Unset
        if isinstance(self.quotas, Unset):
            quotas = UNSET
        elif isinstance(self.quotas, QuotaLimits):
            quotas = self.quotas.to_dict()
        else:
            quotas = self.quotas


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if name is not UNSET:
            field_dict["name"] = name
        if description is not UNSET:
            field_dict["description"] = description
        if quotas is not UNSET:
            field_dict["quotas"] = quotas

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.quota_limits import QuotaLimits # noqa: PLC0415
        d = dict(src_dict)
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


        def _parse_quotas(data: object) -> None | QuotaLimits | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                quotas_type_0 = QuotaLimits.from_dict(data)



                return quotas_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | QuotaLimits | Unset, data)

        quotas = _parse_quotas(d.pop("quotas", UNSET))


        project_update = cls(
            name=name,
            description=description,
            quotas=quotas,
        )

        return project_update

