from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast






T = TypeVar("T", bound="EpochMetrics")



@_attrs_define
class EpochMetrics:
    """ 
        Attributes:
            epoch (int): 1-based.
            train_loss (float | None): null when not finite (training diverged).
            val_loss (float | None): null when not finite.
            val_top1 (float): Top-1 accuracy on the validation set, 0-1.
            val_top5 (float): Top-5 (top-k for fewer classes) accuracy, 0-1.
            learning_rate (float):
            train_images_per_s (float):
            val_images_per_s (float):
            seconds (float):
     """

    epoch: int
    train_loss: float | None
    val_loss: float | None
    val_top1: float
    val_top5: float
    learning_rate: float
    train_images_per_s: float
    val_images_per_s: float
    seconds: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        epoch = self.epoch

        train_loss: float | None
        train_loss = self.train_loss

        val_loss: float | None
        val_loss = self.val_loss

        val_top1 = self.val_top1

        val_top5 = self.val_top5

        learning_rate = self.learning_rate

        train_images_per_s = self.train_images_per_s

        val_images_per_s = self.val_images_per_s

        seconds = self.seconds


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "epoch": epoch,
            "train_loss": train_loss,
            "val_loss": val_loss,
            "val_top1": val_top1,
            "val_top5": val_top5,
            "learning_rate": learning_rate,
            "train_images_per_s": train_images_per_s,
            "val_images_per_s": val_images_per_s,
            "seconds": seconds,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        epoch = d.pop("epoch")

        def _parse_train_loss(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        train_loss = _parse_train_loss(d.pop("train_loss"))


        def _parse_val_loss(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        val_loss = _parse_val_loss(d.pop("val_loss"))


        val_top1 = d.pop("val_top1")

        val_top5 = d.pop("val_top5")

        learning_rate = d.pop("learning_rate")

        train_images_per_s = d.pop("train_images_per_s")

        val_images_per_s = d.pop("val_images_per_s")

        seconds = d.pop("seconds")

        epoch_metrics = cls(
            epoch=epoch,
            train_loss=train_loss,
            val_loss=val_loss,
            val_top1=val_top1,
            val_top5=val_top5,
            learning_rate=learning_rate,
            train_images_per_s=train_images_per_s,
            val_images_per_s=val_images_per_s,
            seconds=seconds,
        )


        epoch_metrics.additional_properties = d
        return epoch_metrics

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
