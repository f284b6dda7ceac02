"""The clients' install: pip runs only when a pin is missing or at another version."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

from taskbench.workloads.asvenv import installed


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
