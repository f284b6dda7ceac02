"""One CI job: its own results folder, and an existing environment given its own name."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import write_results
from taskbench import host, runfacts
from taskbench.asvadapter.results import load
from taskbench.catalogue import TASK_COST
from taskbench.jobs import ci
from taskbench.jobs.summary import TRYOUT


def test_an_existing_environment_is_named_after_the_interpreter(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    asv_named = write_results(folder, {TASK_COST: {(1,): [5.0, 6.0, 7.0]}},
                              python="3.13", machine="gha-windows-2022-x64")
    asv_named = asv_named.rename(asv_named.with_name(
        "aaaaaaaa-existing-py_C_hostedtoolcache_windows_Python_3.13.1_x64_python.exe.json"))
    data = json.loads(asv_named.read_text())
    data["env_name"] = "existing-py_C_hostedtoolcache_windows_Python_3.13.1_x64_python.exe"
    asv_named.write_text(json.dumps(data))
    (renamed,) = ci.name_existing_results(folder / "gha-windows-2022-x64", "3.13t")
    assert renamed.name == "aaaaaaaa-existing-py3.13t.json" and not asv_named.exists()
    (figure,) = [f for f in load(folder).figures if f.value is not None]
    assert figure.python == "3.13t" and figure.env_name == "existing-py3.13t"
    assert figure.value == 6.0 and figure.samples == (5.0, 6.0, 7.0)  # measurements untouched


@pytest.mark.parametrize(("args", "message"), [
    (["--name", "3.x", "--python", sys.executable, "--machine", "m"], "not an interpreter name"),
    (["--name", "3.12", "--python", sys.executable, "--machine", "../m"], "plain folder name"),
    (["--name", "3.12"], "required"),
])
def test_bad_arguments_exit_two(args: list[str], message: str,
                                capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        ci.main(args)
    assert exited.value.code == 2 and message in capsys.readouterr().err


def test_an_interpreter_that_cannot_run_is_named(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "python"
    broken.write_text("#!/bin/sh\necho 'no such file' >&2\nexit 127\n")
    broken.chmod(0o755)
    assert ci.main(["--name", "3.12", "--python", str(broken), "--machine", "m",
                    "--out", str(tmp_path / "out")]) == 1
    assert "does not run: no such file" in capsys.readouterr().err


def test_pypy_is_named_as_asv_names_it(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    path = write_results(folder, {TASK_COST: {(1,): [5.0, 6.0]}}, python="3.10",
                         machine="gha-windows-2022-x64")
    data = json.loads(path.read_text())
    data["env_name"] = "existing-py_C_pypy_python.exe"
    path.unlink()
    (path.parent / "aaaaaaaa-existing-py_C_pypy_python.exe.json").write_text(json.dumps(data))
    (renamed,) = ci.name_existing_results(folder / "gha-windows-2022-x64", "pypy3.10")
    assert renamed.name == "aaaaaaaa-existing-pypy3.10.json"


class FakeDriver:
    """Stands in for asv: records the machine, measures nothing."""

    def __init__(self, config: Path, results_dir: Path) -> None:
        self.results_dir = results_dir

    def __enter__(self) -> FakeDriver:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def machine(self, details: dict[str, str]) -> SimpleNamespace:
        folder = self.results_dir / details["machine"]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "machine.json").write_text(json.dumps({**details, "version": 1}))
        return SimpleNamespace(returncode=0)


def test_the_host_cpu_goes_into_the_build_facts_and_the_figures_into_the_summary(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # issue 21, defect 3; 26
    out, summary = tmp_path / "out", tmp_path / "summary.md"
    monkeypatch.setattr(ci, "AsvDriver", FakeDriver)
    monkeypatch.setattr(ci, "build_facts", lambda python: {"version": "3.12.1"})
    monkeypatch.setattr(ci.machines, "cpu_model", lambda: "Example CPU @ 2.00GHz")

    def measure(driver: FakeDriver, args: object, bench: object) -> int:
        write_results(out, {TASK_COST: {(1_000,): [5.0, 6.0, 7.0]}}, python="3.12",
                      machine="gha-ubuntu-24.04-x64")
        return 0

    monkeypatch.setattr(ci, "measure_virtualenv", measure)
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert ci.main(["--name", "3.12", "--python", sys.executable, "--out", str(out),
                    "--machine", "gha-ubuntu-24.04-x64", "--quick", "--tryout"]) == 0
    machine_dir = out / "gha-ubuntu-24.04-x64"
    (record,) = [json.loads(line) for line in (machine_dir / "interpreters.jsonl")
                 .read_text().splitlines()]
    assert record["cpu"] == "Example CPU @ 2.00GHz" and record["python"] == "3.12"
    # issue 26: the runner's host is named in asv's cpu (a line of its own), and the run's
    # record beside the results holds its fingerprint and the interpreter's version.
    found = host.fingerprint()
    machine = json.loads((machine_dir / "machine.json").read_text())
    assert machine["cpu"] == host.host_label(found)
    [run] = runfacts.read(machine_dir / runfacts.RUNS_FILE).values()
    assert run["host"] == host.host_id(found) and run["versions"] == {"3.12": "3.12.1"}
    assert run["commit"] == ci.head_commit()
    text = summary.read_text()
    assert TRYOUT in text and f"| 3.12 | {TASK_COST.name} | count=1000 | 5.94 s (" in text, text


def test_a_summary_of_several_interpreters_gives_their_steps_in_the_engines_words(
        world: Path) -> None:
    from taskbench.jobs.summary import summary

    text = summary(world, "Measured", tryout=False)
    assert "3.12 → 3.13" in text and "1.30× faster (1.2" in text
    assert text.index("Which differences are real") < text.index("| interpreter | benchmark")
