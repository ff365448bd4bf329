"""Finding images and labels in a folder (or an object listing) by the ImageFolder rules."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.datasets.layout import Entry, Layout, LayoutError, Skipped, discover, discover_keys


def _make(root: Path, files: list[str]) -> Path:
    for name in files:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")  # layout goes by names only; probing checks the content
    return root


def _both(tmp_path: Path, files: list[str]) -> Layout:
    """Discover the same tree from disk and from keys; the two must agree."""
    on_disk = discover(_make(tmp_path / "root", files))
    from_keys = discover_keys(files)
    assert on_disk == from_keys
    return on_disk


WRAPPED = [
    "upload/dataset/dogs/d1.jpg",
    "upload/dataset/cats/c2.PNG",
    "upload/dataset/cats/indoor/c1.jpeg",
    "upload/dataset/cats/notes.txt",
    "upload/dataset/README.md",
    "upload/.DS_Store",
    "__MACOSX/upload/dataset/cats/._c2.PNG",
    "upload/dataset/.git/HEAD",
]


def test_class_folders_label_images_below_the_wrapper_folders(tmp_path: Path) -> None:
    layout = _both(tmp_path, WRAPPED)
    assert layout.base == "upload/dataset"
    assert layout.labelled
    assert layout.classes == ["cats", "dogs"]
    assert layout.entries == [
        Entry("upload/dataset/cats/c2.PNG", "cats"),
        Entry("upload/dataset/cats/indoor/c1.jpeg", "cats"),  # nested deeper: still a cat
        Entry("upload/dataset/dogs/d1.jpg", "dogs"),
    ]
    assert [(s.path, s.reason) for s in layout.skipped] == [
        ("upload/dataset/README.md", "unsupported-extension"),
        ("upload/dataset/cats/notes.txt", "unsupported-extension"),
    ]
    assert "not an image file" in layout.skipped[0].message


def test_entries_are_relative_to_the_root_given(tmp_path: Path) -> None:
    root = _make(tmp_path / "root", WRAPPED)
    for path, _label in discover(root).entries:
        assert (root / path).is_file()


def test_a_flat_folder_of_images_is_unlabelled(tmp_path: Path) -> None:
    layout = _both(tmp_path, ["photos/b.jpg", "photos/a.webp", "photos/list.csv"])
    assert layout.base == "photos"
    assert not layout.labelled
    assert layout.classes == []
    assert layout.entries == [Entry("photos/a.webp", None), Entry("photos/b.jpg", None)]


def test_images_next_to_class_folders_are_skipped_with_a_reason(tmp_path: Path) -> None:
    layout = _both(tmp_path, ["cats/a.jpg", "dogs/b.jpg", "stray.jpg"])
    assert layout.classes == ["cats", "dogs"]
    assert layout.skipped == [
        Skipped(
            "stray.jpg",
            "outside-class-folder",
            "stray.jpg: an image next to the class folders has no class",
        )
    ]


def test_class_order_is_sorted_and_stable(tmp_path: Path) -> None:
    layout = _both(tmp_path, ["zebra/1.jpg", "Ant/1.jpg", "bee/1.jpg", "ant/1.jpg"])
    assert layout.classes == ["Ant", "ant", "bee", "zebra"]  # code-point order, as ImageFolder


def test_a_folder_without_images_says_what_it_found(tmp_path: Path) -> None:
    with pytest.raises(
        LayoutError,
        match=r"no images found under .*root .*found 2 other files: "
        r"data/a\.csv, data/b\.gif \(1 hidden or __MACOSX entries ignored\)",
    ):
        discover(_make(tmp_path / "root", ["data/a.csv", "data/b.gif", ".secret.jpg"]))
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(LayoutError, match="found no files"):
        discover(empty)
    with pytest.raises(LayoutError, match="under the listed objects"):
        discover_keys(["a.txt"])


def test_symbolic_links_and_fifos_are_skipped_never_followed(tmp_path: Path) -> None:
    outside = _make(tmp_path / "outside", ["secret/x.jpg", "y.jpg"])
    root = _make(tmp_path / "root", ["cats/a.jpg", "dogs/b.jpg"])
    (root / "cats" / "link.jpg").symlink_to(outside / "y.jpg")
    (root / "escape").symlink_to(outside / "secret", target_is_directory=True)
    os.mkfifo(root / "dogs" / "pipe.jpg")
    layout = discover(root)
    assert layout.entries == [Entry("cats/a.jpg", "cats"), Entry("dogs/b.jpg", "dogs")]
    assert [(s.path, s.reason) for s in layout.skipped] == [
        ("cats/link.jpg", "not-a-regular-file"),
        ("dogs/pipe.jpg", "not-a-regular-file"),
        ("escape", "not-a-regular-file"),
    ]


def test_object_listings_skip_folder_markers_and_odd_keys() -> None:
    layout = discover_keys(["cats/", "cats/a.jpg", "dogs/b.jpg", "dogs//c.jpg", "dogs/../d.jpg"])
    assert layout.entries == [Entry("cats/a.jpg", "cats"), Entry("dogs/b.jpg", "dogs")]
    assert {s.reason for s in layout.skipped} == {"invalid-key"}
    assert len(layout.skipped) == 2
