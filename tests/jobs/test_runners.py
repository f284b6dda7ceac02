"""Issue 31: which runner measured each interpreter, whether every version step the site shows
was paired within one runner, and which interpreters a runner did not measure."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import write_benchmarks_json, write_results
from taskbench.catalogue import TASK_COST
from taskbench.jobs import runners
from taskbench.jobs.merge import merge
from taskbench.jobs.runrecord import BlockRun, record

LINUX = "gha-ubuntu-24.04-x64"


def artifact(folder: Path, machine: str, pythons: list[str], run_id: str,
             missing: dict[str, str] | None = None) -> Path:
    """A runner's artifact: ``pythons`` measured in three interleaved blocks by one job."""
    run = BlockRun()
    for block in range(3):
        run.folders.append(folder / "blocks" / f"block-{block + 1:02d}")
        for number, python in enumerate(pythons):
            write_results(run.folders[-1], {TASK_COST: {(100_000,): [1e-5 * (1 + number)]}},
                          python=python, machine=machine, started=1_000 + block)
        write_benchmarks_json(run.folders[-1])
        run.orders.append([f"virtualenv-py{python}" for python in pythons])
        run.minutes.append(1.0)
    out = folder / "ci-results"
    runners.stamp(record(run, machine, out), missing or {},
                  {"GITHUB_RUN_ID": run_id, "GITHUB_JOB": "bench", "RUNNER_NAME": "GitHub 1"})
    return out


def test_one_runner_per_os_pairs_every_step_within_itself(tmp_path: Path) -> None:
    incoming = artifact(tmp_path / "linux", LINUX, ["3.12", "3.13", "3.14"], "7")
    merge([incoming], tmp_path / "results")
    pairing = runners.step_pairing(tmp_path / "results")
    assert [(step.a, step.b, step.status) for step in pairing] == [
        ("3.12", "3.13", runners.PAIRED), ("3.13", "3.14", runners.PAIRED)]


def test_one_job_per_interpreter_pairs_every_step_across_runners(tmp_path: Path) -> None:
    # The workflow until issue 31: each interpreter its own job, its own host.
    jobs = [artifact(tmp_path / python, LINUX, [python], number)
            for number, python in enumerate(["3.12", "3.13", "3.14"])]
    merge(jobs, tmp_path / "results")
    pairing = runners.step_pairing(tmp_path / "results")
    assert len(pairing) == 2 and all(step.status.startswith("CROSS-RUNNER: 3.1")
                                     for step in pairing), pairing
    assert "0 of 2 version steps" in runners.report(tmp_path / "results", [])


def test_a_step_of_a_machine_measured_here_is_not_a_runners_concern(tmp_path: Path) -> None:
    for python in ("3.12", "3.13"):
        write_results(tmp_path / "results", {TASK_COST: {(100_000,): [1e-5]}}, python=python,
                      machine="debian12-x86_64-2cpu")
    assert runners.step_pairing(tmp_path / "results") == []


def test_the_merge_names_the_interpreters_each_runner_missed_and_why(tmp_path: Path) -> None:
    linux = artifact(tmp_path / "linux", LINUX, ["3.12", "3.13"], "7",
                     missing={"3.15t": "actions/setup-python installed no interpreter for it"})
    windows = artifact(tmp_path / "windows", "gha-windows-2022-x64", list(runners.CI_PYTHONS),
                       "7")
    lines = runners.missing([linux.parent, windows.parent])
    assert "macos-15: no results at all (its job failed before measuring anything, or " \
           "uploaded nothing: see its log)" in lines
    (linux_line,) = [line for line in lines if line.startswith(LINUX)]
    assert "3.15t (actions/setup-python installed no interpreter for it)" in linux_line
    assert ", 3.14, " in linux_line and "3.12" not in linux_line
    assert not [line for line in lines if "windows" in line]


@pytest.mark.parametrize(("machine", "image"), [
    ("gha-ubuntu-24.04-x64", "ubuntu-24.04"), ("gha-macos-15-arm64", "macos-15"),
    ("debian12-x86_64-2cpu", None), ("gha-x", None)])
def test_a_machine_name_says_its_runner_image(machine: str, image: str | None) -> None:
    assert runners.image_of(machine) == image
