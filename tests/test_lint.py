"""The code, benchmarks and tests included, passes ruff and mypy (strict) with the pinned
versions; what runs inside the measured interpreters parses as Python 3.8 and imports only the
standard library; no module grows past 300 lines and no function past 50."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# What asv imports inside every measured interpreter (and the CLI, which runs there too).
INSIDE = [*sorted((ROOT / "src/taskbench/workloads").glob("*.py")),
          ROOT / "src/taskbench/catalogue.py", ROOT / "src/taskbench/entries.py",
          ROOT / "src/taskbench/cli.py", ROOT / "src/taskbench/clireport.py",
          ROOT / "src/taskbench/post.py", ROOT / "src/taskbench/units.py",
          ROOT / "src/taskbench/output.py", ROOT / "src/taskbench/arguments.py",
          ROOT / "src/taskbench/__init__.py", ROOT / "src/taskbench/__main__.py",
          *sorted((ROOT / "benchmarks").glob("*.py"))]
# What those may import besides the standard library and each other.
ALLOWED = {"taskbench", "asv_runner", "uvloop", "textual", "aiohttp"}


def test_ruff() -> None:
    result = subprocess.run([str(BIN / "ruff"), "check", "src", "benchmarks", "tests"],
                            cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy() -> None:
    result = subprocess.run([str(BIN / "mypy")], cwd=ROOT, capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", INSIDE, ids=lambda path: str(path.relative_to(ROOT)))
def test_code_run_inside_the_interpreters_is_python_3_8_and_standard_library(path: Path
                                                                             ) -> None:
    tree = ast.parse(path.read_text(), filename=str(path), feature_version=(3, 8))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            imported.add(node.module.split(".")[0])
    outside = {name for name in imported
               if name not in sys.stdlib_module_names and name not in ALLOWED}
    assert not outside, f"{path.name} imports {outside}"
    # The tools live apart: nothing inside may reach for them.
    tools = {"taskbench.reports", "taskbench.jobs", "taskbench.interpreters", "taskbench.site",
             "taskbench.asvadapter", "taskbench.files", "taskbench.host", "taskbench.journal"}
    reached = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
               and node.module and any(node.module.startswith(t) for t in tools)}
    assert not reached, reached


def test_every_source_file_parses_as_python_3_8() -> None:
    """asv installs the whole package into every environment, the oldest being 3.8."""
    for path in ROOT.glob("src/taskbench/**/*.py"):
        ast.parse(path.read_text(), filename=str(path), feature_version=(3, 8))


def test_no_module_is_over_300_lines() -> None:
    long = {str(path.relative_to(ROOT)): count
            for path in [*ROOT.glob("src/taskbench/**/*.py"), *ROOT.glob("benchmarks/*.py")]
            if (count := len(path.read_text().splitlines())) > 300}
    assert not long, long


def test_no_function_is_over_50_lines() -> None:
    long = {}
    for path in [*ROOT.glob("src/taskbench/**/*.py"), *ROOT.glob("benchmarks/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > 50:
                    long[f"{path.relative_to(ROOT)}:{node.name}"] = lines
    assert not long, long
