"""One CI job: every interpreter of its runner in blocks, into its own results folder, with
the runner named in the block log and what it could not measure named everywhere."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from conftest import write_benchmarks_json, write_results
from taskbench import blocklog, host, runfacts
from taskbench.asvadapter.results import load
from taskbench.catalogue import TASK_COST
from taskbench.jobs import ci, existing, runners, runrecord
from taskbench.jobs.runrecord import BlockRun
from taskbench.jobs.summary import TRYOUT

MACHINE = "gha-ubuntu-24.04-x64"
WINDOWS = "gha-windows-2022-x64"
GITHUB = {"GITHUB_RUN_ID": "4242", "GITHUB_RUN_ATTEMPT": "1", "GITHUB_JOB": "bench",
          "RUNNER_NAME": "GitHub Actions 3"}


def test_an_existing_environment_is_named_after_the_interpreter(tmp_path: Path) -> None:
    block = tmp_path / "block-01"
    asv_named = write_results(block, {TASK_COST: {(1,): [5.0, 6.0, 7.0]}}, python="3.13",
                              machine=WINDOWS)
    asv_name = "existing-py_C_hostedtoolcache_windows_Python_3.13.1_x64-freethreaded_python.exe"
    data = json.loads(asv_named.read_text())
    data["env_name"] = asv_name
    asv_named.unlink()
    (block / WINDOWS / f"aaaaaaaa-{asv_name}.json").write_text(json.dumps(data))
    python = Path("C:/hostedtoolcache/python3.13t.exe")
    run = BlockRun(folders=[block], orders=[[asv_name]])
    found = existing.name_results(run, WINDOWS, {"3.13t": python}, names={asv_name: "3.13t"})
    assert [path.name for path in found] == ["aaaaaaaa-existing-py3.13t.json"]
    assert run.orders == [["existing-py3.13t"]]
    (figure,) = [f for f in load(block).figures if f.value is not None]
    assert figure.python == "3.13t" and figure.env_name == "existing-py3.13t"
    assert figure.value == 6.0 and figure.samples == (5.0, 6.0, 7.0)  # measurements untouched
    assert existing.env_name("pypy3.10") == "existing-pypy3.10"  # as asv names PyPy's


@pytest.mark.parametrize(("args", "message"), [
    (["--python", "3.x=/p", "--machine", "m"], "not an interpreter name"),
    (["--python", "3.12", "--machine", "m"], "is not NAME=PATH"),
    (["--python", f"3.12={sys.executable}", "--machine", "../m"], "plain folder name"),
    (["--machine", "m"], "required"),
])
def test_bad_arguments_exit_two(args: list[str], message: str,
                                capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        ci.main(args)
    assert exited.value.code == 2 and message in capsys.readouterr().err


def test_an_interpreter_that_cannot_run_or_was_not_installed_is_named(tmp_path: Path) -> None:
    broken = tmp_path / "python"
    broken.write_text("#!/bin/sh\necho 'no such file' >&2\nexit 127\n")
    broken.chmod(0o755)
    found, records, missing = ci.runnable([("3.12", Path(sys.executable)), ("3.13", broken),
                                           ("3.15t", None)])
    assert list(found) == ["3.12"] and [record["python"] for record in records] == ["3.12"]
    assert missing == {"3.13": f"{broken} does not run: no such file",
                       "3.15t": "actions/setup-python installed no interpreter for it"}


class FakeDriver:
    """Stands in for asv: records the machine, measures nothing."""

    def __init__(self, config: Path, results_dir: Path) -> None:
        self.results_dir = results_dir

    def __enter__(self) -> FakeDriver:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    recorded: dict[str, str] = {}

    def machine(self, details: dict[str, str]) -> SimpleNamespace:
        FakeDriver.recorded = dict(details)
        folder = self.results_dir / details["machine"]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "machine.json").write_text(json.dumps({**details, "version": 1}))
        return SimpleNamespace(returncode=0)


def blocks_of(folder: Path, pythons: list[str], count: int = 3) -> BlockRun:
    """What run_blocks leaves: a folder per block, each interpreter measured once in each."""
    run = BlockRun()
    for block in range(count):
        run.folders.append(folder / f"block-{block + 1:02d}")
        for python in pythons:
            write_results(run.folders[-1], {TASK_COST: {(1_000,): [5.0 + block]}}, python=python,
                          machine=MACHINE, started=1_000 + block)
        write_benchmarks_json(run.folders[-1])
        run.orders.append([f"virtualenv-py{python}" for python in pythons])
        run.minutes.append(0.5)
        run.statuses.append(0)
    return run


def test_the_runner_measures_its_interpreters_in_blocks_and_names_itself_and_what_is_missing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # issue 21, 31
    out, summary = tmp_path / "out", tmp_path / "summary.md"
    monkeypatch.setattr(ci, "AsvDriver", FakeDriver)
    monkeypatch.setattr(ci, "build_facts", lambda python: {"version": f"{python.name}.1"})
    monkeypatch.setattr(ci.machines, "cpu_model", lambda: "Example CPU @ 2.00GHz")
    asked: dict[str, Any] = {}

    def measure(args: Any, machine: str, found: dict[str, Path], missing: dict[str, str]
                ) -> BlockRun:
        asked.update(found)
        return blocks_of(tmp_path / "blocks", ["3.12", "3.13"])

    monkeypatch.setattr(ci, "measure", measure)
    for key, value in {**GITHUB, "GITHUB_STEP_SUMMARY": str(summary)}.items():
        monkeypatch.setenv(key, value)
    status = ci.main(["--python", "3.12=/t/3.12", "--python", "3.13=/t/3.13", "--python",
                      "3.15t=", "--out", str(out), "--machine", MACHINE, "--quick", "--tryout"])
    assert status == 2 and list(asked) == ["3.12", "3.13"]  # 3.15t is missing: not a success
    machine_dir = out / MACHINE
    records = [json.loads(line) for line in (machine_dir / "interpreters.jsonl")
               .read_text().splitlines()]
    assert {record["cpu"] for record in records} == {"Example CPU @ 2.00GHz"}
    # issue 26: the runner's host is named in asv's cpu (a line of its own), and the run's
    # record beside the results holds its fingerprint and the interpreters' versions.
    found = host.fingerprint()
    assert FakeDriver.recorded["cpu"] == host.host_label(found)  # what `asv machine` records
    [run_facts] = runfacts.read(machine_dir / runfacts.RUNS_FILE).values()
    assert run_facts["host"] == host.host_id(found)
    assert run_facts["versions"] == {"3.12": "3.12.1", "3.13": "3.13.1"}
    assert run_facts["commit"] == ci.head_commit()
    log = blocklog.read(machine_dir / blocklog.BLOCKS_FILE)
    identity = "run 4242.1 job bench on GitHub Actions 3"
    assert {record["runner"] for record in log.values()} == {identity}
    (run_record,) = [record for (_, env), record in log.items() if env == ""]
    assert run_record["missing"] == {"3.15t": "actions/setup-python installed no interpreter "
                                              "for it"}
    assert run_record["host"]["host"] == host.host_label(found)
    assert [f.samples for f in load(out).figures
            if f.python == "3.12" and f.value is not None] == [(5.0, 6.0, 7.0)]
    text = summary.read_text()
    assert TRYOUT in text and "2 of 3 interpreters measured on this one runner: 0 phases and " \
        "3 interleaved blocks" in text
    assert "not measured: 3.15t: actions/setup-python installed no interpreter" in text
    assert "| benchmark | parameters | 3.12 | 3.13 |" in text
    assert f"| {TASK_COST.name} | count=1000 | 5.94 s (" in text, text


def test_a_runner_with_nothing_to_measure_fails_and_says_why(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(ci, "AsvDriver", FakeDriver)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    assert ci.main(["--python", "3.12=", "--out", str(tmp_path), "--machine", MACHINE]) == 1
    assert "3.12 was not measured on gha-ubuntu-24.04-x64: actions/setup-python installed no" \
        in capsys.readouterr().err


def test_an_interrupted_runner_keeps_the_phases_and_blocks_that_finished(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    finished = blocks_of(tmp_path / "blocks", ["3.12"], count=2)
    for phase in ("counts-1", "counts-2", "clients"):
        write_results(tmp_path / "blocks" / phase, {TASK_COST: {(1_000,): [5.0]}},
                      machine=MACHINE)

    def interrupted(*args: Any, **kwargs: Any) -> BlockRun:
        raise KeyboardInterrupt  # the job cancelled, or timed out, during block 3

    monkeypatch.setattr(ci, "run_blocks", interrupted)
    args = SimpleNamespace(quick=True, minutes=60.0, windows_mode=False)
    run = ci._blocks(tmp_path / "blocks", MACHINE, ["virtualenv-py3.12"], tmp_path / "c", args)
    assert run.folders == finished.folders and not run.minutes
    assert [(name, path.name) for name, path in run.phases] == [
        ("clients", "clients"), ("counts", "counts-1"), ("counts", "counts-2")]
    assert ci.notes(run, {}, 1, 60.0)[1].startswith("The job was interrupted")
    log = runrecord.record(run, MACHINE, tmp_path / "out")  # the blocks' own combining takes it
    assert {record["commit"] for record in blocklog.read(log).values()} == {"a" * 40}


def test_the_runner_identity_changes_with_a_rerun_and_is_the_host_outside_github() -> None:
    first = runners.runner_identity(GITHUB)
    again = runners.runner_identity({**GITHUB, "GITHUB_RUN_ATTEMPT": "2"})
    assert first != again and runners.runner_identity({}).startswith("host ")


def test_a_summary_of_several_interpreters_gives_their_steps_in_the_engines_words(
        world: Path) -> None:
    from taskbench.jobs.summary import summary

    text = summary(world, "Measured", tryout=False)
    assert "3.12 → 3.13" in text and "1.30× faster (1.2" in text
    assert text.index("Which differences are real") < text.index("| benchmark | parameters")
