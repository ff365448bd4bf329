from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.architecture import Architecture
from ..models.family import Family
from ..models.model_status import ModelStatus
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.model_links import ModelLinks
  from ..models.model_metrics_type_0 import ModelMetricsType0
  from ..models.source_weights import SourceWeights





T = TypeVar("T", bound="Model")



@_attrs_define
class Model:
    """ 
        Attributes:
            id (str):
            name (None | str):
            description (None | str):
            tags (list[str]):
            status (ModelStatus):
            architecture (Architecture):
            family (Family):
            pretrained (bool):
            zero_init_residual (bool):
            memory_efficient (bool):
            source_weights (None | SourceWeights): The ImageNet weights, when pretrained.
            num_classes (int | None): Set by training; null while untrained.
            class_names (list[str] | None): Index i is class i; set by training.
            training_job_id (None | str): The job that trained this model.
            metrics (ModelMetricsType0 | None): Best epoch, its validation loss and accuracy, and why training stopped.
            storage_uri (str): The model directory in storage.
            created_at (datetime.datetime):
            updated_at (datetime.datetime):
            links (ModelLinks):
     """

    id: str
    name: None | str
    description: None | str
    tags: list[str]
    status: ModelStatus
    architecture: Architecture
    family: Family
    pretrained: bool
    zero_init_residual: bool
    memory_efficient: bool
    source_weights: None | SourceWeights
    num_classes: int | None
    class_names: list[str] | None
    training_job_id: None | str
    metrics: ModelMetricsType0 | None
    storage_uri: str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    links: ModelLinks
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.model_links import ModelLinks # noqa: PLC0415
        from ..models.model_metrics_type_0 import ModelMetricsType0 # noqa: PLC0415
        from ..models.source_weights import SourceWeights # noqa: PLC0415
        id = self.id

        name: None | str
        name = self.name

        description: None | str
        description = self.description

        tags = self.tags



        status = self.status.value

        architecture = self.architecture.value

        family = self.family.value

        pretrained = self.pretrained

        zero_init_residual = self.zero_init_residual

        memory_efficient = self.memory_efficient

        source_weights: dict[str, Any] | None
        if isinstance(self.source_weights, SourceWeights):
            source_weights = self.source_weights.to_dict()
        else:
            source_weights = self.source_weights

        num_classes: int | None
        num_classes = self.num_classes

        class_names: list[str] | None
        if isinstance(self.class_names, list):
            class_names = self.class_names


        else:
            class_names = self.class_names

        training_job_id: None | str
        training_job_id = self.training_job_id

        metrics: dict[str, Any] | None
        if isinstance(self.metrics, ModelMetricsType0):
            metrics = self.metrics.to_dict()
        else:
            metrics = self.metrics

        storage_uri = self.storage_uri

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        links = self.links.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "name": name,
            "description": description,
            "tags": tags,
            "status": status,
            "architecture": architecture,
            "family": family,
            "pretrained": pretrained,
            "zero_init_residual": zero_init_residual,
            "memory_efficient": memory_efficient,
            "source_weights": source_weights,
            "num_classes": num_classes,
            "class_names": class_names,
            "training_job_id": training_job_id,
            "metrics": metrics,
            "storage_uri": storage_uri,
            "created_at": created_at,
            "updated_at": updated_at,
            "links": links,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.model_links import ModelLinks # noqa: PLC0415
        from ..models.model_metrics_type_0 import ModelMetricsType0 # noqa: PLC0415
        from ..models.source_weights import SourceWeights # noqa: PLC0415
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


        tags = cast(list[str], d.pop("tags"))


        status = ModelStatus(d.pop("status"))




        architecture = Architecture(d.pop("architecture"))




        family = Family(d.pop("family"))




        pretrained = d.pop("pretrained")

        zero_init_residual = d.pop("zero_init_residual")

        memory_efficient = d.pop("memory_efficient")

        def _parse_source_weights(data: object) -> None | SourceWeights:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                source_weights_type_0 = SourceWeights.from_dict(data)



                return source_weights_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SourceWeights, data)

        source_weights = _parse_source_weights(d.pop("source_weights"))


        def _parse_num_classes(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        num_classes = _parse_num_classes(d.pop("num_classes"))


        def _parse_class_names(data: object) -> list[str] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                class_names_type_0 = cast(list[str], data)

                return class_names_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None, data)

        class_names = _parse_class_names(d.pop("class_names"))


        def _parse_training_job_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        training_job_id = _parse_training_job_id(d.pop("training_job_id"))


        def _parse_metrics(data: object) -> ModelMetricsType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                metrics_type_0 = ModelMetricsType0.from_dict(data)



                return metrics_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ModelMetricsType0 | None, data)

        metrics = _parse_metrics(d.pop("metrics"))


        storage_uri = d.pop("storage_uri")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))




        links = ModelLinks.from_dict(d.pop("links"))




        model = cls(
            id=id,
            name=name,
            description=description,
            tags=tags,
            status=status,
            architecture=architecture,
            family=family,
            pretrained=pretrained,
            zero_init_residual=zero_init_residual,
            memory_efficient=memory_efficient,
            source_weights=source_weights,
            num_classes=num_classes,
            class_names=class_names,
            training_job_id=training_job_id,
            metrics=metrics,
            storage_uri=storage_uri,
            created_at=created_at,
            updated_at=updated_at,
            links=links,
        )


        model.additional_properties = d
        return model

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
