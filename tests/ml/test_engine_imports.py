"""app/ml must run on a GPU machine: torch, torchvision and the ML packages those carry
(safetensors, matplotlib, scikit-learn), never a web, database or cloud package."""

from __future__ import annotations

import ast
from pathlib import Path

import app.ml

ALLOWED = {
    "torch",
    "torchvision",
    "numpy",
    "PIL",
    "safetensors",
    "matplotlib",
    "sklearn",
    "app",
}


def test_the_engine_imports_nothing_but_the_ml_packages_and_itself() -> None:
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
