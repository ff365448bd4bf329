"""The command line for people: client commands built only on the generated Python SDK
(`resnet_studio_client`), one module per command group. `weights pull` is the exception: it
fetches files from the internet for the server's weights folder, with the server's settings."""

from __future__ import annotations

from app.console import datasets, export, jobs, models, predict, score, train, weights
from app.console.common import SubParsers

GROUPS = [datasets, models, train, score, predict, export, jobs, weights]


def register(commands: SubParsers) -> None:
    """Add every client command to `resnet-studio`'s subcommands."""
    for group in GROUPS:
        group.register(commands)
