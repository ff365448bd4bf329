"""Reading untrusted image files: probe one without trusting it, and decode one to 8-bit RGB.

Every image a user uploads goes through `probe_image` once, at registration (in a worker process:
see app/datasets/probe.py); training and scoring then call `open_rgb` on the files that passed.
"""

from __future__ import annotations

import contextlib
import io
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal

import numpy as np
from PIL import Image, ImageCms, ImageFile, ImageOps, UnidentifiedImageError

RejectReason = Literal[
    "unsupported-extension",
    "unreadable",
    "truncated",
    "not-an-image",
    "too-many-pixels",
    "format-mismatch",
    "decoder-crashed",
    "decode-timeout",
]

# Extension (lower case, with the dot, as Path.suffix gives it) -> the formats Pillow may detect.
# MPO is the multi-picture JPEG many cameras write; Pillow reports it apart from JPEG.
_JPEG = frozenset({"JPEG", "MPO"})
_FAMILIES: dict[str, frozenset[str]] = {
    ".jpg": _JPEG,
    ".jpeg": _JPEG,
    ".png": frozenset({"PNG"}),
    ".ppm": frozenset({"PPM"}),
    ".pgm": frozenset({"PPM"}),
    ".bmp": frozenset({"BMP"}),
    ".tif": frozenset({"TIFF"}),
    ".tiff": frozenset({"TIFF"}),
    ".webp": frozenset({"WEBP"}),
}
SUPPORTED_EXTENSIONS: frozenset[str] = frozenset(_FAMILIES)

# The only decoders Pillow may try. Without this list Image.open would hand an unknown file to any
# of its ~40 plugins, EPS (which runs Ghostscript) and PSD included.
_DECODERS = ("JPEG", "PNG", "PPM", "BMP", "TIFF", "WEBP")


class ImageRejected(Exception):
    """A file that is not a usable image; `reason` is one of RejectReason, `message` says why."""

    def __init__(self, reason: RejectReason, message: str) -> None:
        super().__init__(message)
        self.reason: RejectReason = reason
        self.message = message

    def __reduce__(self) -> tuple[type[ImageRejected], tuple[RejectReason, str]]:
        # Results cross process boundaries (probe_many); the default pickling would lose `reason`.
        return (type(self), (self.reason, self.message))


@dataclass(frozen=True)
class ImageInfo:
    width: int
    height: int
    format: str  # as Pillow names it: JPEG, PNG, PPM, BMP, TIFF, WEBP (MPO for some JPEGs)
    mode: str  # Pillow's mode as stored in the file: RGB, L, P, CMYK, I;16, ...


def extension_of(name: str) -> str:
    """'cats/A.JPG' -> '.jpg'; '' when there is none (works for paths and object keys)."""
    base = name.rsplit("/", 1)[-1]
    dot = base.rfind(".")
    return base[dot:].lower() if dot > 0 else ""


def is_supported_name(name: str) -> bool:
    return extension_of(name) in SUPPORTED_EXTENSIONS


def probe_image(path: Path, max_pixels: int) -> ImageInfo:
    """Check that `path` is a whole, decodable image of a supported format within `max_pixels`.

    The pixel count is checked from the header before anything is decoded, so a pixel bomb costs
    nothing. Raises ImageRejected; never returns a partially readable image as valid."""
    family = _FAMILIES.get(extension_of(path.name))
    if family is None:
        supported = " ".join(sorted(SUPPORTED_EXTENSIONS))
        raise ImageRejected(
            "unsupported-extension",
            f"{path.name}: not an image extension (supported: {supported})",
        )
    try:
        fp = path.open("rb")
    except OSError as exc:
        raise ImageRejected("unreadable", f"{path.name}: cannot be read: {exc.strerror}") from None
    with fp:
        img = _open(fp, path.name, max_pixels, quiet=True)
        if img.format not in family:
            raise ImageRejected(
                "format-mismatch",
                f"{path.name}: the content is {img.format}, not what {path.suffix} says",
            )
        info = ImageInfo(img.width, img.height, str(img.format), img.mode)
        _load(img, path.name)
    return info


def open_rgb(path: Path, max_pixels: int | None = None) -> Image.Image:
    """Decode `path` to 8-bit RGB. For files probe_image accepted: no extension or format check.

    Alpha is composited onto white; 16-bit and float grayscale are scaled, not clipped; EXIF
    orientation is applied so training and scoring see the picture the way viewers show it."""
    with path.open("rb") as fp:
        return _decode_rgb(fp, path.name, max_pixels)


def decode_rgb(data: bytes, name: str = "image", max_pixels: int | None = None) -> Image.Image:
    """open_rgb for bytes in memory (real-time requests): the same decoding, so the same pixels.
    Raises ImageRejected for anything that is not a whole supported image."""
    return _decode_rgb(io.BytesIO(data), name, max_pixels)


def header_size(data: bytes, name: str = "image", max_pixels: int | None = None) -> tuple[int, int]:
    """The (width, height) the header of an image in memory declares, read without decoding a
    pixel: Pillow parses the header when it opens a file and decodes only when it loads it.
    Raises ImageRejected, as decode_rgb would, for what is not a supported image or is over
    `max_pixels`."""
    with _open(io.BytesIO(data), name, max_pixels) as img:
        return img.width, img.height


def _decode_rgb(fp: IO[bytes], name: str, max_pixels: int | None) -> Image.Image:
    img = _open(fp, name, max_pixels)
    _load(img, name)
    with contextlib.suppress(Exception):  # a corrupt EXIF block is no reason to lose the image
        ImageOps.exif_transpose(img, in_place=True)
    return to_rgb(img)


def _open(
    fp: IO[bytes], name: str, max_pixels: int | None, *, quiet: bool = False
) -> ImageFile.ImageFile:
    try:
        if quiet:
            # Pillow warns past its own global cap (~89 MP), but `max_pixels`, checked below, is
            # the rule here. (Past twice its cap Pillow raises, caught below.) catch_warnings
            # touches process-wide state, hence only in probe_image, which runs in its own
            # worker processes, and not in the lean open_rgb.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                img = Image.open(fp, formats=_DECODERS)
        else:
            img = Image.open(fp, formats=_DECODERS)
    except Image.DecompressionBombError as exc:
        raise ImageRejected("too-many-pixels", f"{name}: {exc}") from None
    except UnidentifiedImageError:
        msg = f"{name}: not a JPEG, PNG, PPM/PGM, BMP, TIFF or WebP image"
        raise ImageRejected("not-an-image", msg) from None
    except Exception as exc:  # plugins raise anything on hostile headers
        raise ImageRejected("unreadable", f"{name}: bad image header: {exc}") from None
    if max_pixels is not None and img.width * img.height > max_pixels:
        raise ImageRejected(
            "too-many-pixels",
            f"{name}: {img.width}x{img.height} is {img.width * img.height} pixels, "
            f"more than the limit of {max_pixels}",
        )
    return img


def _load(img: Image.Image, name: str) -> None:
    # ImageFile.LOAD_TRUNCATED_IMAGES stays False: a cut-off file must fail, not load half-grey.
    try:
        img.load()
    except (EOFError, OSError) as exc:
        if isinstance(exc, EOFError) or "truncated" in str(exc) or "Truncated" in str(exc):
            raise ImageRejected("truncated", f"{name}: the file is truncated") from None
        raise ImageRejected("unreadable", f"{name}: cannot be decoded: {exc}") from None
    except Exception as exc:  # decoders raise anything on hostile data
        raise ImageRejected("unreadable", f"{name}: cannot be decoded: {exc}") from None


def to_rgb(img: Image.Image) -> Image.Image:
    """Convert a decoded image of any Pillow mode to 8-bit RGB (see open_rgb)."""
    mode = img.mode
    if mode == "RGB" and "transparency" not in img.info:
        return img
    if mode == "CMYK":
        return _cmyk_to_rgb(img)
    if mode.startswith("I") or mode == "F":
        return Image.fromarray(_scale_to_uint8(np.asarray(img))).convert("RGB")
    if mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in img.info:
        if mode == "La":  # premultiplied alpha: Pillow converts it only to its plain twin
            img = img.convert("LA")
        rgba = img.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return img.convert("RGB")  # L, 1, P, YCbCr, LAB, HSV, RGBX


def _scale_to_uint8(pixels: np.ndarray) -> np.ndarray:
    # Integer images (16-bit PNG/TIFF, PGM with maxval > 255, which Pillow rescales to 16 bits)
    # use the 16-bit range, so relative brightness is the same across a dataset; float images in
    # [0, 1] use that range. Anything else is stretched from its own min to max. The work is done
    # a band of rows at a time: a whole-image float64 copy is 8 bytes a pixel, several times over,
    # which is gigabytes for an 80-megapixel image that compresses to a few hundred kilobytes.
    if pixels.dtype == np.uint16:
        return _by_rows(pixels, _rint_16_to_8)
    lo, hi = float(pixels.min()), float(pixels.max())
    if pixels.dtype.kind in "ui" and lo >= 0 and hi <= 65535:
        return _by_rows(pixels, _rint_16_to_8)
    if pixels.dtype.kind == "f" and lo >= 0 and hi <= 1:
        lo, hi = 0.0, 1.0
    if hi <= lo:
        return np.zeros(pixels.shape, dtype=np.uint8)
    factor = 255.0 / (hi - lo)

    def stretch(band: np.ndarray) -> np.ndarray:
        scaled = (band.astype(np.float64) - lo) * factor
        return np.clip(np.rint(scaled), 0, 255)

    return _by_rows(pixels, stretch)


_ROWS_PER_BAND = 256


def _rint_16_to_8(band: np.ndarray) -> np.ndarray:
    # round(v * 255 / 65535) = round(v / 257), in integers: exactly what the float formula gives
    # (v / 257 is never halfway between two integers), at 4 bytes a pixel of one band.
    return (band.astype(np.uint32) + 128) // 257


def _by_rows(pixels: np.ndarray, scale: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """`scale` applied to bands of rows, written into one uint8 array: the temporaries `scale`
    makes are the size of a band, not of the image."""
    out = np.empty(pixels.shape, dtype=np.uint8)
    for top in range(0, pixels.shape[0], _ROWS_PER_BAND):
        rows = slice(top, top + _ROWS_PER_BAND)
        out[rows] = scale(pixels[rows])
    return out


def _cmyk_to_rgb(img: Image.Image) -> Image.Image:
    # With an embedded ICC profile, a colour-managed conversion; Pillow's plain CMYK -> RGB is a
    # naive formula that shifts colours noticeably, so it is only the fallback.
    icc = img.info.get("icc_profile")
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            converted = ImageCms.profileToProfile(
                img, source, ImageCms.createProfile("sRGB"), outputMode="RGB"
            )
            if converted is not None:
                return converted
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass
    return img.convert("RGB")
