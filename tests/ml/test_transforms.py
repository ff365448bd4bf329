"""Image transformations: Azure's options and order, torchvision's exact results, defects fixed."""

from __future__ import annotations

import json
import pickle
from dataclasses import replace

import numpy as np
import pytest
import torch
from PIL import Image
from torchvision import transforms as v1
from torchvision.transforms import v2

from app.ml.transforms import (
    IMAGENET_MEAN,
    IMAGENET_STD,
    SCRATCH_MEAN,
    SCRATCH_STD,
    Chance,
    ColorJitter,
    Crop,
    Grayscale,
    Mode,
    Pad,
    RandomAffine,
    RandomErasing,
    RandomPerspective,
    RandomResizedCrop,
    RandomRotation,
    Resize,
    TransformSpec,
    build_transform,
    output_size,
    resolve_normalization,
)

NO_FLIP = TransformSpec(random_horizontal_flip=Chance(enabled=False))

EVERY_RANDOM_OPTION = TransformSpec(
    pad=Pad(enabled=True, padding=4),
    color_jitter=ColorJitter(enabled=True),
    random_resized_crop=RandomResizedCrop(enabled=True, size=200),
    random_crop=Crop(enabled=True, size=192),
    random_vertical_flip=Chance(enabled=True, p=0.5),
    random_rotation=RandomRotation(enabled=True, degrees=30),
    random_affine=RandomAffine(enabled=True, degrees=10, translate=(0.1, 0.1), scale=(0.9, 1.1)),
    random_grayscale=Chance(enabled=True, p=0.3),
    random_perspective=RandomPerspective(enabled=True),
    random_erasing=RandomErasing(enabled=True, p=1.0),
)


@pytest.fixture(scope="module")
def photo() -> Image.Image:
    """A 300x400 RGB picture with structure (gradients) and texture (noise), not a flat colour."""
    rng = np.random.default_rng(0)
    y, x = np.mgrid[0:300, 0:400]
    base = np.stack([x * 255 / 400, y * 255 / 300, (x + y) * 255 / 700], axis=-1)
    noisy = np.clip(base + rng.normal(0, 20, base.shape), 0, 255).astype(np.uint8)
    return Image.fromarray(noisy, "RGB")


def run(spec: TransformSpec, mode: Mode, image: Image.Image, seed: int = 0) -> torch.Tensor:
    torch.manual_seed(seed)
    return build_transform(spec, mode, IMAGENET_MEAN, IMAGENET_STD)(image)


def test_defaults_are_azures_options_in_azures_order() -> None:
    spec = TransformSpec()
    assert list(spec.to_dict()) == [
        "resize",
        "center_crop",
        "pad",
        "color_jitter",
        "grayscale",
        "random_resized_crop",
        "random_crop",
        "random_horizontal_flip",
        "random_vertical_flip",
        "random_rotation",
        "random_affine",
        "random_grayscale",
        "random_perspective",
        "random_erasing",
        "normalize_mean",
        "normalize_std",
    ]
    enabled = [name for name, value in spec.to_dict().items() if (value or {}).get("enabled")]
    assert enabled == ["resize", "center_crop", "random_horizontal_flip"]
    assert (spec.resize.size, spec.center_crop.size, spec.pad.padding) == (256, 224, 0)
    assert (spec.random_resized_crop.size, spec.random_crop.size) == (256, 224)
    assert (spec.random_horizontal_flip.p, spec.random_vertical_flip.p) == (0.5, 0.5)
    assert (spec.random_grayscale.p, spec.random_perspective.p, spec.random_erasing.p) == (
        0.1,
        0.5,
        0.5,
    )
    spec.validate()


def test_eval_pipeline_equals_torchvisions_resize_center_crop_to_tensor_normalize(
    photo: Image.Image,
) -> None:
    ours = run(TransformSpec(), "eval", photo)
    reference = v1.Compose(
        [
            v1.Resize(256),
            v1.CenterCrop(224),
            v1.ToTensor(),
            v1.Normalize(IMAGENET_MEAN, IMAGENET_STD),
        ]
    )(photo)
    assert type(ours) is torch.Tensor and ours.shape == (3, 224, 224)
    # v2 scales by multiplying with 1/255 where ToTensor divides by 255: the two differ in the last
    # float bit only, a millionth of one grey level (one level is ~0.017 after Normalize).
    torch.testing.assert_close(ours, reference, rtol=0, atol=1e-6)


def test_train_pipeline_under_a_seed_equals_the_hand_built_torchvision_v2_pipeline(
    photo: Image.Image,
) -> None:
    spec = EVERY_RANDOM_OPTION
    reference = v2.Compose(
        [
            v2.Resize(256),
            v2.CenterCrop(224),
            v2.Pad(4),
            v2.ColorJitter(0.4, 0.4, 0.4, 0.1),
            v2.RandomResizedCrop(200),
            v2.RandomCrop(192, pad_if_needed=True),
            v2.RandomHorizontalFlip(0.5),
            v2.RandomVerticalFlip(0.5),
            v2.RandomRotation(30),
            v2.RandomAffine(10, translate=(0.1, 0.1), scale=(0.9, 1.1)),
            v2.RandomGrayscale(0.3),
            v2.RandomPerspective(0.5, 0.5),
            v2.ToImage(),
            v2.ToDtype(torch.float32, scale=True),
            v2.Normalize(IMAGENET_MEAN, IMAGENET_STD),
            v2.RandomErasing(1.0),
        ]
    )
    outputs = []
    for seed in (0, 1, 2):
        torch.manual_seed(seed)
        expected = reference(photo)
        ours = run(spec, "train", photo, seed)
        assert ours.shape == (3, 192, 192)
        assert torch.equal(ours, expected)
        outputs.append(ours)
    assert not torch.equal(outputs[0], outputs[1])  # the seeds did change the augmentation


def test_eval_mode_runs_no_random_op_even_with_every_random_option_on(
    photo: Image.Image,
) -> None:
    first = run(EVERY_RANDOM_OPTION, "eval", photo, seed=0)
    second = run(EVERY_RANDOM_OPTION, "eval", photo, seed=1)
    assert torch.equal(first, second)
    # What is left is resize, center crop and pad: the deterministic options.
    assert torch.equal(
        first, run(replace(NO_FLIP, pad=Pad(enabled=True, padding=4)), "eval", photo)
    )
    assert first.shape == (3, 232, 232) and output_size(EVERY_RANDOM_OPTION, "eval") == 232
    assert not torch.equal(
        run(EVERY_RANDOM_OPTION, "train", photo, 0), run(EVERY_RANDOM_OPTION, "train", photo, 1)
    )


def test_color_jitter_with_strengths_changes_pixel_values(photo: Image.Image) -> None:
    plain = run(NO_FLIP, "train", photo)
    jittered = run(replace(NO_FLIP, color_jitter=ColorJitter(enabled=True)), "train", photo)
    assert (jittered - plain).abs().mean() > 0.05
    # Zero strengths are what Azure's jitter amounted to: no change at all.
    zero = ColorJitter(enabled=True, brightness=0, contrast=0, saturation=0, hue=0)
    assert torch.equal(run(replace(NO_FLIP, color_jitter=zero), "train", photo), plain)


def test_random_erasing_with_p_1_erases_one_rectangle_to_the_mean(photo: Image.Image) -> None:
    plain = run(NO_FLIP, "train", photo)
    erased = run(replace(NO_FLIP, random_erasing=RandomErasing(enabled=True, p=1)), "train", photo)
    changed = (erased != plain).any(dim=0)
    rows, cols = changed.any(dim=1).nonzero(), changed.any(dim=0).nonzero()
    box = (slice(int(rows.min()), int(rows.max()) + 1), slice(int(cols.min()), int(cols.max()) + 1))
    assert changed.sum() > 0.02 * 224 * 224 * 0.9  # scale (0.02, 0.33) of the area
    assert changed[box].all()  # one solid rectangle
    assert (erased[:, box[0], box[1]] == 0).all()  # 0 after Normalize is the mean colour


def test_grayscale_keeps_three_equal_channels(photo: Image.Image) -> None:
    spec = replace(NO_FLIP, grayscale=Grayscale(enabled=True))
    out = build_transform(spec, "eval", SCRATCH_MEAN, SCRATCH_STD)(photo)
    assert out.shape == (3, 224, 224)
    assert torch.equal(out[0], out[1]) and torch.equal(out[1], out[2])
    assert not torch.equal(out, build_transform(NO_FLIP, "eval", SCRATCH_MEAN, SCRATCH_STD)(photo))


def test_single_channel_and_alpha_images_come_out_as_three_channels(photo: Image.Image) -> None:
    for image in (photo.convert("L"), photo.convert("RGBA"), photo.convert("P")):
        assert run(TransformSpec(), "eval", image).shape == (3, 224, 224)


def test_the_pipeline_pickles_for_data_loader_workers(photo: Image.Image) -> None:
    pipeline = build_transform(EVERY_RANDOM_OPTION, "train", IMAGENET_MEAN, IMAGENET_STD)
    copy = pickle.loads(pickle.dumps(pipeline))  # noqa: S301 - our own object
    torch.manual_seed(3)
    expected = pipeline(photo)
    torch.manual_seed(3)
    assert torch.equal(copy(photo), expected)


def test_an_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="'train' or 'eval'"):
        build_transform(TransformSpec(), "inference", IMAGENET_MEAN, IMAGENET_STD)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("spec", "fragments"),
    [
        (TransformSpec(center_crop=Crop(True, 300)), ["center_crop.size 300", "resize.size 256"]),
        (
            TransformSpec(random_crop=Crop(True, 240)),
            ["random_crop.size 240", "224-pixel image", "center_crop"],
        ),
        (
            TransformSpec(center_crop=Crop(False), random_crop=Crop(True, 300)),
            ["random_crop.size 300", "256-pixel image", "resize"],
        ),
        (TransformSpec(random_rotation=RandomRotation(True, 200)), ["degrees 200", "180"]),
        (TransformSpec(random_affine=RandomAffine(degrees=-1)), ["random_affine.degrees -1"]),
        (TransformSpec(random_vertical_flip=Chance(p=1.5)), ["random_vertical_flip.p 1.5", "1"]),
        (TransformSpec(random_erasing=RandomErasing(p=-0.1)), ["random_erasing.p -0.1"]),
        (TransformSpec(color_jitter=ColorJitter(hue=0.7)), ["color_jitter.hue 0.7", "0.5"]),
        (TransformSpec(resize=Resize(size=0)), ["resize.size 0", "at least 1"]),
        (
            TransformSpec(random_resized_crop=RandomResizedCrop(scale=(0.9, 0.1))),
            ["random_resized_crop.scale [0.9, 0.1]", "min <= max"],
        ),
        (TransformSpec(random_erasing=RandomErasing(ratio=(0, 2))), ["ratio [0, 2]", "above 0"]),
        (TransformSpec(center_crop=Crop(False)), ["enable center_crop, random_crop or random_r"]),
        (
            TransformSpec(center_crop=Crop(False), random_resized_crop=RandomResizedCrop(True)),
            ["inference", "enable center_crop"],
        ),
        (TransformSpec(normalize_mean=(0.5, 0.5, 0.5)), ["together"]),
        (
            TransformSpec.from_dict({"normalize_mean": [0, 0], "normalize_std": [1, 1, 1]}),
            ["normalize_mean needs 3 values"],
        ),
        (
            TransformSpec(normalize_mean=(0, 0, 0), normalize_std=(1, 0, 1)),
            ["normalize_std [1, 0, 1]", "above 0"],
        ),
    ],
)
def test_bad_settings_fail_validation_with_a_message_naming_them(
    spec: TransformSpec, fragments: list[str]
) -> None:
    with pytest.raises(ValueError) as caught:
        spec.validate()
    for fragment in fragments:
        assert fragment in str(caught.value)


def test_every_problem_is_reported_at_once() -> None:
    spec = TransformSpec(center_crop=Crop(True, 300), random_rotation=RandomRotation(True, 200))
    with pytest.raises(ValueError, match=r"degrees 200.*; center_crop.size 300"):
        spec.validate()


def test_crops_are_checked_against_the_resize_only_when_both_are_enabled() -> None:
    TransformSpec(resize=Resize(enabled=False), center_crop=Crop(True, 300)).validate()
    TransformSpec(resize=Resize(False, 100), center_crop=Crop(True, 224)).validate()
    TransformSpec(random_crop=Crop(False, 999)).validate()


def test_output_size_is_the_last_crop_plus_padding_or_none() -> None:
    assert output_size(TransformSpec()) == 224
    assert output_size(TransformSpec(pad=Pad(True, 8))) == 240
    assert output_size(EVERY_RANDOM_OPTION, "train") == 192
    assert output_size(EVERY_RANDOM_OPTION, "eval") == 232
    assert output_size(TransformSpec(center_crop=Crop(False))) is None


def test_to_dict_and_from_dict_round_trip_through_json() -> None:
    spec = replace(EVERY_RANDOM_OPTION, normalize_mean=(0.1, 0.2, 0.3), normalize_std=(1, 2, 3))
    assert TransformSpec.from_dict(json.loads(json.dumps(spec.to_dict()))) == spec
    assert TransformSpec.from_dict(json.loads(json.dumps(TransformSpec().to_dict()))) == (
        TransformSpec()
    )


def test_from_dict_fills_missing_options_with_their_defaults_and_refuses_unknown_ones() -> None:
    spec = TransformSpec.from_dict({"random_grayscale": {"enabled": True}})
    assert spec.random_grayscale == Chance(enabled=True, p=0.1)  # this option's default p
    assert spec.resize == Resize()
    with pytest.raises(ValueError, match="unknown transform options: colour"):
        TransformSpec.from_dict({"colour": {}})
    with pytest.raises(ValueError, match="random_crop"):
        TransformSpec.from_dict({"random_crop": {"width": 3}})


def test_normalization_follows_the_model_unless_the_spec_sets_it() -> None:
    spec = TransformSpec()
    assert resolve_normalization(spec, pretrained=True) == (
        (0.485, 0.456, 0.406),
        (0.229, 0.224, 0.225),
    )
    assert resolve_normalization(spec, pretrained=False) == ((0.5,) * 3, (0.5,) * 3)
    custom = TransformSpec(normalize_mean=(0.1, 0.2, 0.3), normalize_std=(0.4, 0.5, 0.6))
    for pretrained in (True, False):
        assert resolve_normalization(custom, pretrained) == ((0.1, 0.2, 0.3), (0.4, 0.5, 0.6))
