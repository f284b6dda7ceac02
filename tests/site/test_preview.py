"""``make preview PORT=...``: the port reaches the command as one quoted argument, so that
no value runs as shell text; a bad one is refused by the command, in words."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT


@pytest.mark.skipif(shutil.which("make") is None, reason="no make here")
@pytest.mark.parametrize("port", ["abc; touch {marker}", "1' ; touch {marker} ; '",
                                  '1" ; touch {marker} ; "', "`touch {marker}`",
                                  "$$(touch {marker})", "$(shell touch {marker})"])
def test_a_port_is_never_run_as_a_command(tmp_path: Path, port: str) -> None:
    marker = tmp_path / "ran"
    done = subprocess.run(["make", "--no-print-directory", "preview",
                           f"PORT={port.format(marker=marker)}"], cwd=ROOT, text=True,
                          capture_output=True, timeout=120, check=False)
    assert not marker.exists(), done.stdout + done.stderr
    assert done.returncode != 0
    assert "is not a whole number" in done.stderr
