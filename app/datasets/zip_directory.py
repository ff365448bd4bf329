"""How many entries a zip holds, found without building its table of contents.

zipfile.ZipFile parses the whole central directory in its constructor, keeping a ZipInfo (about
1 KB) per entry, so a zip of a few hundred thousand empty entries costs hundreds of MB before any
cap can look at it. The end-of-central-directory record (ZIP64's, when there is one) declares the
count in a few bytes. zipfile walks the directory by its size and never reads that count, so an
archive could understate it: the directory's headers are counted too, one at a time, with
nothing kept, stopping just past the cap.

Both follow zipfile's own reading (`_EndRecData`, `_RealGetContents`), so what is counted here is
what zipfile would then parse.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass
from typing import BinaryIO

_END = struct.Struct("<4s4H2LH")  # signature, disks, entries here/total, size, offset, comment
_END_SIG = b"PK\x05\x06"
_LOCATOR = struct.Struct("<4sLQL")  # ZIP64 locator: signature, disk, record offset, disks
_LOCATOR_SIG = b"PK\x06\x07"
_END64 = struct.Struct("<4sQ2H2L4Q")  # ZIP64 end record; counts, size and offset are 64-bit
_END64_SIG = b"PK\x06\x06"
_HEADER = struct.Struct("<4s24x3H12x")  # a central directory header: name, extra, comment sizes
_HEADER_SIG = b"PK\x01\x02"
_MAX_COMMENT = 0xFFFF


@dataclass(frozen=True)
class EndRecord:
    entries: int  # as the archive declares them
    directory_start: int  # file offset of the central directory (after any prefix)
    directory_size: int


def read_end_record(fp: BinaryIO) -> EndRecord | None:
    """The end record zipfile would use, or None where zipfile would find none."""
    size = fp.seek(0, os.SEEK_END)
    tail_start = max(size - _MAX_COMMENT - _END.size, 0)
    fp.seek(tail_start)
    tail = fp.read()
    # zipfile tries the very end first (no comment), then the last signature in the tail.
    at = len(tail) - _END.size
    if not (at >= 0 and tail[at : at + 4] == _END_SIG and tail[-2:] == b"\0\0"):
        at = tail.rfind(_END_SIG)
        if at < 0 or len(tail) - at < _END.size:
            return None
    fields = _END.unpack_from(tail, at)
    entries, directory_size = fields[4], fields[5]
    location = tail_start + at
    records_before = 0
    zip64 = _read_end64(fp, location)
    if zip64 is not None:
        entries, directory_size = zip64
        records_before = _LOCATOR.size + _END64.size
    # As zipfile reckons it: the directory ends where the end records begin, whatever offset
    # the record claims (a self-extracting zip has a prefix that the offsets do not count).
    start = location - records_before - directory_size
    return EndRecord(entries, start, directory_size)


def _read_end64(fp: BinaryIO, location: int) -> tuple[int, int] | None:
    """(entries, directory size) from the ZIP64 end record before `location`, if there is one."""
    if location < _LOCATOR.size + _END64.size:
        return None
    fp.seek(location - _LOCATOR.size - _END64.size)
    data = fp.read(_END64.size + _LOCATOR.size)
    if len(data) != _END64.size + _LOCATOR.size:
        return None
    if _LOCATOR.unpack_from(data, _END64.size)[0] != _LOCATOR_SIG:
        return None
    fields = _END64.unpack_from(data)
    if fields[0] != _END64_SIG:
        return None
    return fields[7], fields[8]


def count_entries(fp: BinaryIO, end: EndRecord, stop_after: int) -> int:
    """The headers in the central directory, counted up to `stop_after + 1`. Stops quietly at
    anything malformed: zipfile says what is wrong when it reads the same bytes."""
    if end.directory_start < 0:
        return 0
    fp.seek(end.directory_start)
    count = walked = 0
    while walked < end.directory_size and count <= stop_after:
        head = fp.read(_HEADER.size)
        if len(head) != _HEADER.size:
            break
        signature, name, extra, comment = _HEADER.unpack(head)
        if signature != _HEADER_SIG:
            break
        fp.seek(name + extra + comment, os.SEEK_CUR)
        walked += _HEADER.size + name + extra + comment
        count += 1
    return count
