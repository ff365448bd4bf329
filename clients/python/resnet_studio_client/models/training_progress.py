from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="TrainingProgress")



@_attrs_define
class TrainingProgress:
    """ 
        Attributes:
            epoch (int | None | Unset):
            epochs (int | None | Unset):
            step (int | None | Unset):
            steps_per_epoch (int | None | Unset):
            percent (float | None | Unset):
            eta_seconds (float | None | Unset):
            phase (None | str | Unset):
     """

    epoch: int | None | Unset = UNSET
    epochs: int | None | Unset = UNSET
    step: int | None | Unset = UNSET
    steps_per_epoch: int | None | Unset = UNSET
    percent: float | None | Unset = UNSET
    eta_seconds: float | None | Unset = UNSET
    phase: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        epoch: int | None | Unset
        if isinstance(self.epoch, Unset):
            epoch = UNSET
        else:
            epoch = self.epoch

        epochs: int | None | Unset
        if isinstance(self.epochs, Unset):
            epochs = UNSET
        else:
            epochs = self.epochs

        step: int | None | Unset
        if isinstance(self.step, Unset):
            step = UNSET
        else:
            step = self.step

        steps_per_epoch: int | None | Unset
        if isinstance(self.steps_per_epoch, Unset):
            steps_per_epoch = UNSET
        else:
            steps_per_epoch = self.steps_per_epoch

        percent: float | None | Unset
        if isinstance(self.percent, Unset):
            percent = UNSET
        else:
            percent = self.percent

        eta_seconds: float | None | Unset
        if isinstance(self.eta_seconds, Unset):
            eta_seconds = UNSET
        else:
            eta_seconds = self.eta_seconds

        phase: None | str | Unset
        if isinstance(self.phase, Unset):
            phase = UNSET
        else:
            phase = self.phase


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
        })
        if epoch is not UNSET:
            field_dict["epoch"] = epoch
        if epochs is not UNSET:
            field_dict["epochs"] = epochs
        if step is not UNSET:
            field_dict["step"] = step
        if steps_per_epoch is not UNSET:
            field_dict["steps_per_epoch"] = steps_per_epoch
        if percent is not UNSET:
            field_dict["percent"] = percent
        if eta_seconds is not UNSET:
            field_dict["eta_seconds"] = eta_seconds
        if phase is not UNSET:
            field_dict["phase"] = phase

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_epoch(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        epoch = _parse_epoch(d.pop("epoch", UNSET))


        def _parse_epochs(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        epochs = _parse_epochs(d.pop("epochs", UNSET))


        def _parse_step(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        step = _parse_step(d.pop("step", UNSET))


        def _parse_steps_per_epoch(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        steps_per_epoch = _parse_steps_per_epoch(d.pop("steps_per_epoch", UNSET))


        def _parse_percent(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        percent = _parse_percent(d.pop("percent", UNSET))


        def _parse_eta_seconds(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        eta_seconds = _parse_eta_seconds(d.pop("eta_seconds", UNSET))


        def _parse_phase(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        phase = _parse_phase(d.pop("phase", UNSET))


        training_progress = cls(
            epoch=epoch,
            epochs=epochs,
            step=step,
            steps_per_epoch=steps_per_epoch,
            percent=percent,
            eta_seconds=eta_seconds,
            phase=phase,
        )


        training_progress.additional_properties = d
        return training_progress

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
