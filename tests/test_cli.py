"""``python -m taskbench``: the classic table, from separate processes or as the replica, and
every bad argument or interruption ending in words, not a traceback."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, run_python
from taskbench.cli import build_parser

ROW = re.compile(r"^\s*([\d,]+)\s+([\d,]+)\s+([\d,]+)\s+([\d,]+)$")


def test_each_count_is_measured_in_separate_processes_with_their_range() -> None:
    result = run_python("-m", "taskbench", "--counts", "1,100,20_000", "--processes", "2")
    assert result.returncode == 0, result.stderr
    rows = [ROW.match(line) for line in result.stdout.splitlines()]
    values = [[int(group.replace(",", "")) for group in row.groups()] for row in rows if row]
    assert [row[0] for row in values] == [1, 100, 20_000]
    assert all(low <= median <= high and low > 0 for _, median, low, high in values)
    assert "median of 2 processes" in result.stdout
    # Progress goes to stderr, one line per process and count.
    assert result.stderr.count("process ") == 2 * 3


def test_the_replica_prints_one_row_per_count_in_order() -> None:
    result = run_python("-m", "taskbench", "--replica", "--counts", "300,100")
    assert result.returncode == 0, result.stderr
    assert "the replica: one process" in result.stdout
    counts = [line.split()[0] for line in result.stdout.splitlines()[-2:]]
    assert counts == ["300", "100"]


def test_defaults_are_the_posts_table_in_three_processes() -> None:
    args = build_parser().parse_args([])
    assert args.counts == [n * 100_000 for n in range(1, 11)]
    assert args.processes == 3


@pytest.mark.parametrize(("arguments", "message"), [
    (["--counts", "0"], "at least 1, not 0"),
    (["--counts", "-3"], "at least 1, not -3"),
    (["--counts", "10,ten"], "'ten' is not a whole number"),
    (["--counts", ""], "'' is not a whole number"),
    (["--counts", "1000000000000"], "at most 10,000,000"),
    (["--processes", "0"], "must be 1 to 100"),
    (["--processes", "many"], "'many' is not a whole number"),
    (["--no-such-option"], "unrecognized arguments"),
])
def test_bad_arguments_end_with_a_message_and_status_2(arguments: list[str],
                                                       message: str) -> None:
    result = run_python("-m", "taskbench", *arguments)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("mode", [[], ["--replica"]])
def test_an_interruption_prints_one_line_and_exits_130(mode: list[str]) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "taskbench", *mode, "--counts", "5000000,5000000"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert process.stdout is not None
    process.stdout.readline()  # the interpreter line: measuring has begun
    os.killpg(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    assert "Task was destroyed" not in err and "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith("interrupted: nothing was kept")
    assert len(err.strip().splitlines()) <= 3


def test_compare_outside_the_tools_venv_says_what_it_needs(monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]
                                                          ) -> None:
    from taskbench import cli

    monkeypatch.setitem(sys.modules, "taskbench.reports.compare", None)
    assert cli.main(["compare", "3.12", "3.13"]) == 2
    assert "the tools venv" in capsys.readouterr().err


def _children_of(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def _running(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, dead but not yet reaped, does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][:1] not in ("Z", "X")
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads children from /proc")
def test_sigterm_ends_the_measuring_process_too() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "taskbench", "--counts", "2000000", "--processes", "1"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    children: list[int] = []
    try:
        assert process.stderr is not None
        assert process.stderr.readline().startswith("process 1 of 1")
        for _ in range(600):  # the measuring process is started right after that line
            children = _children_of(process.pid)
            if children:
                break
            time.sleep(0.01)
        assert children, "no measuring process was started"
        process.send_signal(signal.SIGTERM)
        # wait(), not communicate(): a measuring process left running holds stderr open.
        assert process.wait(timeout=60) == -signal.SIGTERM  # the shell's 143
        for _ in range(500):
            if not any(_running(child) for child in children):
                break
            time.sleep(0.01)
        assert not any(_running(child) for child in children), "the measuring process runs on"
    finally:
        for child in children:
            if _running(child):
                os.kill(child, signal.SIGKILL)
        process.kill()
        process.communicate()
