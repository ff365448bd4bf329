"""bench/speed.py runs where only torch, torchvision, numpy and Pillow are installed (the GPU
machine): here with the service's web, database and cloud packages made unimportable."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BLOCKED = ("fastapi", "starlette", "pydantic", "sqlalchemy", "alembic", "boto3", "botocore")
# A meta-path finder that refuses the service's packages, then the benchmark as a script.
RUN_WITHOUT_SERVICE_PACKAGES = f"""
import runpy, sys
class Refuse:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {BLOCKED!r}:
            raise ImportError(f"{{name}} is not installed on the GPU machine")
        return None
sys.meta_path.insert(0, Refuse())
sys.argv = ["bench/speed.py", *sys.argv[1:]]
runpy.run_path("bench/speed.py", run_name="__main__")
"""


def test_the_speed_bench_runs_with_only_the_engines_packages(tmp_path: Path) -> None:
    args = ["--device", "cpu", "--models", "resnet18", "--images", "6", "--batch-size", "4"]
    args += ["--repeat", "1", "--data", str(tmp_path)]
    done = subprocess.run(
        [sys.executable, "-c", RUN_WITHOUT_SERVICE_PACKAGES, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert len(list(tmp_path.rglob("*.jpg"))) == 6
    rows = [line for line in done.stdout.splitlines() if line.startswith("| resnet18 | score |")]
    assert [row.split("|")[3].strip() for row in rows] == ["model only", "torchvision", "ours"]
