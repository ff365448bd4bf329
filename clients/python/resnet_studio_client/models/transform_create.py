from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.center_crop_option import CenterCropOption
  from ..models.color_jitter_option import ColorJitterOption
  from ..models.grayscale_option import GrayscaleOption
  from ..models.pad_option import PadOption
  from ..models.random_affine_option import RandomAffineOption
  from ..models.random_crop_option import RandomCropOption
  from ..models.random_erasing_option import RandomErasingOption
  from ..models.random_grayscale_option import RandomGrayscaleOption
  from ..models.random_horizontal_flip_option import RandomHorizontalFlipOption
  from ..models.random_perspective_option import RandomPerspectiveOption
  from ..models.random_resized_crop_option import RandomResizedCropOption
  from ..models.random_rotation_option import RandomRotationOption
  from ..models.random_vertical_flip_option import RandomVerticalFlipOption
  from ..models.resize_option import ResizeOption





T = TypeVar("T", bound="TransformCreate")



@_attrs_define
class TransformCreate:
    """ Every option is optional; omitted ones take Azure's defaults.

        Attributes:
            resize (ResizeOption | Unset): Scale the shorter edge to `size`, keeping the aspect ratio.
            center_crop (CenterCropOption | Unset):
            pad (PadOption | Unset):
            color_jitter (ColorJitterOption | Unset): Random brightness, contrast and saturation factors in [1 - s, 1 + s];
                hue shift in ±hue.
            grayscale (GrayscaleOption | Unset): Always convert to gray (kept as 3 equal channels).
            random_resized_crop (RandomResizedCropOption | Unset):
            random_crop (RandomCropOption | Unset):
            random_horizontal_flip (RandomHorizontalFlipOption | Unset):
            random_vertical_flip (RandomVerticalFlipOption | Unset):
            random_rotation (RandomRotationOption | Unset):
            random_affine (RandomAffineOption | Unset):
            random_grayscale (RandomGrayscaleOption | Unset):
            random_perspective (RandomPerspectiveOption | Unset):
            random_erasing (RandomErasingOption | Unset): Blank a random rectangle (after normalization, so it takes the
                mean colour).
            normalize_mean (list[float] | None | Unset): Per-channel mean; null: ImageNet's for pretrained models, else 0.5.
            normalize_std (list[float] | None | Unset): Per-channel std; null: ImageNet's for pretrained models, else 0.5.
            name (None | str | Unset):
     """

    resize: ResizeOption | Unset = UNSET
    center_crop: CenterCropOption | Unset = UNSET
    pad: PadOption | Unset = UNSET
    color_jitter: ColorJitterOption | Unset = UNSET
    grayscale: GrayscaleOption | Unset = UNSET
    random_resized_crop: RandomResizedCropOption | Unset = UNSET
    random_crop: RandomCropOption | Unset = UNSET
    random_horizontal_flip: RandomHorizontalFlipOption | Unset = UNSET
    random_vertical_flip: RandomVerticalFlipOption | Unset = UNSET
    random_rotation: RandomRotationOption | Unset = UNSET
    random_affine: RandomAffineOption | Unset = UNSET
    random_grayscale: RandomGrayscaleOption | Unset = UNSET
    random_perspective: RandomPerspectiveOption | Unset = UNSET
    random_erasing: RandomErasingOption | Unset = UNSET
    normalize_mean: list[float] | None | Unset = UNSET
    normalize_std: list[float] | None | Unset = UNSET
    name: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.center_crop_option import CenterCropOption # noqa: PLC0415
        from ..models.color_jitter_option import ColorJitterOption # noqa: PLC0415
        from ..models.grayscale_option import GrayscaleOption # noqa: PLC0415
        from ..models.pad_option import PadOption # noqa: PLC0415
        from ..models.random_affine_option import RandomAffineOption # noqa: PLC0415
        from ..models.random_crop_option import RandomCropOption # noqa: PLC0415
        from ..models.random_erasing_option import RandomErasingOption # noqa: PLC0415
        from ..models.random_grayscale_option import RandomGrayscaleOption # noqa: PLC0415
        from ..models.random_horizontal_flip_option import RandomHorizontalFlipOption # noqa: PLC0415
        from ..models.random_perspective_option import RandomPerspectiveOption # noqa: PLC0415
        from ..models.random_resized_crop_option import RandomResizedCropOption # noqa: PLC0415
        from ..models.random_rotation_option import RandomRotationOption # noqa: PLC0415
        from ..models.random_vertical_flip_option import RandomVerticalFlipOption # noqa: PLC0415
        from ..models.resize_option import ResizeOption # noqa: PLC0415
        resize: dict[str, Any] | Unset = UNSET
        if not isinstance(self.resize, Unset):
            resize = self.resize.to_dict()

        center_crop: dict[str, Any] | Unset = UNSET
        if not isinstance(self.center_crop, Unset):
            center_crop = self.center_crop.to_dict()

        pad: dict[str, Any] | Unset = UNSET
        if not isinstance(self.pad, Unset):
            pad = self.pad.to_dict()

        color_jitter: dict[str, Any] | Unset = UNSET
        if not isinstance(self.color_jitter, Unset):
            color_jitter = self.color_jitter.to_dict()

        grayscale: dict[str, Any] | Unset = UNSET
        if not isinstance(self.grayscale, Unset):
            grayscale = self.grayscale.to_dict()

        random_resized_crop: dict[str, Any] | Unset = UNSET
        if not isinstance(self.random_resized_crop, Unset):
            random_resized_crop = self.random_resized_crop.to_dict()

        random_crop: dict[str, Any] | Unset = UNSET
        if not isinstance(self.random_crop, Unset):
            random_crop = self.random_crop.to_dict()

        random_horizontal_flip: dict[str, Any] | Unset = UNSET
        if not isinstance(self.random_horizontal_flip, Unset):
            random_horizontal_flip = self.random_horizontal_flip.to_dict()

        random_vertical_flip: dict[str, Any] | Unset = UNSET
        if not isinstance(self.random_vertical_flip, Unset):
            random_vertical_flip = self.random_vertical_flip.to_dict()

        random_rotation: dict[str, Any] | Unset = UNSET
        if not isinstance(self.random_rotation, Unset):
            random_rotation = self.random_rotation.to_dict()

        random_affine: dict[str, Any] | Unset = UNSET
        if not isinstance(self.random_affine, Unset):
            random_affine = self.random_affine.to_dict()

        random_grayscale: dict[str, Any] | Unset = UNSET
        if not isinstance(self.random_grayscale, Unset):
            random_grayscale = self.random_grayscale.to_dict()

        random_perspective: dict[str, Any] | Unset = UNSET
        if not isinstance(self.random_perspective, Unset):
            random_perspective = self.random_perspective.to_dict()

        random_erasing: dict[str, Any] | Unset = UNSET
        if not isinstance(self.random_erasing, Unset):
            random_erasing = self.random_erasing.to_dict()

        normalize_mean: list[float] | None | Unset
        if isinstance(self.normalize_mean, Unset):
            normalize_mean = UNSET
        elif isinstance(self.normalize_mean, list):
            normalize_mean = []
            for normalize_mean_type_0_item_data in self.normalize_mean:
                normalize_mean_type_0_item: float
                normalize_mean_type_0_item = normalize_mean_type_0_item_data
                normalize_mean.append(normalize_mean_type_0_item)


        else:
            normalize_mean = self.normalize_mean

        normalize_std: list[float] | None | Unset
        if isinstance(self.normalize_std, Unset):
            normalize_std = UNSET
        elif isinstance(self.normalize_std, list):
            normalize_std = []
            for normalize_std_type_0_item_data in self.normalize_std:
                normalize_std_type_0_item: float
                normalize_std_type_0_item = normalize_std_type_0_item_data
                normalize_std.append(normalize_std_type_0_item)


        else:
            normalize_std = self.normalize_std

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if resize is not UNSET:
            field_dict["resize"] = resize
        if center_crop is not UNSET:
            field_dict["center_crop"] = center_crop
        if pad is not UNSET:
            field_dict["pad"] = pad
        if color_jitter is not UNSET:
            field_dict["color_jitter"] = color_jitter
        if grayscale is not UNSET:
            field_dict["grayscale"] = grayscale
        if random_resized_crop is not UNSET:
            field_dict["random_resized_crop"] = random_resized_crop
        if random_crop is not UNSET:
            field_dict["random_crop"] = random_crop
        if random_horizontal_flip is not UNSET:
            field_dict["random_horizontal_flip"] = random_horizontal_flip
        if random_vertical_flip is not UNSET:
            field_dict["random_vertical_flip"] = random_vertical_flip
        if random_rotation is not UNSET:
            field_dict["random_rotation"] = random_rotation
        if random_affine is not UNSET:
            field_dict["random_affine"] = random_affine
        if random_grayscale is not UNSET:
            field_dict["random_grayscale"] = random_grayscale
        if random_perspective is not UNSET:
            field_dict["random_perspective"] = random_perspective
        if random_erasing is not UNSET:
            field_dict["random_erasing"] = random_erasing
        if normalize_mean is not UNSET:
            field_dict["normalize_mean"] = normalize_mean
        if normalize_std is not UNSET:
            field_dict["normalize_std"] = normalize_std
        if name is not UNSET:
            field_dict["name"] = name

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.center_crop_option import CenterCropOption # noqa: PLC0415
        from ..models.color_jitter_option import ColorJitterOption # noqa: PLC0415
        from ..models.grayscale_option import GrayscaleOption # noqa: PLC0415
        from ..models.pad_option import PadOption # noqa: PLC0415
        from ..models.random_affine_option import RandomAffineOption # noqa: PLC0415
        from ..models.random_crop_option import RandomCropOption # noqa: PLC0415
        from ..models.random_erasing_option import RandomErasingOption # noqa: PLC0415
        from ..models.random_grayscale_option import RandomGrayscaleOption # noqa: PLC0415
        from ..models.random_horizontal_flip_option import RandomHorizontalFlipOption # noqa: PLC0415
        from ..models.random_perspective_option import RandomPerspectiveOption # noqa: PLC0415
        from ..models.random_resized_crop_option import RandomResizedCropOption # noqa: PLC0415
        from ..models.random_rotation_option import RandomRotationOption # noqa: PLC0415
        from ..models.random_vertical_flip_option import RandomVerticalFlipOption # noqa: PLC0415
        from ..models.resize_option import ResizeOption # noqa: PLC0415
        d = dict(src_dict)
        _resize = d.pop("resize", UNSET)
        resize: ResizeOption | Unset
        if isinstance(_resize,  Unset):
            resize = UNSET
        else:
            resize = ResizeOption.from_dict(_resize)




        _center_crop = d.pop("center_crop", UNSET)
        center_crop: CenterCropOption | Unset
        if isinstance(_center_crop,  Unset):
            center_crop = UNSET
        else:
            center_crop = CenterCropOption.from_dict(_center_crop)




        _pad = d.pop("pad", UNSET)
        pad: PadOption | Unset
        if isinstance(_pad,  Unset):
            pad = UNSET
        else:
            pad = PadOption.from_dict(_pad)




        _color_jitter = d.pop("color_jitter", UNSET)
        color_jitter: ColorJitterOption | Unset
        if isinstance(_color_jitter,  Unset):
            color_jitter = UNSET
        else:
            color_jitter = ColorJitterOption.from_dict(_color_jitter)




        _grayscale = d.pop("grayscale", UNSET)
        grayscale: GrayscaleOption | Unset
        if isinstance(_grayscale,  Unset):
            grayscale = UNSET
        else:
            grayscale = GrayscaleOption.from_dict(_grayscale)




        _random_resized_crop = d.pop("random_resized_crop", UNSET)
        random_resized_crop: RandomResizedCropOption | Unset
        if isinstance(_random_resized_crop,  Unset):
            random_resized_crop = UNSET
        else:
            random_resized_crop = RandomResizedCropOption.from_dict(_random_resized_crop)




        _random_crop = d.pop("random_crop", UNSET)
        random_crop: RandomCropOption | Unset
        if isinstance(_random_crop,  Unset):
            random_crop = UNSET
        else:
            random_crop = RandomCropOption.from_dict(_random_crop)




        _random_horizontal_flip = d.pop("random_horizontal_flip", UNSET)
        random_horizontal_flip: RandomHorizontalFlipOption | Unset
        if isinstance(_random_horizontal_flip,  Unset):
            random_horizontal_flip = UNSET
        else:
            random_horizontal_flip = RandomHorizontalFlipOption.from_dict(_random_horizontal_flip)




        _random_vertical_flip = d.pop("random_vertical_flip", UNSET)
        random_vertical_flip: RandomVerticalFlipOption | Unset
        if isinstance(_random_vertical_flip,  Unset):
            random_vertical_flip = UNSET
        else:
            random_vertical_flip = RandomVerticalFlipOption.from_dict(_random_vertical_flip)




        _random_rotation = d.pop("random_rotation", UNSET)
        random_rotation: RandomRotationOption | Unset
        if isinstance(_random_rotation,  Unset):
            random_rotation = UNSET
        else:
            random_rotation = RandomRotationOption.from_dict(_random_rotation)




        _random_affine = d.pop("random_affine", UNSET)
        random_affine: RandomAffineOption | Unset
        if isinstance(_random_affine,  Unset):
            random_affine = UNSET
        else:
            random_affine = RandomAffineOption.from_dict(_random_affine)




        _random_grayscale = d.pop("random_grayscale", UNSET)
        random_grayscale: RandomGrayscaleOption | Unset
        if isinstance(_random_grayscale,  Unset):
            random_grayscale = UNSET
        else:
            random_grayscale = RandomGrayscaleOption.from_dict(_random_grayscale)




        _random_perspective = d.pop("random_perspective", UNSET)
        random_perspective: RandomPerspectiveOption | Unset
        if isinstance(_random_perspective,  Unset):
            random_perspective = UNSET
        else:
            random_perspective = RandomPerspectiveOption.from_dict(_random_perspective)




        _random_erasing = d.pop("random_erasing", UNSET)
        random_erasing: RandomErasingOption | Unset
        if isinstance(_random_erasing,  Unset):
            random_erasing = UNSET
        else:
            random_erasing = RandomErasingOption.from_dict(_random_erasing)




        def _parse_normalize_mean(data: object) -> list[float] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                normalize_mean_type_0 = []
                _normalize_mean_type_0 = data
                for normalize_mean_type_0_item_data in (_normalize_mean_type_0):
                    def _parse_normalize_mean_type_0_item(data: object) -> float:
                        return cast(float, data)

                    normalize_mean_type_0_item = _parse_normalize_mean_type_0_item(normalize_mean_type_0_item_data)

                    normalize_mean_type_0.append(normalize_mean_type_0_item)

                return normalize_mean_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[float] | None | Unset, data)

        normalize_mean = _parse_normalize_mean(d.pop("normalize_mean", UNSET))


        def _parse_normalize_std(data: object) -> list[float] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                normalize_std_type_0 = []
                _normalize_std_type_0 = data
                for normalize_std_type_0_item_data in (_normalize_std_type_0):
                    def _parse_normalize_std_type_0_item(data: object) -> float:
                        return cast(float, data)

                    normalize_std_type_0_item = _parse_normalize_std_type_0_item(normalize_std_type_0_item_data)

                    normalize_std_type_0.append(normalize_std_type_0_item)

                return normalize_std_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[float] | None | Unset, data)

        normalize_std = _parse_normalize_std(d.pop("normalize_std", UNSET))


        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))


        transform_create = cls(
            resize=resize,
            center_crop=center_crop,
            pad=pad,
            color_jitter=color_jitter,
            grayscale=grayscale,
            random_resized_crop=random_resized_crop,
            random_crop=random_crop,
            random_horizontal_flip=random_horizontal_flip,
            random_vertical_flip=random_vertical_flip,
            random_rotation=random_rotation,
            random_affine=random_affine,
            random_grayscale=random_grayscale,
            random_perspective=random_perspective,
            random_erasing=random_erasing,
            normalize_mean=normalize_mean,
            normalize_std=normalize_std,
            name=name,
        )

        return transform_create

