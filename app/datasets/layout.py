"""Finding the images in a dataset folder and their labels, by Azure's "Convert to Image Directory"
rules: class subfolders are labels (torchvision's ImageFolder), wrapper folders are descended, and
`__MACOSX` and hidden entries are ignored. Works on a local folder or on a listing of object keys.

One deliberate difference from Azure: only images decide the structure, so a README or a CSV next
to a wrapper folder does not turn the wrapper into a single class; such files are reported skipped.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from app.ml.images import SUPPORTED_EXTENSIONS, is_supported_name


class LayoutError(ValueError):
    """No usable images: the message lists what was found instead."""


class Entry(NamedTuple):
    path: str  # '/'-separated, relative to the root given to discover / the listed keys
    label: str | None  # the class folder's name; None for a flat (unlabelled) folder


class Skipped(NamedTuple):
    path: str
    reason: str  # unsupported-extension | outside-class-folder | not-a-regular-file | invalid-key
    message: str


@dataclass(frozen=True)
class Layout:
    base: str  # the wrapper folders descended ('dataset/images'), '' when there were none
    entries: list[Entry]  # sorted by path
    skipped: list[Skipped]  # sorted by path
    classes: list[str]  # sorted: a class's index is its position here; empty when unlabelled

    @property
    def labelled(self) -> bool:
        return bool(self.classes)


def discover(root: Path) -> Layout:
    """Classify the files under a local folder (symbolic links are skipped, never followed)."""
    keys: list[str] = []
    skipped: list[Skipped] = []
    hidden = 0
    for folder, dirs, files in os.walk(root):
        rel = Path(folder).relative_to(root)
        kept = []
        for name in sorted(dirs):
            if _is_hidden(name):
                hidden += 1
            elif Path(folder, name).is_symlink():
                skipped.append(_not_regular((rel / name).as_posix(), "a symbolic link"))
            else:
                kept.append(name)
        dirs[:] = kept  # os.walk descends only into these
        for name in files:
            key = (rel / name).as_posix()
            mode = os.lstat(Path(folder, name)).st_mode
            if _is_hidden(name):
                hidden += 1
            elif not stat.S_ISREG(mode):  # a link, or a FIFO that would block whoever reads it
                kind = "a symbolic link" if stat.S_ISLNK(mode) else "not a regular file"
                skipped.append(_not_regular(key, kind))
            else:
                keys.append(key)
    return _classify(keys, skipped, hidden, where=str(root))


def discover_keys(keys: list[str], *, where: str = "the listed objects") -> Layout:
    """Classify object keys ('/'-separated, relative to the dataset root) without downloading."""
    usable: list[str] = []
    skipped: list[Skipped] = []
    hidden = 0
    for key in keys:
        if key.endswith("/"):  # the empty "folder" objects some S3 tools create
            continue
        parts = key.split("/")
        if any(p in ("", ".", "..") for p in parts):
            skipped.append(Skipped(key, "invalid-key", f"{key!r}: an empty, '.' or '..' part"))
        elif any(_is_hidden(p) for p in parts):
            hidden += 1
        else:
            usable.append(key)
    return _classify(usable, skipped, hidden, where=where)


def _not_regular(key: str, kind: str) -> Skipped:
    return Skipped(key, "not-a-regular-file", f"{key}: {kind}, skipped")


def _is_hidden(name: str) -> bool:
    return name.startswith(".") or name == "__MACOSX"


def _classify(keys: list[str], skipped: list[Skipped], hidden: int, where: str) -> Layout:
    images = [k.split("/") for k in keys if is_supported_name(k)]
    skipped += [
        Skipped(k, "unsupported-extension", f"{k}: not an image file ({_supported()})")
        for k in keys
        if not is_supported_name(k)
    ]
    if not images:
        raise LayoutError(_nothing_found(keys, hidden, where))
    # Descend while there is no image at this level and every image sits in the same folder.
    depth = 0
    while all(len(p) > depth + 1 for p in images) and len({p[depth] for p in images}) == 1:
        depth += 1
    labelled = any(len(p) > depth + 1 for p in images)
    entries: list[Entry] = []
    for parts in images:
        key = "/".join(parts)
        if not labelled:
            entries.append(Entry(key, None))
        elif len(parts) > depth + 1:
            entries.append(Entry(key, parts[depth]))
        else:
            message = f"{key}: an image next to the class folders has no class"
            skipped.append(Skipped(key, "outside-class-folder", message))
    entries.sort()
    skipped.sort()
    classes = sorted({e.label for e in entries if e.label is not None})
    return Layout("/".join(images[0][:depth]), entries, skipped, classes)


def _supported() -> str:
    return "supported: " + " ".join(sorted(SUPPORTED_EXTENSIONS))


def _nothing_found(keys: list[str], hidden: int, where: str) -> str:
    shown = ", ".join(sorted(keys)[:10]) + (f" and {len(keys) - 10} more" if len(keys) > 10 else "")
    found = f"found {len(keys)} other files: {shown}" if keys else "found no files"
    if hidden:
        found += f" ({hidden} hidden or __MACOSX entries ignored)"
    return f"no images found under {where} ({_supported()}); {found}"
