"""asv's install step: one wheel per source, built once and then only installed."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from taskbench.workloads import asvinstall


@pytest.fixture
def source(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    (project / "src" / "pkg").mkdir(parents=True)
    (project / "pyproject.toml").write_text("[project]\nname = 'pkg'\n")
    (project / "src" / "pkg" / "__init__.py").write_text("X = 1\n")
    (project / "src" / "pkg" / "__pycache__").mkdir()
    (project / "src" / "pkg" / "__pycache__" / "x.pyc").write_bytes(b"compiled")
    return project


def test_the_key_follows_the_source_and_nothing_else(source: Path) -> None:
    first = asvinstall.source_key(source)
    (source / "src" / "pkg" / "__pycache__" / "x.pyc").write_bytes(b"recompiled")
    (source / "notes.txt").write_text("not built from")
    assert asvinstall.source_key(source) == first
    (source / "src" / "pkg" / "__init__.py").write_text("X = 2\n")
    assert asvinstall.source_key(source) != first
    moved = source.parent / "elsewhere"
    shutil.copytree(source, moved)
    assert asvinstall.source_key(moved) == asvinstall.source_key(source)


def test_a_wheel_is_built_once_per_source(source: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[list[str]] = []

    def pip(*arguments: str, python: str = sys.executable) -> None:
        built.append(list(arguments))
        folder = Path(arguments[arguments.index("--wheel-dir") + 1])
        (folder / "pkg-0-py3-none-any.whl").write_bytes(b"wheel")

    monkeypatch.setattr(asvinstall, "_pip", pip)
    cache = tmp_path / "cache"
    first = asvinstall.wheel_for(source, cache)
    assert asvinstall.wheel_for(source, cache) == first and len(built) == 1
    assert not [p for p in cache.iterdir() if p.name.startswith(".building-")]
    (source / "src" / "pkg" / "__init__.py").write_text("X = 3\n")
    assert asvinstall.wheel_for(source, cache) != first and len(built) == 2


def test_a_failed_build_leaves_nothing_behind(source: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    def pip(*arguments: str, python: str = sys.executable) -> None:
        raise RuntimeError("no setuptools")

    monkeypatch.setattr(asvinstall, "_pip", pip)
    cache = tmp_path / "cache"
    with pytest.raises(RuntimeError):
        asvinstall.wheel_for(source, cache)
    assert list(cache.iterdir()) == []


def test_the_builder_named_builds_the_wheel_and_the_environment_installs_it(
        source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The oldest interpreters cannot install the setuptools the metadata needs: the tools'
    # Python, named by the asv driver, builds; the environment's own only installs.
    calls: list[tuple[str, str]] = []

    def pip(*arguments: str, python: str = sys.executable) -> None:
        calls.append((arguments[0], python))
        if arguments[0] == "wheel":
            folder = Path(arguments[arguments.index("--wheel-dir") + 1])
            (folder / "pkg-0-py3-none-any.whl").write_bytes(b"wheel")

    monkeypatch.setattr(asvinstall, "_pip", pip)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv(asvinstall.BUILDER, "/the/tools/python")
    assert asvinstall.main([str(source)]) == 0
    assert calls == [("wheel", "/the/tools/python"), ("install", sys.executable)]
    monkeypatch.delenv(asvinstall.BUILDER)
    (source / "src" / "pkg" / "__init__.py").write_text("X = 4\n")
    asvinstall.main([str(source)])
    assert calls[2] == ("wheel", sys.executable)  # unnamed: the environment's own


def test_the_asv_driver_names_its_own_python_as_the_builder() -> None:
    from taskbench.asvadapter.driver import AsvDriver

    assert AsvDriver().environ()[asvinstall.BUILDER] == sys.executable
