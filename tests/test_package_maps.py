"""Every package's map (the table in its ``__init__`` docstring) lists exactly its modules:
a module added, moved or removed changes the map with it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from conftest import ROOT

SOURCE = ROOT / "src" / "taskbench"
# A map's row starts with the module's name in double backquotes.
ROW = re.compile(r"^``(\w+)``", re.MULTILINE)
PACKAGES = ["asvadapter", "interpreters", "jobs", "reports", "site", "workloads"]


def _listed(package: Path) -> set[str]:
    docstring = ast.get_docstring(ast.parse((package / "__init__.py").read_text("utf-8")))
    return set(ROW.findall(docstring or ""))


def _modules(package: Path) -> set[str]:
    return {path.stem for path in package.glob("*.py")} - {"__init__", "__main__"}


@pytest.mark.parametrize("name", PACKAGES)
def test_a_packages_map_lists_exactly_its_modules(name: str) -> None:
    package = SOURCE / name
    assert _listed(package) == _modules(package)


def test_every_package_has_a_map() -> None:
    found = {path.parent.name for path in SOURCE.glob("*/__init__.py")} | {
        path.name for path in SOURCE.iterdir() if path.is_dir() and any(path.glob("*.py"))}
    assert found == set(PACKAGES)


def test_the_map_finds_a_module_missing_from_it(tmp_path: Path) -> None:
    (tmp_path / "__init__.py").write_text('"""A map.\n\n``one``  the first\n"""\n')
    (tmp_path / "one.py").write_text("")
    (tmp_path / "two.py").write_text("")
    assert _listed(tmp_path) != _modules(tmp_path)


def test_the_top_level_map_names_every_module_and_package() -> None:
    docstring = ast.get_docstring(ast.parse((SOURCE / "__init__.py").read_text("utf-8")))
    named = set(re.findall(r"``taskbench\.(\w+)``", docstring or ""))
    present = (_modules(SOURCE) | set(PACKAGES)) - {"__main__"}
    assert named == present
