"""Each run's record beside its results: which host it had and its interpreters' versions,
one record per commit and host, merged without losing a job's interpreter, refused by line
when it cannot be read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import write_results
from taskbench import host, runfacts
from taskbench.catalogue import TASK_COST
from taskbench.jobs.merge import merge
from taskbench.runfacts import RunFactsError, merged, parse, read_all, record, render

EPYC = {"cpu_model": "AMD EPYC", "family": "25", "model": "17", "features": ["avx2"]}
XEON = {"cpu_model": "Intel Xeon", "family": "6", "model": "106", "features": ["avx2"]}


def _at(found: dict[str, Any], moment: str) -> dict[str, Any]:
    return {**found, "recorded_at": moment}


def test_a_record_names_its_host_by_the_fingerprint_and_keeps_it() -> None:
    made = record("c" * 40, EPYC, {"3.15-debian": "3.15.2"})
    assert made["host"] == host.host_id(EPYC) and made["fingerprint"] == EPYC
    assert made["versions"] == {"3.15-debian": "3.15.2"} and "recorded_at" in made
    assert parse(render({runfacts.key(made): made}), "x") == {("c" * 40, made["host"]): made}


def test_one_record_per_commit_and_host_with_every_interpreters_newest_version() -> None:
    first_job = _at(record("a", EPYC, {"3.12": "3.12.1"}), "2026-01-01T00:00:00+00:00")
    second_job = _at(record("a", EPYC, {"3.13": "3.13.0"}), "2026-01-01T00:05:00+00:00")
    rerun = _at(record("a", EPYC, {"3.12": "3.12.2"}), "2026-01-02T00:00:00+00:00")
    other_host = _at(record("a", XEON, {"3.12": "3.12.1"}), "2026-01-01T00:00:00+00:00")
    found = merged({}, [second_job, rerun, first_job, other_host])
    assert len(found) == 2
    same = found[("a", host.host_id(EPYC))]
    assert same["versions"] == {"3.12": "3.12.2", "3.13": "3.13.0"}
    assert same["recorded_at"] == rerun["recorded_at"]
    assert found[("a", host.host_id(XEON))]["versions"] == {"3.12": "3.12.1"}


@pytest.mark.parametrize(("line", "problem"), [
    ("[1, 2]", "not a JSON object"),
    ('{"host": "h1", "recorded_at": "2026-01-01T00:00:00"}', "no 'commit'"),
    ('{"commit": "a", "host": "h1", "recorded_at": "2026-01-01T00:00:00", '
     '"versions": {"3.12": 3}}', "'versions' must map"),
    ('{"commit": "a", "host": "h1", "recorded_at": "zzzz"}', "not an ISO 8601 time"),
    ('{"commit": "a", "host": "h1", "recorded_at": "3000-01-01T00:00:00"}', "in the future"),
    ('{"commit": "a", "host": "h1"', "not JSON"),
])
def test_a_bad_line_is_named_with_its_problem(line: str, problem: str) -> None:
    good = json.dumps(_at(record("b", EPYC, {}), "2026-01-01T00:00:00+00:00"))
    with pytest.raises(RunFactsError, match="runs.jsonl, line 2: ") as error:
        parse(f"{good}\n{line}\n", "runs.jsonl")
    assert problem in str(error.value)


def test_every_machines_records_are_read_and_an_unreadable_file_is_named(tmp_path: Path
                                                                          ) -> None:
    (tmp_path / "box").mkdir()
    (tmp_path / "broken").mkdir()
    runfacts.update(tmp_path / "box" / runfacts.RUNS_FILE, [record("a", EPYC, {})])
    (tmp_path / "broken" / runfacts.RUNS_FILE).write_text("{\n")
    by_machine, problems = read_all(tmp_path)
    assert [r["commit"] for r in by_machine["box"]] == ["a"] and "broken" not in by_machine
    assert len(problems) == 1 and "broken/runs.jsonl, line 1" in problems[0]


def test_the_merge_brings_run_records_in_and_refuses_a_corrupt_file_by_name(
        tmp_path: Path) -> None:
    incoming, results = tmp_path / "incoming", tmp_path / "results"
    figures = {TASK_COST: {(100_000,): [1e5, 1.01e5, 0.99e5]}}
    write_results(results, figures, python="3.12", started=2000)
    committed = _at(record("a" * 40, EPYC, {"3.12": "3.12.1"}), "2026-01-01T00:00:00+00:00")
    runfacts.update(results / "box" / runfacts.RUNS_FILE, [committed])
    first = write_results(incoming / "job-1", figures, python="3.13", started=3000)
    job = _at(record("a" * 40, EPYC, {"3.13": "3.13.0"}), "2026-01-01T00:10:00+00:00")
    runfacts.update(first.parent / runfacts.RUNS_FILE, [job])
    second = write_results(incoming / "job-2", figures, python="3.14", started=3000)
    (second.parent / runfacts.RUNS_FILE).write_text("not json\n")

    report = merge([incoming / "job-1", incoming / "job-2"], results)

    [refused] = [reason for reason in report.refused if runfacts.RUNS_FILE in reason]
    assert "line 1" in refused and "unknown host" in refused
    [landed] = runfacts.read(results / "box" / runfacts.RUNS_FILE).values()
    assert landed["versions"] == {"3.12": "3.12.1", "3.13": "3.13.0"}
