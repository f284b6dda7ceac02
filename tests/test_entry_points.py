"""Every command-line entry point, given garbage in every argument, answers in words with a
documented exit status: never a traceback.

Each runs in a copy of the repository's configuration and data in a temporary folder, so that
whatever a garbage path makes it write lands there.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ROOT, run_python

pytestmark = pytest.mark.slow

GARBAGE = ["", "-", "../../etc", "é", "9" * 40, "nan"]
ENTRY_POINTS = {
    "taskbench": ["--counts", "--processes"],
    "taskbench share": ["--processes", "--python"],
    "taskbench.interpreters --offline": ["--config", "--dest", "--cache"],
    "taskbench.jobs.main": ["--bench"],
    "taskbench.jobs.ci": ["--name", "--python", "--machine", "--out"],
    "taskbench.jobs.precision": ["--python", "--machine", "--results"],
    "taskbench.jobs.merge": [],
    "taskbench.reports.readme": ["--results", "--precision"],
    "taskbench.site": ["--config"],
    "taskbench.site.preview": ["--port", "--config"],
}


def _cases() -> list[tuple[str, list[str]]]:
    cases = []
    for module, options in ENTRY_POINTS.items():
        cases += [(module, [value]) for value in GARBAGE]
        cases += [(module, [option, value]) for option in options for value in GARBAGE]
    cases += [("taskbench", ["compare", value, value]) for value in GARBAGE]
    cases += [("taskbench", ["compare", "3.12", "3.13", "--factor", value])
              for value in GARBAGE]
    return cases


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Deep enough that "../../etc" stays inside pytest's own temporary folder.
    copy = tmp_path_factory.mktemp("garbage") / "a" / "b" / "repository"
    copy.mkdir(parents=True)
    for name in ("asv.conf.json", "README.md"):
        shutil.copy2(ROOT / name, copy / name)
    for name in ("results", "precision", "benchmarks", "docs"):
        shutil.copytree(ROOT / name, copy / name)
    return copy


@pytest.mark.parametrize(("module", "arguments"), _cases(),
                         ids=lambda value: repr(value)[:40])
def test_garbage_gets_words_not_a_traceback(module: str, arguments: list[str],
                                            sandbox: Path) -> None:
    environment = {"TASKBENCH_MACHINE": "garbage-test", "XDG_CACHE_HOME": str(sandbox / "c"),
                   "HOME": str(sandbox / "home")}  # asv writes ~/.asv-machine.json
    module, *fixed = module.split()
    result = run_python("-m", module, *fixed, *arguments, cwd=sandbox, env=environment,
                        timeout=300)
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert result.returncode in (0, 1, 2), (result.returncode, result.stderr[-500:])
    if result.returncode != 0:
        assert result.stderr.strip(), "a failure must say why"
