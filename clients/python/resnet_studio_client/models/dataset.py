from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.dataset_status import DatasetStatus
from ..models.source_format import SourceFormat
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.dataset_class_counts_type_0 import DatasetClassCountsType0
  from ..models.dataset_error import DatasetError
  from ..models.dataset_links import DatasetLinks
  from ..models.image_stats import ImageStats
  from ..models.indexing_progress import IndexingProgress





T = TypeVar("T", bound="Dataset")



@_attrs_define
class Dataset:
    """ 
        Attributes:
            id (str):
            name (None | str):
            description (None | str):
            status (DatasetStatus):
            source_uri (str):
            source_format (SourceFormat):
            labelled (bool | None):
            classes (list[str] | None): Sorted; a class's index is its position.
            class_counts (DatasetClassCountsType0 | None):
            image_count (int | None):
            skipped_count (int | None):
            stored_bytes (int | None): Bytes this dataset keeps in the service's storage: an uploaded archive, the images
                kept from an archive, its snapshot. Null for datasets indexed before it was recorded.
            image_stats (ImageStats | None):
            parent_id (None | str): The dataset this one was split from.
            progress (IndexingProgress | None): While indexing.
            error (DatasetError | None):
            created_at (datetime.datetime):
            updated_at (datetime.datetime):
            links (DatasetLinks):
     """

    id: str
    name: None | str
    description: None | str
    status: DatasetStatus
    source_uri: str
    source_format: SourceFormat
    labelled: bool | None
    classes: list[str] | None
    class_counts: DatasetClassCountsType0 | None
    image_count: int | None
    skipped_count: int | None
    stored_bytes: int | None
    image_stats: ImageStats | None
    parent_id: None | str
    progress: IndexingProgress | None
    error: DatasetError | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    links: DatasetLinks
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.dataset_class_counts_type_0 import DatasetClassCountsType0 # noqa: PLC0415
        from ..models.dataset_error import DatasetError # noqa: PLC0415
        from ..models.dataset_links import DatasetLinks # noqa: PLC0415
        from ..models.image_stats import ImageStats # noqa: PLC0415
        from ..models.indexing_progress import IndexingProgress # noqa: PLC0415
        id = self.id

        name: None | str
        name = self.name

        description: None | str
        description = self.description

        status = self.status.value

        source_uri = self.source_uri

        source_format = self.source_format.value

        labelled: bool | None
        labelled = self.labelled

        classes: list[str] | None
        if isinstance(self.classes, list):
            classes = self.classes


        else:
            classes = self.classes

        class_counts: dict[str, Any] | None
        if isinstance(self.class_counts, DatasetClassCountsType0):
            class_counts = self.class_counts.to_dict()
        else:
            class_counts = self.class_counts

        image_count: int | None
        image_count = self.image_count

        skipped_count: int | None
        skipped_count = self.skipped_count

        stored_bytes: int | None
        stored_bytes = self.stored_bytes

        image_stats: dict[str, Any] | None
        if isinstance(self.image_stats, ImageStats):
            image_stats = self.image_stats.to_dict()
        else:
            image_stats = self.image_stats

        parent_id: None | str
        parent_id = self.parent_id

        progress: dict[str, Any] | None
        if isinstance(self.progress, IndexingProgress):
            progress = self.progress.to_dict()
        else:
            progress = self.progress

        error: dict[str, Any] | None
        if isinstance(self.error, DatasetError):
            error = self.error.to_dict()
        else:
            error = self.error

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        links = self.links.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "name": name,
            "description": description,
            "status": status,
            "source_uri": source_uri,
            "source_format": source_format,
            "labelled": labelled,
            "classes": classes,
            "class_counts": class_counts,
            "image_count": image_count,
            "skipped_count": skipped_count,
            "stored_bytes": stored_bytes,
            "image_stats": image_stats,
            "parent_id": parent_id,
            "progress": progress,
            "error": error,
            "created_at": created_at,
            "updated_at": updated_at,
            "links": links,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.dataset_class_counts_type_0 import DatasetClassCountsType0 # noqa: PLC0415
        from ..models.dataset_error import DatasetError # noqa: PLC0415
        from ..models.dataset_links import DatasetLinks # noqa: PLC0415
        from ..models.image_stats import ImageStats # noqa: PLC0415
        from ..models.indexing_progress import IndexingProgress # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        def _parse_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        name = _parse_name(d.pop("name"))


        def _parse_description(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        description = _parse_description(d.pop("description"))


        status = DatasetStatus(d.pop("status"))




        source_uri = d.pop("source_uri")

        source_format = SourceFormat(d.pop("source_format"))




        def _parse_labelled(data: object) -> bool | None:
            if data is None:
                return data
            return cast(bool | None, data)

        labelled = _parse_labelled(d.pop("labelled"))


        def _parse_classes(data: object) -> list[str] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                classes_type_0 = cast(list[str], data)

                return classes_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None, data)

        classes = _parse_classes(d.pop("classes"))


        def _parse_class_counts(data: object) -> DatasetClassCountsType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                class_counts_type_0 = DatasetClassCountsType0.from_dict(data)



                return class_counts_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DatasetClassCountsType0 | None, data)

        class_counts = _parse_class_counts(d.pop("class_counts"))


        def _parse_image_count(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        image_count = _parse_image_count(d.pop("image_count"))


        def _parse_skipped_count(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        skipped_count = _parse_skipped_count(d.pop("skipped_count"))


        def _parse_stored_bytes(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        stored_bytes = _parse_stored_bytes(d.pop("stored_bytes"))


        def _parse_image_stats(data: object) -> ImageStats | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                image_stats_type_0 = ImageStats.from_dict(data)



                return image_stats_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ImageStats | None, data)

        image_stats = _parse_image_stats(d.pop("image_stats"))


        def _parse_parent_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        parent_id = _parse_parent_id(d.pop("parent_id"))


        def _parse_progress(data: object) -> IndexingProgress | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                progress_type_0 = IndexingProgress.from_dict(data)



                return progress_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(IndexingProgress | None, data)

        progress = _parse_progress(d.pop("progress"))


        def _parse_error(data: object) -> DatasetError | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                error_type_0 = DatasetError.from_dict(data)



                return error_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DatasetError | None, data)

        error = _parse_error(d.pop("error"))


        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))




        links = DatasetLinks.from_dict(d.pop("links"))




        dataset = cls(
            id=id,
            name=name,
            description=description,
            status=status,
            source_uri=source_uri,
            source_format=source_format,
            labelled=labelled,
            classes=classes,
            class_counts=class_counts,
            image_count=image_count,
            skipped_count=skipped_count,
            stored_bytes=stored_bytes,
            image_stats=image_stats,
            parent_id=parent_id,
            progress=progress,
            error=error,
            created_at=created_at,
            updated_at=updated_at,
            links=links,
        )


        dataset.additional_properties = d
        return dataset

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
