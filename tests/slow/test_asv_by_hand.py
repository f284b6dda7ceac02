"""asv by hand, for real: ``python -m taskbench.asv`` runs ``run``, ``continuous``, ``compare``,
``publish`` and ``preview`` once each, as docs/asv.md gives them, on one interpreter of
``.pythons/bin`` and one small benchmark (and a count of tasks, which is not a cost).

They run in a clone of the checked-out history (with it as ``main``), with a HOME of their
own, so neither this checkout's ``.asv/`` nor ``~/.asv-machine.json`` is touched; ``PATH`` is
left as it is: the command finds the interpreter in ``.pythons/bin`` itself.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT
from taskbench.catalogue import ECHO_TASKS, TASK_COST

pytestmark = pytest.mark.slow
PYTHONS = ROOT / ".pythons" / "bin"
# The tools venv's own version: asv builds its environment from .pythons/bin's copy.
NAME = f"{sys.version_info.major}.{sys.version_info.minor}"
SMALL = [f"^{TASK_COST.name}\\(1000\\)$", f"^{ECHO_TASKS.name}"]


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (PYTHONS / f"python{NAME}").exists():
        pytest.skip(f"no .pythons/bin/python{NAME} here: run `make pythons`")
    work = tmp_path_factory.mktemp("by-hand")
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(work / "repo")], check=True)
    # main at the checked-out commit, whether or not main is the clone's current branch
    # (`branch --force` refuses the current one).
    subprocess.run(["git", "-C", str(work / "repo"), "checkout", "--quiet", "-B", "main", "HEAD"],
                   check=True, capture_output=True)
    (work / "repo" / ".pythons").symlink_to(PYTHONS.parent)
    return work / "repo"


def hand(clone: Path, *arguments: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "taskbench.asv", *arguments], cwd=clone,
                          capture_output=True, text=True, timeout=timeout, check=False,
                          env={**os.environ, "HOME": str(clone.parent / "home")})


def _committed(clone: Path) -> str:
    return subprocess.run(["git", "status", "--porcelain", "--", "results"], cwd=clone,
                          capture_output=True, text=True, check=True).stdout


def test_run_finds_the_interpreter_in_pythons_bin_and_keeps_results_apart(clone: Path) -> None:
    bench = [option for pattern in SMALL for option in ("--bench", pattern)]
    done = hand(clone, "run", "HEAD^!", "-E", f"virtualenv:{NAME}", *bench, "--quick")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    [config] = (clone / ".asv" / "env").glob("*/pyvenv.cfg")
    prefix = subprocess.run([str(PYTHONS / f"python{NAME}"), "-c",
                             "import sys; print(sys.base_prefix)"], capture_output=True,
                            text=True, check=True).stdout.strip()
    assert f"base-prefix = {prefix}" in config.read_text()  # .pythons/bin's, not PATH's
    [results] = (clone / ".asv" / "hand" / "results").glob(f"*/*-virtualenv-py{NAME}.json")
    saved = json.loads(results.read_text())
    assert TASK_COST.name in saved["results"] and ECHO_TASKS.name in saved["results"]
    assert _committed(clone) == ""  # results/ as committed


def test_continuous_judges_the_costs_only(clone: Path) -> None:
    bench = [option for pattern in SMALL for option in ("--bench", pattern)]
    done = hand(clone, "continuous", "HEAD~1", "HEAD", "-E", f"virtualenv:{NAME}", *bench,
                "--quick")
    assert done.returncode in (0, 1), done.stdout[-3000:] + done.stderr[-3000:]
    assert f"left out, as not costs: {ECHO_TASKS.name}" in done.stderr
    assert "2 commits * 1 environments * 1 benchmarks" in done.stdout
    assert "BENCHMARKS NOT SIGNIFICANTLY CHANGED" in done.stdout or "PERFORMANCE" in done.stdout


def test_compare_shows_the_costs_of_two_commits(clone: Path) -> None:
    done = hand(clone, "compare", "HEAD~1", "HEAD")
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"{TASK_COST.name}(1000)" in done.stdout and ECHO_TASKS.name not in done.stdout
    assert f"left out, as not costs: {ECHO_TASKS.name}" in done.stderr


def test_publish_then_preview_serve_the_hand_results(clone: Path) -> None:
    done = hand(clone, "publish")
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert (clone / ".asv" / "hand" / "html" / "index.html").is_file()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    serving = subprocess.Popen([sys.executable, "-m", "taskbench.asv", "preview", "--port",
                                str(port)], cwd=clone, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True,
                               env={**os.environ, "HOME": str(clone.parent / "home")})
    try:
        page = _fetch(f"http://127.0.0.1:{port}/index.json", within=60)
        assert TASK_COST.name in json.loads(page)["benchmarks"]
    finally:
        os.killpg(serving.pid, 2)  # Ctrl-C, to asv and the command alike
        assert serving.wait(timeout=30) == 130
    assert _committed(clone) == ""


def _fetch(url: str, within: float) -> str:
    deadline = time.monotonic() + within
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 (loopback)
                return str(answer.read().decode())
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
