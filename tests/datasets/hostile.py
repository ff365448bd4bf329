"""A corpus of hostile files, each built on the fly (nothing binary is committed).

Every builder takes the folder to write into and returns the path of what it wrote. Nothing here
allocates or writes anything large: bombs are made of highly compressible data, streamed.
"""

from __future__ import annotations

import io
import os
import struct
import tarfile
import time
import zipfile
import zlib
from pathlib import Path

import numpy as np
from PIL import Image

from app.ml.images import ImageInfo, probe_image

# ---------------------------------------------------------------- archives: escaping the folder


def _zip_with(folder: Path, file_name: str, member: str, data: bytes = b"pwned") -> Path:
    path = folder / file_name
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("cats/ok.txt", b"fine")
        zf.writestr(zipfile.ZipInfo(member), data)
    return path


def zip_slip(folder: Path) -> Path:
    return _zip_with(folder, "slip.zip", "../evil.txt")


def zip_nested_slip(folder: Path) -> Path:
    return _zip_with(folder, "nested-slip.zip", "cats/../../evil.txt")


def zip_absolute(folder: Path) -> Path:
    return _zip_with(folder, "absolute.zip", f"{folder}/evil-absolute.txt")


def zip_backslash(folder: Path) -> Path:
    return _zip_with(folder, "backslash.zip", "..\\evil.txt")


def zip_drive_letter(folder: Path) -> Path:
    return _zip_with(folder, "drive.zip", "C:/evil.txt")


def zip_symlink(folder: Path) -> Path:
    """A unix zip member whose mode says symlink (what `zip --symlinks` writes)."""
    path = folder / "symlink.zip"
    info = zipfile.ZipInfo("cats/link")
    info.create_system = 3
    info.external_attr = (0o120777 << 16) & 0xFFFF0000
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(info, str(folder))
    return path


def zip_encrypted(folder: Path) -> Path:
    """A member flagged as encrypted (zipfile cannot write one, so the flag is patched in)."""
    path = folder / "secret.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("cats/a.jpg", b"ciphertext")
    data = bytearray(path.read_bytes())
    central = data.index(b"PK\x01\x02")
    data[6] |= 0x1  # general-purpose flag of the local header
    data[central + 8] |= 0x1  # ... and of the central directory entry
    path.write_bytes(bytes(data))
    return path


def _tar_with(folder: Path, file_name: str, *members: tarfile.TarInfo) -> Path:
    path = folder / file_name
    with tarfile.open(path, "w") as tf:
        ok = tarfile.TarInfo("cats/ok.txt")
        ok.size = 4
        tf.addfile(ok, io.BytesIO(b"fine"))
        for member in members:
            data = io.BytesIO(b"\0" * member.size) if member.isreg() else None
            tf.addfile(member, data)
    return path


def _member(name: str, kind: bytes = tarfile.REGTYPE, **fields: object) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    for key, value in fields.items():
        setattr(info, key, value)
    return info


def tar_slip(folder: Path) -> Path:
    return _tar_with(folder, "slip.tar", _member("../evil.txt", size=5))


def tar_absolute(folder: Path) -> Path:
    return _tar_with(folder, "absolute.tar", _member(f"{folder}/evil-absolute.txt", size=5))


def tar_symlink(folder: Path) -> Path:
    """The classic two-step: a link pointing out of the folder, then a file written through it."""
    return _tar_with(
        folder,
        "symlink.tar",
        _member("cats/escape", tarfile.SYMTYPE, linkname=str(folder)),
        _member("cats/escape/evil.txt", size=5),
    )


def tar_hardlink(folder: Path) -> Path:
    return _tar_with(
        folder, "hardlink.tar", _member("cats/hard", tarfile.LNKTYPE, linkname="/etc/passwd")
    )


def tar_char_device(folder: Path) -> Path:
    # Writing the header needs no privileges; only creating the device would.
    return _tar_with(
        folder, "chardev.tar", _member("cats/null", tarfile.CHRTYPE, devmajor=1, devminor=3)
    )


def tar_fifo(folder: Path) -> Path:
    return _tar_with(folder, "fifo.tar", _member("cats/pipe", tarfile.FIFOTYPE))


# ---------------------------------------------------------------- archives: bombs


class _ZeroStream:
    """n zero bytes, produced a chunk at a time (so a 'big' member costs no memory)."""

    def __init__(self, n: int) -> None:
        self.left = n

    def read(self, size: int = -1) -> bytes:
        size = self.left if size < 0 else min(size, self.left)
        self.left -= size
        return b"\0" * size


def zip_bomb(folder: Path, size: int = 64 << 20) -> Path:
    """One member of `size` zero bytes, deflated about 1000:1 (the ratio cap is 200:1)."""
    path = folder / "bomb.zip"
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf,
        zf.open("cats/zeros.bin", "w", force_zip64=True) as out,
    ):
        left = size
        while left:
            n = min(left, 1 << 20)
            out.write(b"\0" * n)
            left -= n
    return path


def tar_gz_bomb(folder: Path, size: int = 64 << 20, name: str = "cats/zeros.bin") -> Path:
    path = folder / "bomb.tar.gz"
    with tarfile.open(path, "w:gz", compresslevel=1) as tf:
        tf.addfile(_member(name, size=size), _ZeroStream(size))
    return path


def tar_entry_bomb(folder: Path, count: int) -> Path:
    """`count` empty files: cheap to pack, a flood of inodes to unpack."""
    path = folder / "entries.tar"
    with tarfile.open(path, "w") as tf:
        for i in range(count):
            tf.addfile(_member(f"cats/{i}.txt", size=0), io.BytesIO())
    return path


_ZIP_END = struct.Struct("<4s4H2LH")  # end of central directory: sig, disks, counts, size, offset


def zip_declaring_entries(folder: Path, entries: int, *, corrupt_directory: bool = False) -> Path:
    """A one-member zip whose ZIP64 end record declares `entries` entries (a zip of that many
    empty files, without making them). With `corrupt_directory`, its central directory is broken
    too, so zipfile cannot open it at all: only the end record can tell the count."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("cats/a.jpg", b"x")
    data = buffer.getvalue()
    end = len(data) - _ZIP_END.size
    *_, size, offset, _comment = _ZIP_END.unpack_from(data, end)
    if corrupt_directory:
        data = data[:offset] + b"XXXX" + data[offset + 4 :]
    # The ZIP64 end record, its locator, and an end record that defers to them.
    zip64 = struct.pack(
        "<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, entries, entries, size, offset
    )
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, end, 1)
    tail = _ZIP_END.pack(b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    path = folder / f"declares-{entries}.zip"
    path.write_bytes(data[:end] + zip64 + locator + tail)
    return path


def zip_understating_entries(folder: Path, entries: int, declared: int) -> Path:
    """`entries` empty members behind an end record that declares only `declared`, and whose
    last central directory header is broken: zipfile, which walks the directory without
    reading the count, can open it only as far as that header."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for i in range(entries):
            zf.writestr(f"cats/{i}.jpg", b"")
    data = bytearray(buffer.getvalue())
    end = len(data) - _ZIP_END.size
    struct.pack_into("<2H", data, end + 8, declared, declared)  # entries on this disk, in all
    last = data.rindex(b"PK\x01\x02")
    data[last : last + 4] = b"XXXX"
    path = folder / f"understates-{entries}.zip"
    path.write_bytes(bytes(data))
    return path


# ---------------------------------------------------------------- images


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def pixel_bomb_png(
    folder: Path, width: int = 50_000, height: int = 50_000, bit_depth: int = 8
) -> Path:
    """A valid-looking PNG of a few hundred bytes whose header declares width x height pixels
    of grey (8 or 16 bits), and whose pixels stop after a sliver of the first rows.

    Written chunk by chunk so nothing of that size is ever allocated, here or when probed."""
    path = folder / f"bomb-{width}x{height}-{bit_depth}.png"
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, 0, 0, 0, 0)  # grey, no interlace
    idat = zlib.compress(b"\0" * 4096)  # a sliver of the first rows: the header is the attack
    signature = b"\x89PNG\r\n\x1a\n"
    path.write_bytes(
        signature + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", idat) + _png_chunk(b"IEND", b"")
    )
    return path


def noise_image(size: tuple[int, int] = (96, 64), seed: int = 0) -> Image.Image:
    rng = np.random.default_rng(seed)
    return Image.fromarray(rng.integers(0, 256, (size[1], size[0], 3), dtype=np.uint8))


def truncated_jpeg(folder: Path) -> Path:
    whole = io.BytesIO()
    noise_image((256, 256)).save(whole, "JPEG", quality=90)
    path = folder / "truncated.jpg"
    path.write_bytes(whole.getvalue()[: len(whole.getvalue()) // 2])
    return path


def png_named_jpg(folder: Path) -> Path:
    path = folder / "really-a-png.jpg"
    noise_image().save(path, "PNG")
    return path


def text_named_png(folder: Path) -> Path:
    path = folder / "notes.png"
    path.write_text("these are my holiday notes, not a picture\n" * 20)
    return path


def cmyk_jpeg(folder: Path) -> Path:
    path = folder / "cmyk.jpg"
    Image.new("CMYK", (32, 24), (0, 255, 255, 0)).save(path, "JPEG", quality=95)  # pure red ink
    return path


def palette_png_with_transparency(folder: Path) -> Path:
    """Left half palette entry 0 (declared fully transparent, and black), right half opaque blue."""
    img = Image.new("P", (40, 20), 0)
    img.putpalette([0, 0, 0, 0, 0, 255] + [0] * (254 * 3))
    img.paste(1, (20, 0, 40, 20))
    path = folder / "palette.png"
    img.save(path, transparency=0)
    return path


def gray16_png(folder: Path) -> Path:
    """A 16-bit grey ramp: left column 0, right column 65535."""
    ramp = np.linspace(0, 65535, 256).round().astype(np.uint16)
    path = folder / "gray16.png"
    Image.fromarray(np.tile(ramp, (8, 1))).save(path)
    return path


# ---------------------------------------------------------------- decoders that misbehave


def crash_or_hang_probe(path: Path, max_pixels: int) -> ImageInfo:
    """Stands in for decoder bugs: dies on files named *crash*, never returns on *hang*, raises
    an unexpected exception on *boom*."""
    if "crash" in path.name:
        os._exit(1)
    if "hang" in path.name:
        time.sleep(3600)
    if "boom" in path.name:
        raise ZeroDivisionError("a decoder bug")
    return probe_image(path, max_pixels)


def pid_probe(path: Path, max_pixels: int) -> ImageInfo:
    """Reports which process did the work (in `mode`), to count the processes a run used."""
    return ImageInfo(1, 1, "PNG", str(os.getpid()))
