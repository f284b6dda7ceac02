from __future__ import annotations

import json
from pathlib import Path

from taskbench.cibench import environment_spec
from taskbench.merge import merge


def _job(incoming: Path, job: str, machine: str, files: dict[str, str]) -> None:
    folder = incoming / job / machine
    folder.mkdir(parents=True)
    (folder / "machine.json").write_text(json.dumps({"machine": machine, "version": 1}))
    for name, text in files.items():
        (folder / name).write_text(text)
    (incoming / job / "benchmarks.json").write_text('{"version": 2}')


def test_jobs_merge_per_machine_and_a_corrupt_file_is_named(tmp_path: Path) -> None:
    incoming, results = tmp_path / "incoming", tmp_path / "results"
    (results / "laptop").mkdir(parents=True)
    (results / "laptop" / "abc-virtualenv-py3.8.json").write_text('{"kept": true}')
    _job(incoming, "results-ubuntu-3.12", "gha-ubuntu", {
        "abc-virtualenv-py3.12.json": '{"a": 1}',
        "interpreters.jsonl": '{"python": "3.12", "version": "3.12.9"}\n'})
    _job(incoming, "results-ubuntu-3.13t", "gha-ubuntu", {
        "abc-virtualenv-py3.13t.json": '{"a": ',
        "interpreters.jsonl": '{"python": "3.13t", "version": "3.13.5"}\n'})
    _job(incoming, "results-macos-3.12", "gha-macos", {"abc-virtualenv-py3.12.json": "{}"})

    problems = merge(incoming, results)

    assert len(problems) == 1 and "abc-virtualenv-py3.13t.json is not valid JSON" in problems[0]
    assert sorted(p.name for p in (results / "gha-ubuntu").iterdir()) == [
        "abc-virtualenv-py3.12.json", "interpreters.jsonl", "machine.json"]
    facts = (results / "gha-ubuntu" / "interpreters.jsonl").read_text().splitlines()
    assert [json.loads(line)["python"] for line in facts] == ["3.12", "3.13t"]
    assert (results / "gha-macos" / "abc-virtualenv-py3.12.json").exists()
    assert (results / "laptop" / "abc-virtualenv-py3.8.json").read_text() == '{"kept": true}'
    assert json.loads((results / "benchmarks.json").read_text()) == {"version": 2}


def test_windows_runs_the_interpreter_as_an_existing_environment() -> None:
    assert environment_spec("3.13t", Path("/x/python3.13t"), "linux") == "virtualenv:3.13t"
    assert environment_spec("3.12", Path("C:/py/python.exe"), "win32") == (
        "existing:C:/py/python.exe")
