"""app/ml must run on a GPU machine with only torch and torchvision installed."""

from __future__ import annotations

import ast
from pathlib import Path

import app.ml

ALLOWED = {"torch", "torchvision", "numpy", "PIL", "app"}


def test_the_engine_imports_nothing_but_torch_torchvision_numpy_pillow_and_itself() -> None:
    import sys

    stdlib = sys.stdlib_module_names
    for path in Path(app.ml.__file__).parent.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                assert top in ALLOWED or top in stdlib, f"{path.name} imports {name}"
                if top == "app":
                    assert name.startswith("app.ml"), f"{path.name} imports {name} outside app.ml"
