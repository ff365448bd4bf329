from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="QuotaLimits")



@_attrs_define
class QuotaLimits:
    """ A project's own limits; a quota left out (or null) takes the server's default, and 0
    means no limit.

        Attributes:
            active_jobs (int | None | Unset): Jobs queued or running.
            stored_bytes (int | None | Unset): Bytes kept in the service's storage.
            open_streams (int | None | Unset): Event streams open at once.
            requests_per_minute (int | None | Unset): Requests a minute, across all of the project's keys.
     """

    active_jobs: int | None | Unset = UNSET
    stored_bytes: int | None | Unset = UNSET
    open_streams: int | None | Unset = UNSET
    requests_per_minute: int | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        active_jobs: int | None | Unset
        if isinstance(self.active_jobs, Unset):
            active_jobs = UNSET
        else:
            active_jobs = self.active_jobs

        stored_bytes: int | None | Unset
        if isinstance(self.stored_bytes, Unset):
            stored_bytes = UNSET
        else:
            stored_bytes = self.stored_bytes

        open_streams: int | None | Unset
        if isinstance(self.open_streams, Unset):
            open_streams = UNSET
        else:
            open_streams = self.open_streams

        requests_per_minute: int | None | Unset
        if isinstance(self.requests_per_minute, Unset):
            requests_per_minute = UNSET
        else:
            requests_per_minute = self.requests_per_minute


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if active_jobs is not UNSET:
            field_dict["active_jobs"] = active_jobs
        if stored_bytes is not UNSET:
            field_dict["stored_bytes"] = stored_bytes
        if open_streams is not UNSET:
            field_dict["open_streams"] = open_streams
        if requests_per_minute is not UNSET:
            field_dict["requests_per_minute"] = requests_per_minute

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_active_jobs(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        active_jobs = _parse_active_jobs(d.pop("active_jobs", UNSET))


        def _parse_stored_bytes(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        stored_bytes = _parse_stored_bytes(d.pop("stored_bytes", UNSET))


        def _parse_open_streams(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        open_streams = _parse_open_streams(d.pop("open_streams", UNSET))


        def _parse_requests_per_minute(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        requests_per_minute = _parse_requests_per_minute(d.pop("requests_per_minute", UNSET))


        quota_limits = cls(
            active_jobs=active_jobs,
            stored_bytes=stored_bytes,
            open_streams=open_streams,
            requests_per_minute=requests_per_minute,
        )

        return quota_limits

