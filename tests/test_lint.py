"""The code, benchmarks included, passes ruff and mypy (strict) with the pinned versions."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def test_ruff() -> None:
    result = subprocess.run([str(BIN / "ruff"), "check", "src", "benchmarks", "tests"],
                            cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy() -> None:
    result = subprocess.run([str(BIN / "mypy")], cwd=ROOT, capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_sources_parse_as_python_3_8() -> None:
    """asv installs taskbench into every environment, the oldest being CPython 3.8."""
    import ast

    for path in [*ROOT.glob("src/taskbench/*.py"), *ROOT.glob("benchmarks/*.py")]:
        ast.parse(path.read_text(), filename=str(path), feature_version=(3, 8))
