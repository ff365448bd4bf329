"""Scoring output: one row per image, Azure-compatible columns, as CSV, JSON Lines or Parquet.

Columns: `id`, `category` (labelled input only), `Scored Probabilities_<class>` per class,
`Scored Labels`, then `Top <i> Label` / `Top <i> Probability` for i = 1..k, and
`Below Threshold` when a confidence threshold was set."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Literal

from app.scoring.schemas import OutputFormat

ERROR_COLUMNS = ["id", "reason", "message"]
PROBABILITY_PREFIX = "Scored Probabilities_"


def top_columns(i: int) -> tuple[str, str]:
    """The label and probability columns of the i-th most probable class (from 1)."""
    return f"Top {i} Label", f"Top {i} Probability"


def prediction_columns(
    class_names: Sequence[str], labelled: bool, k: int, threshold: float | None
) -> list[str]:
    columns = ["id", *(["category"] if labelled else [])]
    columns += [f"{PROBABILITY_PREFIX}{name}" for name in class_names]
    columns.append("Scored Labels")
    for i in range(1, k + 1):
        columns += top_columns(i)
    if threshold is not None:
        columns.append("Below Threshold")
    return columns


def prediction_rows(
    ids: Sequence[str],
    categories: Sequence[str | None] | None,
    probabilities: Any,
    class_names: Sequence[str],
    k: int,
    threshold: float | None,
) -> list[dict[str, Any]]:
    """`probabilities`: an (n x classes) array of floats whose rows sum to 1."""
    rows = []
    for n, image_id in enumerate(ids):
        probs = [float(p) for p in probabilities[n]]
        order = sorted(range(len(probs)), key=lambda c: (-probs[c], c))[:k]
        row: dict[str, Any] = {"id": image_id}
        if categories is not None:
            row["category"] = categories[n]
        row |= {f"{PROBABILITY_PREFIX}{c}": p for c, p in zip(class_names, probs, strict=True)}
        below = threshold is not None and probs[order[0]] < threshold
        row["Scored Labels"] = None if below else class_names[order[0]]
        for i, c in enumerate(order, start=1):
            label, probability = top_columns(i)
            row[label], row[probability] = class_names[c], probs[c]
        if threshold is not None:
            row["Below Threshold"] = below
        rows.append(row)
    return rows


def _encode_csv(rows: list[dict[str, Any]], columns: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def _encode_jsonl(rows: list[dict[str, Any]], columns: list[str]) -> bytes:
    del columns  # each line names its own keys
    return "".join(json.dumps(r) + "\n" for r in rows).encode()


def _encode_parquet(rows: list[dict[str, Any]], columns: list[str]) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist(rows, schema=_schema(columns))
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


ColumnKind = Literal["float", "bool", "string"]


def column_kind(name: str) -> ColumnKind:
    """A column's type, from its name: the one rule that Parquet's schema and CSV's reader share."""
    if name.startswith((PROBABILITY_PREFIX, "Top ")) and not name.endswith("Label"):
        return "float"
    if name == "Below Threshold":
        return "bool"
    return "string"


def _schema(columns: list[str]) -> Any:
    import pyarrow as pa

    types = {"float": pa.float64(), "bool": pa.bool_(), "string": pa.string()}
    return pa.schema([(name, types[column_kind(name)]) for name in columns])


def _from_csv(name: str, text: str) -> Any:
    """A CSV cell back to the value that was written: DictWriter writes None as "" and booleans
    as True/False."""
    if text == "":
        return None
    kind = column_kind(name)
    if kind == "float":
        return float(text)
    if kind == "bool":
        return text == "True"
    return text


def _decode_csv(source: BinaryIO) -> Iterator[dict[str, Any]]:
    text = io.TextIOWrapper(source, encoding="utf-8", newline="")
    for row in csv.DictReader(text):
        yield {name: _from_csv(name, cell) for name, cell in row.items()}


def _decode_jsonl(source: BinaryIO) -> Iterator[dict[str, Any]]:
    for line in source:
        if line.strip():
            row: dict[str, Any] = json.loads(line)
            yield row


def _decode_parquet(source: BinaryIO) -> Iterator[dict[str, Any]]:
    import pyarrow.parquet as pq

    for batch in pq.ParquetFile(source).iter_batches(batch_size=1024):
        yield from batch.to_pylist()


def _concatenate(parts: Sequence[Path], dest: Path, *, skip_header: bool) -> None:
    with dest.open("wb") as out:
        for n, part in enumerate(parts):
            with part.open("rb") as src:
                if skip_header and n > 0:
                    src.readline()  # the header, already written
                shutil.copyfileobj(src, out, 1 << 20)


def _merge_csv(parts: Sequence[Path], dest: Path) -> None:
    _concatenate(parts, dest, skip_header=True)


def _merge_jsonl(parts: Sequence[Path], dest: Path) -> None:
    _concatenate(parts, dest, skip_header=False)


def _merge_parquet(parts: Sequence[Path], dest: Path) -> None:
    import pyarrow.parquet as pq

    writer = None
    for part in parts:
        table = pq.read_table(part)
        writer = writer or pq.ParquetWriter(dest, table.schema)
        writer.write_table(table)
    if writer is not None:
        writer.close()


@dataclass(frozen=True)
class Format:
    """How one output format is written, joined and served."""

    extension: str  # of the files: predictions.<extension>, errors.<extension>
    media_type: str  # of the download
    encode: Callable[[list[dict[str, Any]], list[str]], bytes]  # rows, columns -> a part file
    merge: Callable[[Sequence[Path], Path], None]  # part files -> one file, streaming
    decode: Callable[[BinaryIO], Iterator[dict[str, Any]]]  # a whole file -> its rows, streaming


# Every output format (the API's OutputFormat) and everything about it: the one table that the
# writers, the job and the download routes read.
FORMATS: dict[OutputFormat, Format] = {
    OutputFormat.CSV: Format("csv", "text/csv", _encode_csv, _merge_csv, _decode_csv),
    OutputFormat.JSONL: Format(
        "jsonl", "application/x-ndjson", _encode_jsonl, _merge_jsonl, _decode_jsonl
    ),
    OutputFormat.PARQUET: Format(
        "parquet",
        "application/vnd.apache.parquet",
        _encode_parquet,
        _merge_parquet,
        _decode_parquet,
    ),
}


def output_format(fmt: str) -> Format:
    """The table's entry for a format name such as "csv"; ValueError names the valid ones."""
    try:
        return FORMATS[OutputFormat(fmt)]
    except ValueError:
        valid = ", ".join(FORMATS)
        raise ValueError(f"unknown output format {fmt!r}: use one of {valid}") from None


def encode(rows: list[dict[str, Any]], columns: list[str], fmt: str) -> bytes:
    return output_format(fmt).encode(rows, columns)


def merge(parts: Sequence[Path], fmt: str, dest: Path) -> None:
    """Join part files into one file, streaming: CSV keeps the first header only."""
    output_format(fmt).merge(parts, dest)


def decode(source: BinaryIO, fmt: str) -> Iterator[dict[str, Any]]:
    """The rows of a predictions or errors file, as they were given to `encode`."""
    return output_format(fmt).decode(source)
