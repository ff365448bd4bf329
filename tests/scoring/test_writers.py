"""The output formats table (app.scoring.writers.FORMATS): one entry per API OutputFormat, each
format's part files written, joined and served from that entry alone."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from app.scoring import writers
from app.scoring.router import MEDIA_TYPES, OUTPUT_TYPES
from app.scoring.schemas import OutputFormat

COLUMNS = writers.prediction_columns(["cat", "dog"], labelled=True, k=1, threshold=0.6)
ROWS = writers.prediction_rows(
    ["a.jpg", "b.jpg", "c.jpg"],
    ["cat", "dog", "cat"],
    [[0.9, 0.1], [0.45, 0.55], [0.7, 0.3]],
    ["cat", "dog"],
    k=1,
    threshold=0.6,
)


def read(path: Path, fmt: OutputFormat) -> list[dict[str, object]]:
    if fmt is OutputFormat.CSV:
        return list(csv.DictReader(io.StringIO(path.read_text())))
    if fmt is OutputFormat.JSONL:
        return [json.loads(line) for line in path.read_text().splitlines()]
    rows: list[dict[str, object]] = pq.read_table(path).to_pylist()
    return rows


def test_every_output_format_has_one_entry() -> None:
    assert list(writers.FORMATS) == list(OutputFormat)
    extensions = [f.extension for f in writers.FORMATS.values()]
    assert len(set(extensions)) == len(extensions)
    assert extensions == [fmt.value for fmt in OutputFormat]  # predictions.<format> stays so


def test_the_download_routes_serve_each_format_with_its_media_type() -> None:
    for entry in writers.FORMATS.values():
        assert MEDIA_TYPES[entry.extension] == entry.media_type
    assert MEDIA_TYPES["png"] == "image/png"
    assert set(OUTPUT_TYPES) | {"image/png"} == set(MEDIA_TYPES.values())


@pytest.mark.parametrize("fmt", list(OutputFormat))
def test_parts_encode_and_merge_into_one_file(tmp_path: Path, fmt: OutputFormat) -> None:
    parts = []
    for n, rows in enumerate([ROWS[:2], [], ROWS[2:]]):
        part = tmp_path / f"part-{n}.{fmt.value}"
        part.write_bytes(writers.encode(rows, COLUMNS, fmt.value))
        parts.append(part)
    dest = tmp_path / f"predictions.{fmt.value}"
    writers.merge(parts, fmt.value, dest)
    got = read(dest, fmt)
    assert [r["id"] for r in got] == ["a.jpg", "b.jpg", "c.jpg"]
    assert [r["Scored Labels"] for r in got][1] in (None, "")  # below the threshold
    if fmt is not OutputFormat.CSV:  # CSV is all text
        assert got[0]["Scored Probabilities_cat"] == pytest.approx(0.9)
        assert got[1]["Below Threshold"] is True
    if fmt is OutputFormat.CSV:
        assert dest.read_text().count("id,category") == 1  # one header


@pytest.mark.parametrize("fmt", list(OutputFormat))
def test_an_empty_file_still_names_its_columns(tmp_path: Path, fmt: OutputFormat) -> None:
    path = tmp_path / f"errors.{fmt.value}"
    path.write_bytes(writers.encode([], writers.ERROR_COLUMNS, fmt.value))
    if fmt is OutputFormat.CSV:
        assert path.read_text() == "id,reason,message\n"
    elif fmt is OutputFormat.PARQUET:
        assert pq.read_table(path).column_names == writers.ERROR_COLUMNS
    else:
        assert path.read_bytes() == b""


def test_an_unknown_format_names_the_valid_ones(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="csv, jsonl, parquet"):
        writers.encode([], ["id"], "xlsx")
    with pytest.raises(ValueError, match="unknown output format 'xlsx'"):
        writers.merge([], "xlsx", tmp_path / "out.xlsx")
