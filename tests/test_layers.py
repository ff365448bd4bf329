"""Imports run down the layers, never up: every module under app/ imports only from its own layer
or the layers below it.

Layers, lowest first (a module's layer is its longest listed prefix):

    engine       app.ml: torch, torchvision, numpy, Pillow, safetensors, matplotlib, scikit-learn
                 (tests/ml/test_engine_imports.py)
    foundation   app.config, app.errors, app.db, app.storage, app.weights,
                 app.observability (context, logs: request and job ids, log formats)
    plumbing     app.api (deps, auth, quotas, pagination, limits, ratelimit, fields, bodies, cors),
                 app.runtime, app.observability.requests (the X-Request-ID middleware)
    jobs         app.jobs: the runner; it names no domain, the application hands it the kinds
    domains      one package per resource; a domain may use another (through its service);
                 app.observability.metrics and .router (/metrics reads the job table)
    application  app.main, app.cli, app.console (the client commands, on the SDK), app.openapi,
                 app.job_kinds: where the pieces are put together

Every import counts: at module level, inside functions, and inside `if TYPE_CHECKING:` too. A
type-only import up the layers still makes a lower module's signatures name a higher module's
types (mypy loads it; a reader needs it), and is the usual way an import cycle gets hidden; none
is needed today (app/jobs/kinds.py and app/storage/s3.py import types from their own layer or
below). A string that is nothing but a module path counts too: `import_module("app.x")`, or a
registry's `body="app.scoring.tasks:run"` resolved later by name, is an import all the same.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app"

LAYERS: list[tuple[str, list[str]]] = [
    ("engine", ["app.ml"]),
    (
        "foundation",
        [
            "app.config",
            "app.errors",
            "app.db",
            "app.storage",
            "app.weights",
            "app.observability",
        ],
    ),
    ("plumbing", ["app.api", "app.runtime", "app.observability.requests"]),
    ("jobs", ["app.jobs"]),
    (
        "domains",
        [
            "app.architectures",
            "app.models",
            "app.datasets",
            "app.transforms",
            "app.training",
            "app.scoring",
            "app.serving",
            "app.projects",
            "app.health",
            "app.observability.metrics",
            "app.observability.router",
        ],
    ),
    ("application", ["app.main", "app.cli", "app.console", "app.openapi", "app.job_kinds"]),
]


@dataclass(frozen=True)
class Import:
    path: Path
    line: int
    target: str


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> tuple[int, str] | None:
    """(rank, name) of the module's layer, by its longest listed prefix; None if unlisted."""
    best: tuple[int, int, str] | None = None
    for rank, (name, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and (
                best is None or len(prefix) > best[0]
            ):
                best = (len(prefix), rank, name)
    return None if best is None else (best[1], best[2])


def _from_target(package: list[str], node: ast.ImportFrom) -> list[str]:
    if node.level:  # relative: `.` is the importing module's package, `..` the one above
        parts = package[: len(package) - node.level + 1]
        base = ".".join(parts + ([node.module] if node.module else []))
    else:
        base = node.module or ""
    if base == "app":  # `from app import models`: each name is a module
        return [f"app.{alias.name}" for alias in node.names]
    return [base]


# A whole string naming an app module, or `module:attribute`.
DOTTED_REFERENCE = re.compile(r"(app(?:\.[A-Za-z_]\w*)+)(?::[A-Za-z_]\w*)?")


def imports_in(path: Path, source: str) -> list[Import]:
    """Every import of an app module in `source`, the code of the module at `path`."""
    module = module_name(path).split(".")
    package = module if path.name == "__init__.py" else module[:-1]
    found: list[Import] = []
    for node in ast.walk(ast.parse(source, str(path))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            targets = _from_target(package, node)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            named = DOTTED_REFERENCE.fullmatch(node.value)
            targets = [named.group(1)] if named else []
        line = getattr(node, "lineno", 0)  # every node that yields a target has one
        found += [Import(path, line, t) for t in targets if t == "app" or t.startswith("app.")]
    return found


def modules() -> list[Path]:
    return sorted(APP.rglob("*.py"))


def test_every_module_under_app_belongs_to_a_layer() -> None:
    unlisted = [str(p.relative_to(ROOT)) for p in modules() if layer_of(module_name(p)) is None]
    assert not unlisted, f"add these to a layer in tests/test_layers.py: {unlisted}"


def test_no_module_imports_from_a_higher_layer() -> None:
    upward = []
    for path in modules():
        own = layer_of(module_name(path))
        assert own is not None  # the test above names it
        for found in imports_in(path, path.read_text()):
            target = layer_of(found.target)
            if target is None or target[0] > own[0]:
                upward.append(
                    f"{found.path.relative_to(ROOT)}:{found.line} ({own[1]}) imports "
                    f"{found.target} ({target[1] if target else 'no layer'})"
                )
    assert not upward, "imports up the layers:\n" + "\n".join(upward)


def test_the_checker_sees_every_kind_of_import() -> None:
    """Plain, from, relative, function-local, TYPE_CHECKING and dynamic imports all count."""
    source = (
        "from typing import TYPE_CHECKING\n"
        "import app.serving.cache\n"
        "from app import models\n"
        "from ..scoring import service\n"
        "from . import deps\n"
        "if TYPE_CHECKING:\n"
        "    from app.jobs.kinds import JobKind\n"
        "def later():\n"
        "    importlib.import_module('app.training.tasks')\n"
        "BODY = 'app.datasets.tasks:run'\n"
    )
    probe = APP / "api" / "probe.py"  # module app.api.probe: parsed here, never written
    assert sorted(i.target for i in imports_in(probe, source)) == [
        "app.api",
        "app.datasets.tasks",
        "app.jobs.kinds",
        "app.models",
        "app.scoring",
        "app.serving.cache",
        "app.training.tasks",
    ]
    assert layer_of("app.api.probe") == (2, "plumbing")
    assert layer_of("app.serving.cache") == (4, "domains")
