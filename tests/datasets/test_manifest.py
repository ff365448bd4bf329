"""Reading CSV and JSON Lines manifests, and resolving the image references in them."""

from __future__ import annotations

import pytest

from app.datasets.manifest import ManifestError, ManifestRow, parse_manifest, resolve_ref


def test_a_csv_with_a_header_gives_labelled_rows_numbered_by_line() -> None:
    text = 'path,label\r\ncats/a.jpg,cat\r\n\r\n"dogs/b, the good one.jpg", dog \r\n'
    assert parse_manifest(text, "csv") == [
        ManifestRow(2, "cats/a.jpg", "cat"),
        ManifestRow(4, "dogs/b, the good one.jpg", "dog"),
    ]


def test_a_csv_without_header_or_labels_is_unlabelled() -> None:
    text = "\ufeffs3://bucket/a.jpg\nb.png\n"
    assert parse_manifest(text, "csv") == [
        ManifestRow(1, "s3://bucket/a.jpg", None),
        ManifestRow(2, "b.png", None),
    ]


def test_a_path_only_header_and_trailing_commas_are_accepted() -> None:
    assert parse_manifest("PATH\na.jpg,\n", "csv") == [ManifestRow(2, "a.jpg", None)]


def test_a_header_only_manifest_lists_nothing() -> None:
    assert parse_manifest("path,label\n", "csv") == []
    assert parse_manifest("\n\n", "jsonl") == []


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("path,label\na.jpg,cat\n,dog\n", "row 3: missing path"),
        ("a.jpg,cat,extra\n", "row 1: expected 'path,label', got 3 columns"),
        ("a.jpg,cat\nb.jpg\n", "row 2: has no label but row 1 .* has one"),
        ("a.jpg\nb.jpg\nc.jpg,cat\n", "row 3: has a label but row 1 .* has none"),
        ('a.jpg,"unterminated\n', "row 1: not valid CSV"),
    ],
    ids=["missing-path", "too-many-columns", "label-missing", "label-extra", "bad-quoting"],
)
def test_csv_errors_name_the_row(text: str, error: str) -> None:
    with pytest.raises(ManifestError, match=error):
        parse_manifest(text, "csv")


def test_json_lines_in_sagemaker_style() -> None:
    text = (
        '{"source-ref": "s3://b/cats/a.jpg", "class": "cat"}\n'
        "\n"
        '{"source-ref": "dogs/b.jpg", "label": "dog", "label-metadata": {}}\n'
        '{"source-ref": "c.jpg", "class": 3}\n'
    )
    assert parse_manifest(text, "jsonl") == [
        ManifestRow(1, "s3://b/cats/a.jpg", "cat"),
        ManifestRow(3, "dogs/b.jpg", "dog"),
        ManifestRow(4, "c.jpg", "3"),
    ]


def test_a_line_separator_inside_a_json_string_does_not_split_the_row() -> None:
    rows = parse_manifest('{"source-ref": "a.jpg", "class": "odd\u2028name"}\n', "jsonl")
    assert rows == [ManifestRow(1, "a.jpg", "odd\u2028name")]


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ('{"source-ref": "a.jpg"}\n{"source-ref": "b.jpg",\n', "row 2: not valid JSON"),
        ('["a.jpg"]\n', "row 1: expected a JSON object"),
        ('{"class": "cat"}\n', 'row 1: missing path: no "source-ref"'),
        ('{"source-ref": ""}\n', "row 1: missing path"),
        ('{"source-ref": "a.jpg", "class": "cat", "label": "dog"}\n', "row 1: .*disagree"),
        ('{"source-ref": "a.jpg", "class": true}\n', 'row 1: "class" must be'),
        ('{"source-ref": "a.jpg"}\n{"source-ref": "b.jpg", "class": "x"}\n', "row 2: has a label"),
    ],
    ids=["bad-json", "not-object", "no-ref", "empty-ref", "disagree", "bool-label", "mixed"],
)
def test_json_lines_errors_name_the_row(text: str, error: str) -> None:
    with pytest.raises(ManifestError, match=error) as caught:
        parse_manifest(text, "jsonl")
    assert caught.value.row is not None


@pytest.mark.parametrize(
    ("manifest", "ref", "expected"),
    [
        ("s3://b/sets/m.csv", "s3://other/x.jpg", "s3://other/x.jpg"),
        ("s3://b/sets/m.csv", "file:///data/x.jpg", "file:///data/x.jpg"),
        ("s3://b/sets/m.csv", "cats/a.jpg", "s3://b/sets/cats/a.jpg"),
        ("s3://b/sets/m.csv", "./cats/a.jpg", "s3://b/sets/cats/a.jpg"),
        ("s3://b/sets/v2/m.csv", "../images/a.jpg", "s3://b/sets/images/a.jpg"),
        ("s3://b/m.csv", "a.jpg", "s3://b/a.jpg"),
        (
            "file:///data/my%20set/m.csv",
            "my cat #1.jpg",
            "file:///data/my%20set/my%20cat%20%231.jpg",
        ),
    ],
)
def test_references_resolve_against_the_manifest_folder(
    manifest: str, ref: str, expected: str
) -> None:
    assert resolve_ref(manifest, ref) == expected


@pytest.mark.parametrize(
    ("manifest", "ref", "error"),
    [
        ("s3://b/m.csv", "", "empty image reference"),
        ("s3://b/m.csv", "  ", "empty image reference"),
        ("s3://b/m.csv", "http://example.com/a.jpg", "use an s3:// or file:// URI"),
        ("s3://b/m.csv", "gs://b/a.jpg", "use an s3:// or file:// URI"),
        ("s3://b/m.csv", "/etc/passwd", "use an s3:// or file:// URI"),
        ("s3://b/m.csv", "C:\\images\\a.jpg", "use an s3:// or file:// URI"),
        ("s3://b/sets/m.csv", "../../a.jpg", "climbs above s3://b/"),
        ("https://host/m.csv", "a.jpg", "must be at an s3:// or file:// URI"),
    ],
)
def test_other_references_are_refused(manifest: str, ref: str, error: str) -> None:
    with pytest.raises(ManifestError, match=error):
        resolve_ref(manifest, ref)
