"""The clients' install: pip runs only when a pin is missing or at another version."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import pytest

from taskbench.workloads import asvenv
from taskbench.workloads.asvenv import client_files, installed, pins


def test_pins_already_installed_need_no_pip(tmp_path: Path) -> None:
    version = importlib.metadata.version("pytest")
    here = tmp_path / "here.txt"
    here.write_text(f"pytest=={version} \\\n    --hash=sha256:00\nJinja2=="
                    f"{importlib.metadata.version('jinja2')}\n")
    assert installed(here)  # names compared as pip does: Jinja2 is jinja2
    other = tmp_path / "other.txt"
    other.write_text(f"pytest=={version}.1\n")
    assert not installed(other)
    missing = tmp_path / "missing.txt"
    missing.write_text("no-such-distribution==1.0\n")
    assert not installed(missing)


@pytest.mark.parametrize(("version", "implementation", "platform"), [
    ((3, 8, 10), "CPython", "linux"), ((3, 9, 18), "CPython", "linux"),
    ((3, 9, 18), "PyPy", "linux"), ((3, 12, 1), "CPython", "win32"),
    ((3, 15, 0), "CPython", "darwin")])
def test_every_interpreter_gets_a_lock_that_exists_for_each_client_it_can_run(
        version: tuple[int, int, int], implementation: str, platform: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(asvenv.sys, "version_info", version)
    monkeypatch.setattr(asvenv.sys, "platform", platform)
    monkeypatch.setattr(asvenv.platform, "python_implementation", lambda: implementation)
    files = client_files()
    assert all(path is None or path.is_file() for path in files.values()), files
    # Trio and AnyIO are pure Python: every interpreter gets them, the old ones older pins.
    frameworks = files["frameworks"]
    assert frameworks is not None
    assert {"trio", "anyio", "outcome", "sniffio"} <= {pin.split("==")[0]
                                                       for pin in pins(frameworks)}
    assert frameworks.name == ("frameworks.txt" if version >= (3, 10)
                               else f"frameworks-py3{version[1]}.txt")
    # The loops in C and Rust: CPython off Windows only, rloop from 3.9.
    native = implementation == "CPython" and platform != "win32"
    assert (files["uvloop"] is not None) == native
    assert (files["rloop"] is not None) == (native and version >= (3, 9))
