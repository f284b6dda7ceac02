"""``python -m taskbench``: how long it will take said first, then the classic table in µs per
task and thousands of tasks per second beside the post's figures, from separate processes or
as the replica; JSON for other programs; every bad argument or interruption ending in words,
not a traceback."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, run_python
from taskbench import cli
from taskbench.cli import build_parser
from taskbench.clireport import CALIBRATION_COUNT

# count, µs per task (median, fastest, slowest), thousand tasks/s; the post's beside some.
ROW = re.compile(r"^\s*([\d,]+)\s+([\d.,]+)\s+([\d.,]+)\s+([\d.,]+)\s+([\d,]+)$")
EXPECTATION = re.compile(r"^Measuring .*: about (a|\d+) (second|seconds|minutes) here "
                         rf"\(priced by a {CALIBRATION_COUNT:,}-task cycle timed just now\)\.$")


def _numbers(row: re.Match[str]) -> list[float]:
    return [float(group.replace(",", "")) for group in row.groups()]


def test_each_count_is_measured_in_separate_processes_with_their_range() -> None:
    result = run_python("-m", "taskbench", "--counts", "1,100,20_000", "--processes", "2")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert EXPECTATION.match(lines[1]), lines[1]
    assert lines[1].startswith("Measuring 3 counts from 1 to 20,000 tasks, each in 2 fresh "
                               "processes: about ")
    rows = [_numbers(row) for row in map(ROW.match, lines) if row]
    assert [row[0] for row in rows] == [1, 100, 20_000]
    for _, median, fastest, slowest, thousands in rows:
        assert 0 < fastest <= median <= slowest
        # The two columns are one figure: K tasks/s = 1,000 / µs, up to their rounding.
        assert abs(thousands - 1_000 / median) <= 0.5 + 1_000 / median * 0.005 / median
    assert "the median of 2 processes, with the fastest and the slowest" in result.stdout
    # Progress goes to stderr, one line per process and count, each with the time left.
    progress = [line for line in result.stderr.splitlines() if line.startswith("process ")]
    assert len(progress) == 2 * 3
    assert all(re.search(r"\(about (a|\d+) \w+ left\)$", line) for line in progress)


def test_the_duration_is_said_before_anything_is_measured(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    said_before: list[str] = []

    def measure(count: int) -> float:
        if not said_before:
            said_before.append(capsys.readouterr().out)
        return 5e-6

    monkeypatch.setattr(cli, "_calibrate", lambda: (10e-6, 0.05))
    monkeypatch.setattr(cli, "_one_process", measure)
    monkeypatch.setattr(cli, "_on_interrupt", lambda message: None)
    assert cli.main([]) == 0
    # The defaults: ten counts, 5,500,000 tasks in all, in three processes each, priced at
    # 10 µs a task and 0.05 s a start: 3 x (55 + 0.5) seconds.
    assert ("Measuring 10 counts from 100,000 to 1,000,000 tasks, each in 3 fresh processes: "
            "about 3 minutes here") in said_before[0]
    out = capsys.readouterr().out
    assert "     100,000         5.00     5.00     5.00        200          3.57        280" \
        in out.splitlines()


def test_json_gives_other_programs_each_counts_figures() -> None:
    result = run_python("-m", "taskbench", "--json", "--counts", "100,2000", "--processes", "2")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["count"] for row in rows] == [100, 2000]
    for row in rows:
        assert len(row["processes"]) == 2 and all(value > 0 for value in row["processes"])
        assert min(row["processes"]) <= row["seconds_per_task"] <= max(row["processes"])
    assert "Measuring 2 counts (100 and 2,000 tasks)" in result.stderr


def test_a_count_given_twice_is_two_rows_of_their_own_processes() -> None:
    result = run_python("-m", "taskbench", "--json", "--processes", "2", "--counts", "100,100")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["count"] for row in rows] == [100, 100]
    assert [len(row["processes"]) for row in rows] == [2, 2]
    assert rows[0]["processes"] != rows[1]["processes"]


def test_the_replica_prints_one_row_per_count_in_order() -> None:
    result = run_python("-m", "taskbench", "--replica", "--counts", "300,100")
    assert result.returncode == 0, result.stderr
    assert "the replica: one process" in result.stdout
    assert "Measuring the replica of 2 counts (300 and 100 tasks), in this process: about " \
        in result.stdout
    rows = result.stdout.splitlines()[-2:]
    assert [row.split()[0] for row in rows] == ["300", "100"]
    for row in rows:
        micro, thousands = (float(value.replace(",", "")) for value in row.split()[1:3])
        assert micro > 0 and abs(thousands - 1_000 / micro) <= 0.5 + 1_000 / micro ** 2 * 0.005


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
