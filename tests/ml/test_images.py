"""Probing untrusted image files, and decoding every kind of image to 8-bit RGB."""

from __future__ import annotations

import pickle
import time
import tracemalloc
import warnings
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageFile

from app.ml.images import (
    SUPPORTED_EXTENSIONS,
    ImageInfo,
    ImageRejected,
    header_size,
    is_supported_name,
    open_rgb,
    probe_image,
    to_rgb,
)
from tests.datasets import hostile

LIMIT = 40_000_000


def test_the_supported_extensions_are_azures_list() -> None:
    azure = {"jpg", "jpeg", "png", "ppm", "pgm", "bmp", "tif", "tiff", "webp"}
    assert {e.lstrip(".") for e in SUPPORTED_EXTENSIONS} == azure
    assert is_supported_name("cats/A.JPG")
    assert is_supported_name("x.Tiff")
    assert not is_supported_name("cats/a.gif")
    assert not is_supported_name(".jpg")  # a hidden file named ".jpg" has no extension
    assert not is_supported_name("jpg")


@pytest.mark.parametrize(
    ("name", "pil_format", "expected_format", "mode"),
    [
        ("a.jpg", "JPEG", "JPEG", "RGB"),
        ("a.JPEG", "JPEG", "JPEG", "RGB"),
        ("a.png", "PNG", "PNG", "RGB"),
        ("a.ppm", "PPM", "PPM", "RGB"),
        ("a.pgm", "PPM", "PPM", "L"),
        ("a.bmp", "BMP", "BMP", "RGB"),
        ("a.tif", "TIFF", "TIFF", "RGB"),
        ("a.TIFF", "TIFF", "TIFF", "RGB"),
        ("a.webp", "WEBP", "WEBP", "RGB"),
    ],
)
def test_every_supported_format_probes_with_its_size(
    tmp_path: Path, name: str, pil_format: str, expected_format: str, mode: str
) -> None:
    path = tmp_path / name
    hostile.noise_image((96, 64)).convert(mode).save(path, pil_format)
    assert probe_image(path, LIMIT) == ImageInfo(96, 64, expected_format, mode)


def _rejected(path: Path, max_pixels: int = LIMIT) -> ImageRejected:
    with pytest.raises(ImageRejected) as caught:
        probe_image(path, max_pixels)
    return caught.value


def test_an_unsupported_extension_is_refused_without_opening_the_file(tmp_path: Path) -> None:
    path = tmp_path / "a.gif"  # does not even exist: the name alone decides
    assert _rejected(path).reason == "unsupported-extension"
    assert _rejected(tmp_path / "README").reason == "unsupported-extension"


def test_a_missing_file_is_unreadable(tmp_path: Path) -> None:
    rejected = _rejected(tmp_path / "gone.jpg")
    assert rejected.reason == "unreadable"
    assert "gone.jpg" in rejected.message


def test_a_pixel_bomb_is_refused_from_its_header_and_never_decoded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bomb = hostile.pixel_bomb_png(tmp_path, 50_000, 50_000)
    assert bomb.stat().st_size < 1000
    monkeypatch.setattr(ImageFile.ImageFile, "load", _must_not_decode)
    started = time.monotonic()
    for limit in (LIMIT, 10**10):  # past twice Pillow's own cap it refuses whatever ours says
        assert _rejected(bomb, limit).reason == "too-many-pixels"
    assert time.monotonic() - started < 1


def _must_not_decode(self: ImageFile.ImageFile) -> None:
    raise AssertionError("a pixel bomb was decoded")


def test_the_limit_is_ours_and_pillows_bomb_warning_never_leaks(tmp_path: Path) -> None:
    bomb = hostile.pixel_bomb_png(tmp_path, 10_000, 10_000)  # past Pillow's warning threshold
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        rejected = _rejected(bomb, 89_478_485)
    assert rejected.reason == "too-many-pixels"
    assert "10000x10000 is 100000000 pixels, more than the limit of 89478485" in rejected.message
    assert not [w for w in seen if issubclass(w.category, Image.DecompressionBombWarning)]


def test_header_size_reads_the_size_from_the_header_and_decodes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bomb = hostile.pixel_bomb_png(tmp_path, 9000, 9000, bit_depth=16).read_bytes()
    monkeypatch.setattr(ImageFile.ImageFile, "load", _must_not_decode)
    assert header_size(bomb, "bomb.png", 89_478_485) == (9000, 9000)
    with pytest.raises(ImageRejected) as refused:
        header_size(bomb, "bomb.png", LIMIT)
    assert refused.value.reason == "too-many-pixels"
    with pytest.raises(ImageRejected) as refused:
        header_size(b"hello", "hello.png")
    assert refused.value.reason == "not-an-image"


def test_a_small_limit_applies_to_small_images(tmp_path: Path) -> None:
    path = tmp_path / "a.png"
    hostile.noise_image((96, 64)).save(path)
    assert _rejected(path, 96 * 64 - 1).reason == "too-many-pixels"
    assert probe_image(path, 96 * 64).width == 96


def test_a_truncated_jpeg_is_refused_not_half_loaded(tmp_path: Path) -> None:
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    assert _rejected(hostile.truncated_jpeg(tmp_path)).reason == "truncated"


def test_a_png_named_jpg_is_a_format_mismatch(tmp_path: Path) -> None:
    rejected = _rejected(hostile.png_named_jpg(tmp_path))
    assert rejected.reason == "format-mismatch"
    assert "PNG" in rejected.message


def test_a_text_file_named_png_is_not_an_image(tmp_path: Path) -> None:
    assert _rejected(hostile.text_named_png(tmp_path)).reason == "not-an-image"


def test_formats_outside_the_list_never_reach_their_decoders(tmp_path: Path) -> None:
    """Pillow would hand an EPS file to Ghostscript; here it is simply not an image."""
    path = tmp_path / "drawing.png"
    path.write_bytes(b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n")
    assert _rejected(path).reason == "not-an-image"
    gif = tmp_path / "anim.png"
    Image.new("P", (8, 8)).save(gif, "GIF")
    assert _rejected(gif).reason == "not-an-image"


def test_a_rejection_survives_pickling_with_its_reason() -> None:
    data = pickle.dumps(ImageRejected("truncated", "a.jpg: the file is truncated"))
    copy = pickle.loads(data)  # noqa: S301 - bytes this test just made
    assert (copy.reason, copy.message, str(copy)) == (
        "truncated",
        "a.jpg: the file is truncated",
        "a.jpg: the file is truncated",
    )


# ---------------------------------------------------------------- open_rgb


def _rgb(path: Path) -> np.ndarray:
    img = open_rgb(path)
    assert img.mode == "RGB"
    return np.asarray(img).astype(int)


def test_cmyk_becomes_the_colour_it_prints_as(tmp_path: Path) -> None:
    pixels = _rgb(hostile.cmyk_jpeg(tmp_path))
    assert np.abs(pixels - [255, 0, 0]).max() <= 12


def test_cmyk_with_a_broken_colour_profile_still_converts(tmp_path: Path) -> None:
    path = tmp_path / "cmyk.jpg"
    Image.new("CMYK", (8, 8), (0, 255, 255, 0)).save(path, icc_profile=b"not a profile")
    assert np.abs(_rgb(path) - [255, 0, 0]).max() <= 12


def test_a_palette_png_with_transparency_is_composited_onto_white(tmp_path: Path) -> None:
    pixels = _rgb(hostile.palette_png_with_transparency(tmp_path))
    assert (pixels[:, :20] == [255, 255, 255]).all()  # transparent (black underneath) -> white
    assert (pixels[:, 20:] == [0, 0, 255]).all()


def test_16_bit_grey_is_scaled_to_8_bits_not_clipped(tmp_path: Path) -> None:
    path = hostile.gray16_png(tmp_path)
    assert probe_image(path, LIMIT).mode == "I;16"
    row = _rgb(path)[0, :, 0]
    assert (row[0], row[-1]) == (0, 255)
    assert abs(row[128] - 128) <= 1
    assert (np.diff(row) >= 0).all()


def test_every_16_bit_value_scales_to_the_nearest_of_its_255_65535ths() -> None:
    values = np.arange(65536, dtype=np.uint16).reshape(256, 256)
    scaled = np.asarray(to_rgb(Image.fromarray(values)))
    assert (scaled[..., 0] == np.rint(values * (255 / 65535))).all()
    assert (scaled[..., 0] == scaled[..., 2]).all()


def test_scaling_a_16_bit_image_makes_no_copy_of_it_in_floats() -> None:
    # Scaled through whole-image float64 arrays, this took 34 bytes a pixel (an 81 MP PNG of
    # 157 KB took gigabytes); by bands of integers it takes the uint16 copy, the uint8 result
    # and one band. Pillow's own buffers are not traced, and not what this is about.
    side = 2048
    image = Image.fromarray(
        np.random.default_rng(0).integers(0, 65536, (side, side), dtype=np.uint16)
    )
    tracemalloc.start()
    try:
        to_rgb(image)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * side * side


def test_a_16_bit_pgm_uses_its_full_range(tmp_path: Path) -> None:
    path = tmp_path / "deep.pgm"
    values = np.array([0, 1365, 2730, 4095], dtype=">u2")  # maxval 4095: 12-bit data
    path.write_bytes(b"P5 4 1 4095\n" + values.tobytes())
    assert _rgb(path)[0, :, 0].tolist() == [0, 85, 170, 255]


def test_float_grey_in_0_to_1_is_scaled(tmp_path: Path) -> None:
    path = tmp_path / "float.tif"
    Image.fromarray(np.array([[0.0, 0.5, 1.0]], dtype=np.float32)).save(path)
    assert _rgb(path)[0, :, 0].tolist() == [0, 128, 255]


@pytest.mark.parametrize(
    ("mode", "value", "expected"),
    [
        ("L", 77, (77, 77, 77)),
        ("1", 1, (255, 255, 255)),
        ("LA", (77, 0), (255, 255, 255)),
        ("LA", (77, 255), (77, 77, 77)),
        ("RGBA", (10, 20, 30, 0), (255, 255, 255)),
        ("RGBA", (10, 20, 30, 255), (10, 20, 30)),
        ("RGB", (10, 20, 30), (10, 20, 30)),
    ],
)
def test_every_mode_becomes_rgb(
    tmp_path: Path, mode: str, value: int | tuple[int, ...], expected: tuple[int, int, int]
) -> None:
    path = tmp_path / "a.png"
    Image.new(mode, (4, 4), value).save(path)
    assert tuple(_rgb(path)[0, 0]) == expected


def test_exif_orientation_is_applied(tmp_path: Path) -> None:
    path = tmp_path / "phone.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 clockwise to display"
    hostile.noise_image((40, 20)).save(path, exif=exif)
    assert probe_image(path, LIMIT).width == 40
    assert open_rgb(path).size == (20, 40)


def test_open_rgb_refuses_what_probe_refuses(tmp_path: Path) -> None:
    with pytest.raises(ImageRejected) as caught:
        open_rgb(hostile.truncated_jpeg(tmp_path))
    assert caught.value.reason == "truncated"
    with pytest.raises(ImageRejected) as caught:
        open_rgb(hostile.pixel_bomb_png(tmp_path), max_pixels=LIMIT)
    assert caught.value.reason == "too-many-pixels"
