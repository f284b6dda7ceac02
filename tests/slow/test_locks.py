"""Every lock a workflow installs holds on every runner it is installed on.

pip in ``--require-hashes`` mode refuses any dependency the lock does not pin with a hash,
and which dependencies there are depends on the platform (``colorama; sys_platform ==
"win32"``). So each ``pip install --require-hashes -r LOCK`` step of the workflows is
resolved here, as uv resolves it for another platform (``--python-platform``, which also
evaluates the markers for that platform), for each runner its job runs on and the Python
its job installs into. It reads the package index, hence the slow tier.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator

import pytest

from conftest import ROOT
from test_workflows import WORKFLOWS, flow

pytestmark = pytest.mark.slow
PLATFORMS = {"ubuntu-24.04": "x86_64-unknown-linux-gnu", "macos-15": "aarch64-apple-darwin",
             "windows-2022": "x86_64-pc-windows-msvc"}
UV = Path(sys.executable).parent / "uv"


def runners(job: dict[str, Any]) -> list[str]:
    if job["runs-on"] == "${{ matrix.os }}":
        return list(job["strategy"]["matrix"]["os"])
    return [job["runs-on"]]


def installs() -> Iterator[tuple[str, str, str, str]]:
    """(job, lock, runner, Python version) for every hash-checked install of the workflows."""
    for path in WORKFLOWS:
        for job_id, job in flow(path.name)["jobs"].items():
            python = None
            for found in job.get("steps", []):
                if found.get("uses", "").startswith("actions/setup-python@"):
                    python = str(found["with"]["python-version"])  # the last one: the tools'
                for lock in re.findall(r"pip install --require-hashes -r (\S+)",
                                       found.get("run", "")):
                    assert python, f"{path.name} {job_id}: installs before setup-python"
                    for runner in runners(job):
                        yield f"{path.stem}.{job_id}", lock, runner, python


CASES = sorted(set(installs()))


def test_every_runner_of_the_workflows_is_covered() -> None:
    assert {runner for _, _, runner, _ in CASES} == set(PLATFORMS)
    assert ("benchmarks.bench", "requirements/bench.txt", "windows-2022", "3.12") in CASES


@pytest.mark.parametrize(("job", "lock", "runner", "python"), CASES,
                         ids=["-".join(case[:3]) for case in CASES])
def test_the_lock_installs_with_hashes_required(job: str, lock: str, runner: str, python: str,
                                                tmp_path: Path) -> None:
    assert UV.exists(), "uv is one of the pinned tools (requirements/tools.in)"
    done = subprocess.run([str(UV), "pip", "install", "--dry-run", "--require-hashes",
                           "--python-platform", PLATFORMS[runner], "--python-version", python,
                           "--target", str(tmp_path / "target"), "-r", lock], cwd=ROOT,
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, f"{job} on {runner}: {done.stderr[-2000:]}"
