"""The local store never writes or deletes through a symbolic link below its root: a link planted
there (at a folder on the way, or at the key itself) is refused, and a recursive delete leaves
links, and whatever they point at, alone."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.storage import LinkRefused
from app.storage.local import LocalStore


@dataclass(frozen=True)
class Tree:
    store: LocalStore
    outside: Path  # a folder outside the store, with files that must survive everything

    def outside_files(self) -> dict[str, bytes]:
        return {
            p.relative_to(self.outside).as_posix(): p.read_bytes()
            for p in self.outside.rglob("*")
            if p.is_file()
        }


OUTSIDE = {"secret.txt": b"keep me", "deep/more.txt": b"me too"}


@pytest.fixture
def tree(tmp_path: Path) -> Tree:
    outside = tmp_path / "outside"
    for rel, data in OUTSIDE.items():
        (outside / rel).parent.mkdir(parents=True, exist_ok=True)
        (outside / rel).write_bytes(data)
    root = tmp_path / "root"
    root.mkdir()
    return Tree(LocalStore(root), outside)


def test_a_write_through_a_linked_folder_is_refused_and_lands_nowhere(
    tree: Tree, tmp_path: Path
) -> None:
    (tree.store.root / "out").mkdir()
    (tree.store.root / "out" / "parts").symlink_to(tree.outside, target_is_directory=True)
    source = tmp_path / "part.csv"
    source.write_bytes(b"id\n")
    writes: list[Callable[[], None]] = [
        lambda: tree.store.put_bytes("out/parts/part-00000.csv", b"id\n"),
        lambda: tree.store.put_file("out/parts/deeper/part-00000.csv", source),
    ]
    for write in writes:
        with pytest.raises(LinkRefused) as refused:
            write()
        assert refused.value.link == "out/parts"
    assert tree.outside_files() == OUTSIDE


def test_a_store_rooted_at_the_filesystem_root_refuses_the_same_links(tree: Tree) -> None:
    """A store at '/' reads file:// URIs; there, no resolving can tell a link from its target."""
    parts = tree.store.root / "out" / "parts"
    parts.parent.mkdir()
    parts.symlink_to(tree.outside, target_is_directory=True)
    whole = LocalStore(Path("/"))
    key = parts.relative_to("/").as_posix()  # the root is resolved: no link above parts
    with pytest.raises(LinkRefused):
        whole.put_bytes(f"{key}/part-00000.csv", b"id\n")
    with pytest.raises(LinkRefused):
        whole.delete_prefix(f"{key}/")
    assert tree.outside_files() == OUTSIDE


def test_a_write_to_a_key_that_is_a_link_is_refused_and_its_target_is_unchanged(
    tree: Tree,
) -> None:
    (tree.store.root / "predictions.csv").symlink_to(tree.outside / "secret.txt")
    with pytest.raises(LinkRefused, match="symbolic link"):
        tree.store.put_bytes("predictions.csv", b"overwritten")
    assert (tree.store.root / "predictions.csv").is_symlink()
    assert tree.outside_files() == OUTSIDE
    assert [p.name for p in tree.store.root.iterdir()] == ["predictions.csv"]  # no temp file


def test_writes_without_links_still_create_their_folders(tree: Tree) -> None:
    tree.store.put_bytes("a/b/c.txt", b"x")
    tree.store.put_bytes("a/b/c.txt", b"y")
    assert tree.store.get_bytes("a/b/c.txt") == b"y"
    assert [i.key for i in tree.store.list()] == ["a/b/c.txt"]


@pytest.mark.parametrize("prefix", ["out/parts/", "linked/parts/"])
def test_deleting_a_prefix_at_or_under_a_link_is_refused_and_deletes_nothing(
    tree: Tree, prefix: str
) -> None:
    (tree.store.root / "out").mkdir()
    (tree.store.root / "out" / "parts").symlink_to(tree.outside, target_is_directory=True)
    (tree.store.root / "linked").symlink_to(tree.outside, target_is_directory=True)
    (tree.outside / "parts").mkdir()
    (tree.outside / "parts" / "x.csv").write_bytes(b"outside too")
    with pytest.raises(LinkRefused):
        tree.store.delete_prefix(prefix)
    assert tree.outside_files() == {**OUTSIDE, "parts/x.csv": b"outside too"}
    assert (tree.store.root / "out" / "parts").is_symlink()


def test_deleting_a_prefix_removes_its_files_and_neither_follows_nor_enters_links(
    tree: Tree,
) -> None:
    for key in ("p/a.csv", "p/sub/b.csv", "p/sub/deeper/c.csv", "p/clean/d.csv", "q/kept.csv"):
        tree.store.put_bytes(key, b"mine")
    parts = tree.store.root / "p"
    (parts / "sub" / "to-folder").symlink_to(tree.outside, target_is_directory=True)
    (parts / "to-file").symlink_to(tree.outside / "secret.txt")
    assert tree.store.delete_prefix("p/") == 4
    assert tree.outside_files() == OUTSIDE
    # The links stay, and so do the folders that hold them; everything else under p/ is gone.
    left = sorted(p.relative_to(parts).as_posix() for p in parts.rglob("*"))
    assert left == ["sub", "sub/to-folder", "to-file"]
    assert (parts / "sub" / "to-folder").is_symlink() and (parts / "to-file").is_symlink()
    assert tree.store.get_bytes("q/kept.csv") == b"mine"
    assert tree.store.delete_prefix("p/") == 0


def test_deleting_a_link_is_refused_and_its_target_stays(tree: Tree) -> None:
    (tree.store.root / "secret.txt").symlink_to(tree.outside / "secret.txt")
    (tree.store.root / "linked").symlink_to(tree.outside, target_is_directory=True)
    for key in ("secret.txt", "linked/secret.txt"):
        with pytest.raises(LinkRefused):
            tree.store.delete(key)
    assert tree.outside_files() == OUTSIDE
    assert (tree.store.root / "secret.txt").is_symlink()


def test_deleting_what_is_not_there_is_fine(tree: Tree) -> None:
    tree.store.delete("never/was.txt")
    assert tree.store.delete_prefix("never/was/") == 0
    missing = LocalStore(tree.store.root / "not-made-yet")
    missing.delete("x")
    assert missing.delete_prefix("x/") == 0
