"""`resnet-studio weights pull`: torchvision's files into the weights folder, verified by the
sha256 prefix in their names, failing fast and clearly where there is no internet."""

from __future__ import annotations

import dataclasses
import hashlib
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

import app.ml.architectures
from app.cli import main
from app.ml.architectures import Architecture, ImageNetWeights, imagenet_weights
from tests.fixtures.console import run_cli
from tests.fixtures.net import free_port

R18 = imagenet_weights(Architecture.RESNET18)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A download server on loopback: (its base URL, the folder it serves)."""
    folder = tmp_path / "served"
    folder.mkdir()

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: object) -> None:
            super().__init__(*args, directory=str(folder))  # type: ignore[arg-type]

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/models/", folder
    server.shutdown()
    server.server_close()


def test_without_a_reachable_server_it_fails_fast_naming_the_url(tmp_path: Path) -> None:
    base = f"http://127.0.0.1:{free_port()}/"  # a closed port: no internet here
    weights_dir = tmp_path / "weights"
    result = run_cli(
        "weights", "pull", "resnet18", "--dir", str(weights_dir),
        env={"RESNET_STUDIO_WEIGHTS_DOWNLOAD_BASE_URL": base},
        check=False,
        timeout_s=120,  # generous: the command's own connect timeout is a few seconds
    )  # fmt: skip
    assert result.returncode == 1 and result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(f"resnet-studio: cannot download {base}{R18.file_name}: "), line
    assert list(weights_dir.iterdir()) == []


def test_a_file_whose_hash_does_not_match_its_name_is_refused_and_leaves_nothing(
    tmp_path: Path, served: tuple[str, Path]
) -> None:
    base, folder = served
    (folder / "models").mkdir()
    (folder / "models" / R18.file_name).write_bytes(b"not torchvision's resnet18")
    weights_dir = tmp_path / "weights"
    result = run_cli(
        "weights", "pull", "resnet18", "--dir", str(weights_dir),
        env={"RESNET_STUDIO_WEIGHTS_DOWNLOAD_BASE_URL": base},
        check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert f"refused {base}{R18.file_name}" in result.stderr
    assert f"does not start with {R18.sha256_prefix}," in result.stderr
    assert list(weights_dir.iterdir()) == []  # no file, no partial file


def test_a_file_whose_hash_matches_its_name_lands_in_the_weights_folder(
    tmp_path: Path,
    served: tuple[str, Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """No content can be made to hash to torchvision's prefix, so here the architecture's file
    name carries the prefix of this content's sha256 (in process, to change that name)."""
    base, folder = served
    content = b"stand-in weights " * 1000
    prefix = hashlib.sha256(content).hexdigest()[:8]
    weights = dataclasses.replace(R18, url=f"https://example.invalid/resnet18-{prefix}.pth")
    (folder / "models").mkdir()
    (folder / "models" / weights.file_name).write_bytes(content)

    def named(arch: Architecture) -> ImageNetWeights:
        assert arch == Architecture.RESNET18
        return weights

    monkeypatch.setattr(app.ml.architectures, "imagenet_weights", named)
    monkeypatch.setenv("RESNET_STUDIO_WEIGHTS_DOWNLOAD_BASE_URL", base)
    weights_dir = tmp_path / "weights"  # --dir, or RESNET_STUDIO_WEIGHTS_DIR as here
    monkeypatch.setenv("RESNET_STUDIO_WEIGHTS_DIR", str(weights_dir))

    main(["weights", "pull", "resnet18", "--json"])
    [pulled] = json.loads(capsys.readouterr().out)
    assert pulled["status"] == "downloaded" and pulled["sha256"].startswith(prefix)
    assert [p.name for p in weights_dir.iterdir()] == [weights.file_name]
    assert (weights_dir / weights.file_name).read_bytes() == content

    (folder / "models" / weights.file_name).unlink()  # a second pull needs no server
    main(["weights", "pull", "resnet18", "--json"])
    assert [p["status"] for p in json.loads(capsys.readouterr().out)] == ["present"]
