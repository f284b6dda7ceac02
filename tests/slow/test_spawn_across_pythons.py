"""The spawn APIs on the other interpreters of this machine: each runs where its feature
exists and is reported unavailable, not failed, where it does not.

The test venv's own Python cannot show both sides, so a small script runs the workloads
(from ``src/``) under every interpreter found: pyenv's releases and the ones ``make pythons``
gathers in ``.pythons/bin``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from conftest import needs

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
import json
from taskbench.workloads import Unavailable
from taskbench.workloads.spawn import SPAWN_APIS, check_spawn_api, spawn_workload
from taskbench.workloads.timing import time_workload
outcome = {}
for api in SPAWN_APIS:
    try:
        check_spawn_api(api)
    except Unavailable as reason:
        outcome[api] = "n/a: " + str(reason)
        continue
    outcome[api] = time_workload(spawn_workload(api), 300).completed
from taskbench.workloads.frameworks import check_framework
from taskbench.workloads.threads import THREAD_APIS, check_threads, run_in_threads
for api in THREAD_APIS:
    try:
        outcome["threads " + api] = run_in_threads(api, check_threads(api, 2), 300).completed
    except Unavailable as reason:
        outcome["threads " + api] = "n/a: " + str(reason)
try:
    check_framework("trio")
except Unavailable as reason:  # the interpreter's own site-packages have no Trio
    outcome["trio"] = "n/a: " + str(reason)
print(json.dumps(outcome))
"""
# The first minor version with each API; the baseline and gather exist everywhere.
FIRST_MINOR = {"create_task+wait": 7, "gather": 7, "TaskGroup": 11, "eager_task_factory": 12,
               "eager_start": 14}


def _interpreters() -> dict[str, Path]:
    found: dict[str, Path] = {}
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    for version_dir in sorted((pyenv_root / "versions").glob("3.*")):
        match = re.match(r"3\.(\d+)\.\d+$", version_dir.name)
        executable = version_dir / "bin" / "python3"
        if match and int(match.group(1)) >= 8 and executable.exists():
            found[version_dir.name] = executable
    for executable in sorted((ROOT / ".pythons" / "bin").glob("p*")):
        found[executable.name] = executable
    return found


INTERPRETERS = _interpreters()


@pytest.mark.skipif(not INTERPRETERS, reason=needs("interpreters", "none from pyenv or in "
                                                                 ".pythons/bin"))
@pytest.mark.parametrize("name", sorted(INTERPRETERS))
def test_each_api_runs_exactly_where_the_interpreter_has_it(name: str) -> None:
    executable = INTERPRETERS[name]
    result = subprocess.run(
        [str(executable), "-c", SCRIPT], capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")}, check=False)
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout)
    minor = int(subprocess.run(
        [str(executable), "-c", "import sys; print(sys.version_info[1])"],
        capture_output=True, text=True, check=True).stdout)
    for api, first_minor in FIRST_MINOR.items():
        if minor >= first_minor:
            assert outcome[api] == 300, (api, outcome[api])
        else:
            assert str(outcome[api]).startswith("n/a: "), (api, outcome[api])
    # Two threads, each with its own loop, on every interpreter; the eager factory from 3.12.
    assert outcome["threads create_task+wait"] == 600
    eager = outcome["threads eager_task_factory"]
    assert eager == 600 if minor >= 12 else str(eager).startswith("n/a: "), eager
    if "trio" in outcome:  # an interpreter's own site-packages may hold Trio: then it runs
        assert str(outcome["trio"]).startswith("n/a: trio is not installed here"), outcome
