"""Which files the batched tensor decoder may take: read from the JPEG header alone.

`scan_jpeg` accepts only JPEGs that `torchvision.io.decode_jpeg` decodes to the same picture as
`app.ml.images.open_rgb` (libjpeg-turbo through Pillow): 8-bit baseline, extended or progressive
Huffman JPEGs with 1 (grey) or 3 (YCbCr/RGB) components, whole (they end with the EOI marker,
zero padding allowed), within the pixel limit. Everything else (CMYK and YCCK JPEGs, which
open_rgb converts through their ICC profile; 12-bit, lossless, arithmetic-coded or hierarchical
JPEGs; multi-picture MPO files; an orientation given only in XMP; any header it cannot follow;
any other format) returns None and goes to open_rgb, which decodes it or says why it cannot.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

_HUFFMAN_SOF = frozenset({0xC0, 0xC1, 0xC2})  # baseline, extended sequential, progressive
_OTHER_SOF = frozenset({0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})
_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})  # TEM and RSTn carry no length
_SOS = 0xDA
_ORIENTATION_TAG = 0x0112


@dataclass(frozen=True)
class JpegHeader:
    width: int  # as stored, before the EXIF orientation is applied
    height: int
    orientation: int  # EXIF orientation 1-8; 1 (also when absent or invalid): as stored


def scan_jpeg(data: bytes, max_pixels: int | None = None) -> JpegHeader | None:
    """The header of a JPEG the tensor decoders may decode, or None (see the module doc)."""
    if data[:2] != b"\xff\xd8":
        return None
    if data[-2:] != b"\xff\xd9" and data.rstrip(b"\x00")[-2:] != b"\xff\xd9":
        return None  # cut short (or followed by more than padding): open_rgb decides
    pos, size, orientation = 2, len(data), 1
    frame: tuple[int, int] | None = None
    seen_exif = False
    while pos + 4 <= size:
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in _STANDALONE:
            pos += 2
            continue
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        segment = data[pos + 4 : pos + 2 + length]
        if length < 2 or len(segment) != length - 2:
            return None
        if marker == _SOS:
            break
        if marker in _OTHER_SOF:
            return None
        if marker in _HUFFMAN_SOF:
            if frame is not None or len(segment) < 6:
                return None
            precision, components = segment[0], segment[5]
            height = int.from_bytes(segment[1:3], "big")
            width = int.from_bytes(segment[3:5], "big")
            if precision != 8 or components not in (1, 3) or not (width and height):
                return None
            frame = (width, height)
        elif marker == 0xE1 and segment.startswith(b"Exif\x00\x00") and not seen_exif:
            # Pillow reads the first Exif block only; so does this.
            seen_exif = True
            found = _exif_orientation(segment[6:])
            if found is None:
                return None
            orientation = found
        elif marker == 0xE1 and b"tiff:Orientation" in segment:
            return None  # an XMP orientation, which Pillow honours when EXIF has none
        elif marker == 0xE2 and segment.startswith(b"MPF\x00"):
            return None  # MPO: Pillow reads it as a multi-frame image
        pos += 2 + length
    if frame is None:
        return None
    width, height = frame
    if max_pixels is not None and width * height > max_pixels:
        return None
    return JpegHeader(width, height, orientation if 1 <= orientation <= 8 else 1)


def _exif_orientation(tiff: bytes) -> int | None:
    """The orientation tag of IFD0 (1 when absent); None when the block cannot be read."""
    order = tiff[:2]
    if order not in (b"II", b"MM"):
        return None
    endian = "little" if order == b"II" else "big"

    def number(at: int, width: int) -> int:
        return int.from_bytes(tiff[at : at + width], endian)  # type: ignore[arg-type]

    ifd = number(4, 4)
    if len(tiff) < ifd + 2:
        return None
    for entry in range(number(ifd, 2)):
        at = ifd + 2 + 12 * entry
        if len(tiff) < at + 12:
            return None
        if number(at, 2) == _ORIENTATION_TAG:
            return number(at + 8, 2) if number(at + 2, 2) == 3 else None  # 3: SHORT
    return 1


def orient(image: torch.Tensor, orientation: int) -> torch.Tensor:
    """Apply an EXIF orientation to a (C, H, W) tensor as PIL's ImageOps.exif_transpose does."""
    if orientation == 2:  # FLIP_LEFT_RIGHT
        return image.flip(-1)
    if orientation == 3:  # ROTATE_180
        return image.flip(-2, -1)
    if orientation == 4:  # FLIP_TOP_BOTTOM
        return image.flip(-2)
    if orientation == 5:  # TRANSPOSE
        return image.transpose(-2, -1)
    if orientation == 6:  # ROTATE_270 (counter-clockwise): a quarter turn clockwise
        return image.rot90(-1, (-2, -1))
    if orientation == 7:  # TRANSVERSE
        return image.transpose(-2, -1).flip(-2, -1)
    if orientation == 8:  # ROTATE_90 (counter-clockwise)
        return image.rot90(1, (-2, -1))
    return image
