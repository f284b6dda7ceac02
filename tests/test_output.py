"""Commands whose standard output fails: a reader that went away (``| head -1``), a full
device (``> /dev/full``), a closed stdout (``>&-``). Each ends in one line or none, with a
documented status, never a traceback, and a closed stdout is refused before anything is done.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, write_results
from taskbench.catalogue import THROUGHPUT
from taskbench.output import BROKEN_PIPE_STATUS


def _figures(value: float) -> dict[object, object]:
    return {THROUGHPUT: {(100_000,): [value, value * 1.01, value * 0.99]}}


@pytest.fixture
def merge_command(tmp_path: Path) -> tuple[list[str], Path]:
    """A merge with something to report, and its results folder."""
    for python in ["3.12", "3.13"]:
        write_results(tmp_path / "incoming", _figures(1e5), python=python, started=1000)
    return (["-m", "taskbench.jobs.merge", str(tmp_path / "incoming"),
             str(tmp_path / "merged")], tmp_path / "merged")


@pytest.fixture
def compare_command(world: Path) -> list[str]:
    return ["-m", "taskbench", "compare", "3.12", "3.13", "--results", str(world)]


CLI = ["-m", "taskbench", "--counts", "100", "--processes", "1"]


def _closed_reader(arguments: list[str]) -> subprocess.CompletedProcess[str]:
    """Run with a pipe whose reading end is closed before anything is written."""
    child = subprocess.Popen([sys.executable, *arguments], cwd=ROOT, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert child.stdout is not None
    child.stdout.close()
    err = child.stderr.read() if child.stderr else ""
    child.wait(timeout=300)
    return subprocess.CompletedProcess(child.args, child.returncode, "", err)


def _run(arguments: list[str], **streams: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *arguments], cwd=ROOT, text=True, timeout=300,
                          stderr=subprocess.PIPE, check=False, **streams)  # type: ignore


def test_merge_into_a_closed_pipe_stops_quietly(
        merge_command: tuple[list[str], Path]) -> None:
    arguments, results = merge_command
    done = _closed_reader(arguments)
    assert done.returncode == BROKEN_PIPE_STATUS, done.stderr
    assert done.stderr == ""
    assert len(list((results / "box").glob("*.json"))) == 3  # merged all the same


def test_the_cli_and_compare_into_a_closed_pipe_stop_quietly(compare_command: list[str]
                                                            ) -> None:
    for arguments in (CLI, compare_command):
        done = _closed_reader(arguments)
        assert done.returncode == BROKEN_PIPE_STATUS, done.stderr
        assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
def test_an_output_that_fails_is_one_line(merge_command: tuple[list[str], Path],
                                          compare_command: list[str]) -> None:
    arguments, _ = merge_command
    with open("/dev/full", "w") as full:
        merged = _run(arguments, stdout=full)
        others = [_run(command, stdout=full) for command in (CLI, compare_command)]
    assert merged.returncode == 1
    assert merged.stderr == ("error: the output could not be written (No space left on "
                             "device); the merge itself is complete\n")
    for done in others:
        assert done.returncode == 1
        assert done.stderr.splitlines()[-1] == ("error: the output could not be written (No "
                                                "space left on device)")
        assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr


def test_a_closed_stdout_is_refused_before_anything_is_done(
        merge_command: tuple[list[str], Path], compare_command: list[str]) -> None:
    arguments, results = merge_command
    for command in (arguments, CLI, compare_command):
        done = subprocess.run([sys.executable, *command], cwd=ROOT, text=True, timeout=300,
                              stderr=subprocess.PIPE, check=False,
                              preexec_fn=lambda: os.close(1))  # noqa: PLW1509
        assert done.returncode == 2, done.stderr
        assert done.stderr.startswith("error: standard output is closed")
    assert not results.exists()


def test_help_still_reaches_a_working_stdout() -> None:
    done = _run(["-m", "taskbench.jobs.merge", "--help"], stdout=subprocess.PIPE)
    assert done.returncode == 0 and "usage:" in done.stdout
    done = _run(["-m", "taskbench.jobs.merge"], stdout=subprocess.PIPE)
    assert done.returncode == 2 and "usage:" in done.stderr
