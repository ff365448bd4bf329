from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="AuditEvent")



@_attrs_define
class AuditEvent:
    """ 
        Attributes:
            id (str):
            project_id (str):
            key_id (None | str): The project key; null for an operator.
            caller (str): The key's fingerprint (never the key).
            method (str):
            route (str): The route's path template.
            resource_id (None | str):
            status (int): The HTTP status the request was answered with.
            request_id (None | str):
            created_at (datetime.datetime):
     """

    id: str
    project_id: str
    key_id: None | str
    caller: str
    method: str
    route: str
    resource_id: None | str
    status: int
    request_id: None | str
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        project_id = self.project_id

        key_id: None | str
        key_id = self.key_id

        caller = self.caller

        method = self.method

        route = self.route

        resource_id: None | str
        resource_id = self.resource_id

        status = self.status

        request_id: None | str
        request_id = self.request_id

        created_at = self.created_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "project_id": project_id,
            "key_id": key_id,
            "caller": caller,
            "method": method,
            "route": route,
            "resource_id": resource_id,
            "status": status,
            "request_id": request_id,
            "created_at": created_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        project_id = d.pop("project_id")

        def _parse_key_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        key_id = _parse_key_id(d.pop("key_id"))


        caller = d.pop("caller")

        method = d.pop("method")

        route = d.pop("route")

        def _parse_resource_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        resource_id = _parse_resource_id(d.pop("resource_id"))


        status = d.pop("status")

        def _parse_request_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        request_id = _parse_request_id(d.pop("request_id"))


        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        audit_event = cls(
            id=id,
            project_id=project_id,
            key_id=key_id,
            caller=caller,
            method=method,
            route=route,
            resource_id=resource_id,
            status=status,
            request_id=request_id,
            created_at=created_at,
        )


        audit_event.additional_properties = d
        return audit_event

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
