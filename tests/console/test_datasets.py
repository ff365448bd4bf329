"""`resnet-studio datasets add | list | show` against a live server."""

from __future__ import annotations

from pathlib import Path

from app.config import Settings
from tests.fixtures.console import Cli, parsed
from tests.fixtures.images import class_tree, write_tree, zip_of


def test_add_packs_and_uploads_a_local_class_folder_and_waits_until_it_is_indexed(
    cli: Cli, tmp_path: Path
) -> None:
    folder = write_tree(tmp_path / "colours", class_tree({"blue": 4, "red": 3}))
    dataset = parsed(cli("datasets", "add", str(folder), "--wait", "--json"))
    assert dataset["status"] == "ready", dataset["error"]
    assert dataset["classes"] == ["blue", "red"]
    assert dataset["class_counts"] == {"blue": 4, "red": 3}
    assert dataset["name"] == "colours"  # the folder's, by default

    shown = cli("datasets", "show", dataset["id"]).stdout
    assert dataset["id"] in shown and "ready" in shown
    assert {"blue  4", "red   3"} <= {line.strip() for line in shown.splitlines()}
    listed = parsed(cli("datasets", "list", "--json"))
    assert [d["id"] for d in listed["items"]] == [dataset["id"]]


def test_add_uploads_an_archive_as_it_is_and_registers_a_uri_the_server_may_read(
    cli: Cli, settings: Settings, tmp_path: Path
) -> None:
    archive = tmp_path / "pets.zip"
    archive.write_bytes(zip_of(class_tree({"blue": 2, "green": 2})))
    uploaded = parsed(cli("datasets", "add", str(archive), "--wait", "--json"))
    assert uploaded["status"] == "ready" and uploaded["classes"] == ["blue", "green"]
    assert uploaded["source_format"] == "archive"

    folder = write_tree(
        settings.resolved_file_source_roots[0] / "shared", class_tree({"green": 2, "red": 2})
    )
    registered = cli("datasets", "add", folder.as_uri(), "--name", "shared", "--wait").stdout
    assert "ready" in registered and "shared" in registered and folder.as_uri() in registered
    assert {"green  2", "red    2"} <= {line.strip() for line in registered.splitlines()}


def test_a_refused_source_is_the_servers_detail_on_one_line_and_exit_code_1(
    cli: Cli, tmp_path: Path
) -> None:
    outside = write_tree(tmp_path / "elsewhere", class_tree({"red": 1}))
    result = cli("datasets", "add", outside.as_uri(), check=False)
    assert result.returncode == 1 and result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("resnet-studio: ") and "HTTP 4" in line, line
