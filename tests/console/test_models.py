"""`resnet-studio models create | list | show`, and how a problem reads."""

from __future__ import annotations

from tests.fixtures.console import Cli, parsed


def test_create_builds_an_untrained_model_that_list_and_show_report(cli: Cli) -> None:
    # fmt: off
    model = parsed(cli(
        "models", "create", "--architecture", "resnet18", "--no-pretrained",
        "--name", "tiny", "--tag", "demo", "--json",
    ))
    # fmt: on
    assert model["architecture"] == "resnet18" and model["pretrained"] is False
    assert model["status"] == "untrained" and model["name"] == "tiny"
    assert model["tags"] == ["demo"]

    shown = cli("models", "show", model["id"]).stdout
    assert shown.splitlines()[0].split() == ["model", model["id"], "untrained", "resnet18", "tiny"]
    assert [m["id"] for m in parsed(cli("models", "list", "--tag", "demo", "--json"))["items"]] == [
        model["id"]
    ]
    assert parsed(cli("models", "list", "--tag", "other", "--json"))["items"] == []


def test_a_problem_prints_its_detail_on_one_stderr_line_and_exits_1(cli: Cli) -> None:
    missing = cli("models", "show", "nope", check=False)
    assert missing.returncode == 1 and missing.stdout == ""
    assert missing.stderr.splitlines() == [
        "resnet-studio: No model with id 'nope'. (not-found, HTTP 404)"
    ]

    # Pretrained by default, and this server's weights store is empty: the detail says what to do.
    refused = cli("models", "create", "--architecture", "resnet18", check=False)
    assert refused.returncode == 1 and refused.stdout == ""
    [line] = refused.stderr.splitlines()
    assert "resnet18-f37072fd.pth" in line and "pretrained=false" in line
    assert line.endswith("(weights-unavailable, HTTP 422)")
