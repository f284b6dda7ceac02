"""taskbench.jobs.merge checks every number before it is merged: values no run can produce
(a negative rate, a NaN interval, a commit dated in the year 3000, a build record dated
"zzzz") are refused by name with the reason, and the rest of the merge goes on.

Incoming files are real asv files (``write_results``), then edited the way a broken tool or a
hand would; asv's own NaN ("n/a") and a zero where the unit allows it are kept.
"""

from __future__ import annotations

import datetime
import json
import os
from pathlib import Path
from typing import Any, Callable

import pytest

from conftest import write_results
from taskbench.catalogue import REPLICA_FAULTS, THROUGHPUT
from taskbench.jobs.merge import Report, merge

ROW = list(THROUGHPUT.combinations()).index((100_000,))  # the one figure _figures gives
YEAR_3000 = int(datetime.datetime(3000, 1, 1, tzinfo=datetime.timezone.utc).timestamp() * 1000)


def _figures(value: float) -> dict[Any, Any]:
    return {THROUGHPUT: {(100_000,): [value, value * 1.01, value * 0.99]}}


def _refused(report: Report, name: str) -> str:
    found = [reason for reason in report.refused if name in reason]
    assert len(found) == 1, report.refused
    return found[0]


def _column(name: str, row: int = ROW, item: int | None = None,
            value: Any = None) -> Callable[[dict[str, Any]], None]:
    """An edit setting column ``name`` of THROUGHPUT's row to ``value`` (at ``item``)."""
    def edit(data: dict[str, Any]) -> None:
        columns = data["result_columns"]
        cell = data["results"][THROUGHPUT.name][columns.index(name)]
        if item is None:
            cell[row] = value
        else:
            cell[row][item] = value
    return edit


def _top(**changes: Any) -> Callable[[dict[str, Any]], None]:
    return lambda data: data.update(changes)


def _started(value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        data["results"][THROUGHPUT.name][data["result_columns"].index("started_at")] = value
    return edit


def _edit(path: Path, edit: Callable[[dict[str, Any]], None]) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(json.dumps(data), encoding="utf-8")  # NaN and Infinity as asv reads them


@pytest.fixture
def places(tmp_path: Path) -> tuple[Path, Path]:
    incoming, results = tmp_path / "incoming", tmp_path / "results"
    incoming.mkdir()
    write_results(results, _figures(1e5), python="3.12", date=10, started=2000)
    return incoming, results


@pytest.mark.parametrize(("edit", "reason"), [
    (_column("result", value=-200_000.0), "the value is -200000.0 tasks/s"),
    (_column("result", value=0.0), "the value is 0.0 tasks/s"),
    (_column("result", value=float("inf")), "the value is inf, not a finite number"),
    (_column("samples", item=1, value=-5.0), "a sample is -5.0 tasks/s"),
    (_column("samples", item=0, value=float("nan")), "a sample is nan, not a finite number"),
    (_column("stats_ci_99_a", value=float("nan")), "its ci_99_a is nan, not a finite number"),
    (_column("stats_ci_99_b", value=float("inf")), "its ci_99_b is inf, not a finite number"),
    (_column("stats_ci_99_a", value=float("inf")), "its ci_99_a is inf, not a finite number"),
    (_column("stats_q_25", value=float("-inf")), "its q_25 is -inf, not a finite number"),
    (_top(date=YEAR_3000), "its commit is dated 3000-01-01T00:00:00+00:00, in the future"),
    (_started(YEAR_3000), "started at 3000-01-01T00:00:00+00:00, in the future"),
    (_started("noon"), "started at 'noon', not a time"),
    (_top(date=-5), "its commit date -5 is not a time"),
], ids=["negative-rate", "zero-rate", "infinite-rate", "negative-sample", "nan-sample",
        "nan-interval", "infinite-interval", "upside-down-interval", "infinite-quartile",
        "commit-in-3000", "started-in-3000", "started-text", "negative-date"])
def test_a_value_no_run_can_produce_is_refused_by_name_and_the_rest_merged(
        places: tuple[Path, Path], edit: Callable[[dict[str, Any]], None], reason: str) -> None:
    incoming, results = places
    bad = write_results(incoming / "job", _figures(2e5), python="3.11", date=20, started=3000)
    _edit(bad, edit)
    good = write_results(incoming / "job", _figures(2e5), python="3.13", date=20, started=3000)

    report = merge([incoming], results)

    refusal = _refused(report, bad.name)
    assert reason in refusal and refusal.endswith("left out")
    assert not (results / "box" / bad.name).exists()
    assert report.added == [f"box/{good.name}"]


def test_the_committed_file_stays_when_a_newer_copy_holds_a_negative_rate(
        places: tuple[Path, Path]) -> None:
    incoming, results = places
    committed = (results / "box" / f"{'a' * 8}-virtualenv-py3.12.json").read_bytes()
    bad = write_results(incoming / "job", _figures(2e5), python="3.12", date=20, started=9000)
    _edit(bad, _column("result", value=-1.0))

    report = merge([incoming], results)

    assert "the value is -1.0 tasks/s" in _refused(report, bad.name)
    assert report.replaced == report.added == []
    assert (results / "box" / bad.name).read_bytes() == committed


def test_what_asv_itself_writes_is_kept(places: tuple[Path, Path]) -> None:
    """asv's NaN is "n/a"; faults per task may be 0; asv's interval of a spread-out rate may
    reach below 0 (its posterior, not the samples); of a single sample it is (-inf, inf)."""
    incoming, results = places
    source = write_results(incoming / "job", {
        THROUGHPUT: {(100_000,): [5e4, 1e3, 9e4], (200_000,): None, (300_000,): [7e4]},
        REPLICA_FAULTS: {(100_000,): 0.0}}, python="3.13", started=3000)
    _edit(source, _column("stats_ci_99_a", value=-1234.5))
    single = list(THROUGHPUT.combinations()).index((300_000,))
    data = json.loads(source.read_text())
    row = data["results"][THROUGHPUT.name]
    columns = data["result_columns"]
    assert (row[columns.index("stats_ci_99_a")][single],
            row[columns.index("stats_ci_99_b")][single]) == (float("-inf"), float("inf"))

    report = merge([incoming], results)

    assert report.refused == []
    assert report.added == [f"box/{source.name}"]


@pytest.mark.parametrize("env_name", ["../evil", "x/../../evil"])
def test_an_environment_name_with_a_path_is_compared_whole(
        places: tuple[Path, Path], env_name: str) -> None:
    """asv files results as ``<machine>/<commit>-<env>.json``: an env of ``../evil`` names a
    file outside the machine's folder, whose last part alone ("evil.json") looked right."""
    incoming, results = places
    source = write_results(incoming / "job", _figures(2e5), python="3.13", started=3000)
    _edit(source, _top(env_name=env_name))
    posing = source.with_name("evil.json")
    source.rename(posing)

    report = merge([incoming], results)

    assert "results under another name" in _refused(report, "evil.json")
    assert not (results / "box" / "evil.json").exists()
    assert report.added == report.replaced == []


def test_a_lone_machine_json_is_not_added_when_all_its_results_were_refused(
        places: tuple[Path, Path]) -> None:
    incoming, results = places
    bad = write_results(incoming / "job", _figures(2e5), machine="fresh", python="3.13")
    _edit(bad, _column("result", value=-3.0))
    (bad.parent / "interpreters.jsonl").write_text(
        json.dumps({"python": "3.13", "recorded_at": "2025-01-01T00:00:00+00:00"}) + "\n")

    report = merge([incoming], results)

    assert not (results / "fresh").exists()
    assert report.added == report.replaced == []
    lone = _refused(report, "fresh: none of its results")
    assert "interpreters.jsonl and machine.json are not added" in lone


def test_a_machine_json_of_a_known_machine_is_never_needed_again(
        places: tuple[Path, Path]) -> None:
    """Build facts alone may update a machine results/ already has."""
    incoming, results = places
    (incoming / "job" / "box").mkdir(parents=True)
    (incoming / "job" / "box" / "machine.json").write_text(json.dumps({"machine": "box"}))
    (incoming / "job" / "box" / "interpreters.jsonl").write_text(
        json.dumps({"python": "3.12", "recorded_at": "2025-01-01T00:00:00+00:00"}) + "\n")

    report = merge([incoming], results)

    assert report.refused == [] and report.added == ["box/interpreters.jsonl"]


# --- build facts -----------------------------------------------------------------------------

def _facts(*records: dict[str, str]) -> str:
    return "".join(json.dumps(record) + "\n" for record in records)


COMMITTED = {"python": "3.12", "version": "3.12.9", "recorded_at": "2025-06-01T00:00:00+00:00"}


@pytest.mark.parametrize(("recorded_at", "reason"), [
    ("zzzz", "'zzzz' is not an ISO 8601 time"),
    ("3000-01-01T00:00:00+00:00", "is in the future"),
    (20250601, "20250601 is not an ISO 8601 time"),
], ids=["text", "year-3000", "a-number"])
def test_a_build_record_with_an_impossible_time_is_refused(
        places: tuple[Path, Path], recorded_at: object, reason: str) -> None:
    incoming, results = places
    facts_file = results / "box" / "interpreters.jsonl"
    facts_file.write_text(_facts(COMMITTED))
    source = write_results(incoming / "job", _figures(2e5), python="3.13", started=3000)
    (source.parent / "interpreters.jsonl").write_text(_facts(
        {"python": "3.13", "recorded_at": "2025-07-01T00:00:00+00:00"},
        {"python": "3.12", "version": "3.12.1", "recorded_at": recorded_at}))  # type: ignore

    report = merge([incoming], results)

    refusal = _refused(report, "interpreters.jsonl")
    assert "line 2: recorded_at" in refusal and reason in refusal
    assert facts_file.read_text() == _facts(COMMITTED)
    assert report.added == [f"box/{source.name}"]


def test_build_records_are_ordered_by_time_not_by_text(places: tuple[Path, Path]) -> None:
    """01:00 UTC is after 02:00 at +02:00 (midnight UTC), though it sorts before it as text."""
    incoming, results = places
    facts_file = results / "box" / "interpreters.jsonl"
    facts_file.write_text(_facts({**COMMITTED, "recorded_at": "2025-06-01T02:00:00+02:00"}))
    (incoming / "job" / "box").mkdir(parents=True)
    (incoming / "job" / "box" / "machine.json").write_text(json.dumps({"machine": "box"}))
    newer = {"python": "3.12", "version": "3.12.10", "recorded_at": "2025-06-01T01:00:00+00:00"}
    (incoming / "job" / "box" / "interpreters.jsonl").write_text(_facts(newer))

    report = merge([incoming], results)

    assert report.replaced == ["box/interpreters.jsonl"]
    assert json.loads(facts_file.read_text())["version"] == "3.12.10"


def test_the_fix_is_named_after_the_refusals(places: tuple[Path, Path]) -> None:
    incoming, results = places
    bad = write_results(incoming / "job", _figures(2e5), python="3.11", started=3000)
    _edit(bad, _column("result", value=-1.0))

    lines = merge([incoming], results).lines()

    assert any("make bench" in line and "merge again" in line for line in lines)
    assert sorted(os.listdir(results / "box")) == sorted(
        ["machine.json", f"{'a' * 8}-virtualenv-py3.12.json"])
