"""taskbench builds as ``make venv`` and asv's install step build it: without a deprecation
warning, with its license declared as an SPDX expression and its license file in the wheel.

pip builds in an isolated environment with the newest setuptools the build requirements allow,
read from the package index, hence the slow tier.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow


def test_the_wheel_builds_without_warnings_and_carries_its_license(tmp_path: Path) -> None:
    # -v: pip shows what the build backend prints, its warnings included.
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "-v", "--no-deps",
                            "--disable-pip-version-check", "--wheel-dir", str(tmp_path),
                            str(ROOT)], capture_output=True, text=True, timeout=600,
                           check=False)
    said = built.stdout + built.stderr
    assert built.returncode == 0, said[-3000:]
    assert "DeprecationWarning" not in said, [line for line in said.splitlines()
                                              if "Deprecat" in line or "license" in line]
    (wheel,) = tmp_path.glob("taskbench-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        (metadata,) = [name for name in names if name.endswith(".dist-info/METADATA")]
        lines = archive.read(metadata).decode().splitlines()
    assert "License-Expression: MIT" in lines and "License-File: LICENSE" in lines
    assert any(name.endswith(".dist-info/licenses/LICENSE") for name in names)
