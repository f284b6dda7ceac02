"""taskbench.jobs.merge checks every results file against itself and its name: its environment
name against its own interpreter and settings, its stored values against its own samples and
intervals, its lists against its parameter grid, its numbers as floats a run can produce
(not ``true``, not 10**400), its dates as times in the past, its commit hash as git's. Each
refusal is one line naming the file and the reason; the rest of the merge goes on.

Incoming files are real asv files (``write_results``), then edited as a broken tool or a hand
would; asv's own ``null`` start of a benchmark that did not run is kept.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

import pytest

from conftest import run_python, write_results
from taskbench.catalogue import TASK_COST, TEXTUAL_SHARE
from taskbench.jobs.merge import Report, merge

ROW = list(TASK_COST.combinations()).index((100_000,))
Edit = Callable[[dict[str, Any]], None]


def _figures(value: float) -> dict[Any, Any]:
    return {TASK_COST: {(100_000,): [value, value * 1.01, value * 0.99]}}


def _refused(report: Report, name: str) -> str:
    found = [reason for reason in report.refused if name in reason]
    assert len(found) == 1, report.refused
    return found[0]


def _cell(data: dict[str, Any], column: str) -> Any:
    return data["results"][TASK_COST.name][data["result_columns"].index(column)]


def _set(column: str, value: Any, item: int | None = None) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        if item is None:
            _cell(data, column)[ROW] = value
        else:
            _cell(data, column)[ROW][item] = value
    return edit


def _column(column: str, value: Any) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        data["results"][TASK_COST.name][data["result_columns"].index(column)] = value
    return edit


def _top(**changes: Any) -> Edit:
    return lambda data: data.update(changes)


def _edit(path: Path, *edits: Edit) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    for edit in edits:
        edit(data)
    path.write_text(json.dumps(data), encoding="utf-8")


@pytest.fixture
def places(tmp_path: Path) -> tuple[Path, Path]:
    incoming, results = tmp_path / "incoming", tmp_path / "results"
    incoming.mkdir()
    write_results(results, _figures(1e-5), python="3.12", date=10, started=2000)
    return incoming, results


def _merge_one_bad(places: tuple[Path, Path], *edits: Edit, python: str = "3.11") -> str:
    """Merge a damaged file beside a good one: the refusal of the damaged one."""
    incoming, results = places
    bad = write_results(incoming / "job", _figures(2e-5), python=python, date=20,
                        started=3000)
    _edit(bad, *edits)
    good = write_results(incoming / "job", _figures(2e-5), python="3.13", date=20,
                         started=3000)
    report = merge([incoming], results)
    assert report.added == [f"box/{good.name}"]
    assert not (results / "box" / bad.name).exists()
    refusal = _refused(report, bad.name)
    assert "\n" not in refusal and refusal.endswith("left out")
    return refusal


# --- numbers a run can produce ----------------------------------------------------------------

@pytest.mark.parametrize(("edit", "reason"), [
    (_set("result", 10 ** 400), "the value is an integer of about 401 digits, not a finite"),
    (_set("samples", 10 ** 400, item=0), "a sample is an integer of about 401 digits"),
    (_set("stats_ci_99_b", 10 ** 400), "its ci_99_b is an integer of about 401 digits"),
    (_top(date=10 ** 400), "its commit date an integer of about 401 digits is not a time"),
    (_column("started_at", 10 ** 400), "started at an integer of about 401 digits ms, in the"),
    (_set("result", True), "the value is True, not a finite number"),
    (_set("samples", True, item=1), "a sample is True, not a finite number"),
    (_top(date=float("nan")), "its commit date nan is not a time"),
    (_top(date=0), "its commit date 0 is not a time"),
    (_top(date=True), "its commit date True is not a time"),
    (_column("started_at", 0), "started at 0, not a time"),
    (_column("started_at", -1), "started at -1, not a time"),
    (_column("started_at", True), "started at True, not a time"),
    (_column("started_at", 2.5e12), "started at 2500000000000.0, not a time"),
    (_column("duration", -35.0), "took -35.0 seconds, which no run can take"),
    (_column("duration", 10 ** 400), "took an integer of about 401 digits seconds"),
    (_top(durations={"<build>": float("inf")}), "<build> took inf seconds"),
    (_top(durations=[1.0]), "cannot be read (TypeError"),
    (_top(date=20.5), "its commit date 20.5 is not a time"),
    (_set("stats_number", 0), "its number is 0, not a count of runs"),
    (_set("stats_repeat", -3), "its repeat is -3, not a count of runs"),
    (_column("version", 5), "its version 5 is not text"),
], ids=["huge-value", "huge-sample", "huge-interval", "huge-date", "huge-start", "true-value",
        "true-sample", "nan-date", "zero-date", "true-date", "zero-start", "negative-start",
        "true-start", "float-start", "negative-duration", "huge-duration", "infinite-build",
        "durations-list", "float-date", "no-calls", "negative-samples", "version-number"])
def test_a_number_no_run_can_produce_is_refused_in_one_line(
        places: tuple[Path, Path], edit: Edit, reason: str) -> None:
    assert reason in _merge_one_bad(places, edit)


def test_a_benchmark_that_did_not_run_keeps_its_null_start(places: tuple[Path, Path]) -> None:
    """asv writes ``null`` for a benchmark that never started: the file is valid."""
    incoming, results = places
    source = write_results(incoming / "job", {**_figures(2e-5), TEXTUAL_SHARE: {}},
                           python="3.13", started=3000)
    data = json.loads(source.read_text())
    started = data["result_columns"].index("started_at")
    data["results"][TEXTUAL_SHARE.name][started] = None
    source.write_text(json.dumps(data))

    report = merge([incoming], results)

    assert report.refused == []
    assert report.added == [f"box/{source.name}"]


def test_a_huge_number_ends_in_a_refusal_and_status_2_not_a_traceback(
        places: tuple[Path, Path]) -> None:
    incoming, results = places
    bad = write_results(incoming / "job", _figures(2e-5), python="3.11", started=3000)
    _edit(bad, _set("result", 10 ** 400))

    child = run_python("-m", "taskbench.jobs.merge", str(incoming), str(results),
                       env={"GITHUB_ACTIONS": "false"})

    assert child.returncode == 2, child.stderr
    assert "Traceback" not in child.stderr + child.stdout
    refusals = [line for line in child.stdout.splitlines() if line.startswith("  refused: ")]
    assert len(refusals) == 1 and bad.name in refusals[0]


# --- the file against its own name ------------------------------------------------------------

@pytest.mark.parametrize(("edit", "python", "reason"), [
    (_top(params={"machine": "box", "os": "TestOS 1", "ram": "1GB", "python": "3.12"},
          python="3.12"), "3.13",
     "its environment is named 'virtualenv-py3.13', but python 3.12 is 'virtualenv-py3.12'"),
    (_top(python="3.12"), "3.13", "its python '3.12' is not its params' '3.13'"),
    (_top(env_vars={"PYTHON_JIT": "1"}), "3.13",
     "but python 3.13 PYTHON_JIT=1 is 'virtualenv-py3.13-PYTHON_JIT1'"),
    (_top(params={"machine": "box", "os": "TestOS 1", "ram": "1GB"}), "3.13",
     "its params name no python"),
], ids=["other-python", "python-disagrees", "settings-not-in-name", "no-python"])
def test_an_environment_name_that_is_not_its_interpreters_is_refused(
        places: tuple[Path, Path], edit: Edit, python: str, reason: str) -> None:
    incoming, results = places
    bad = write_results(incoming / "job", _figures(2e-5), python=python, started=3000)
    _edit(bad, edit)
    before = (results / "box" / f"{'a' * 8}-virtualenv-py3.12.json").read_bytes()

    report = merge([incoming], results)

    assert reason in _refused(report, bad.name)
    assert report.added == report.replaced == []
    assert (results / "box" / f"{'a' * 8}-virtualenv-py3.12.json").read_bytes() == before


def test_environments_named_as_asv_names_them_are_accepted(places: tuple[Path, Path]) -> None:
    """PyPy's name drops asv's "py" (virtualenv-pypy3.9); a matrix setting joins the name."""
    incoming, results = places
    pypy = write_results(incoming / "job", _figures(2e-5), python="pypy3.9", started=3000)
    _edit(pypy, _top(env_name="virtualenv-pypy3.9"))
    pypy.rename(pypy.with_name(f"{'a' * 8}-virtualenv-pypy3.9.json"))
    jit = write_results(incoming / "job", _figures(2e-5), python="3.14-debian",
                        env_vars={"PYTHON_JIT": "1"}, started=3000)

    report = merge([incoming], results)

    assert report.refused == []
    assert sorted(report.added) == sorted([f"box/{'a' * 8}-virtualenv-pypy3.9.json",
                                           f"box/{jit.name}"])


def test_a_commit_hash_in_capitals_is_refused(places: tuple[Path, Path]) -> None:
    """``0BCF81ED-…`` and ``0bcf81ed-…`` are one file on macOS and Windows."""
    incoming, results = places
    upper = write_results(incoming / "job", _figures(2e-5), python="3.12", commit="A" * 40,
                          date=20, started=3000)

    report = merge([incoming], results)

    assert f"its commit hash {'A' * 40!r} is not git's" in _refused(report, upper.name)
    assert sorted(p.name for p in (results / "box").iterdir()) == [
        f"{'a' * 8}-virtualenv-py3.12.json", "machine.json"]


# --- the file against itself ------------------------------------------------------------------

@pytest.mark.parametrize(("edit", "reason"), [
    (_set("result", 2e-4), "the value 0.0002 is not the median of its own 3 samples"),
    (lambda data: (_set("stats_ci_99_a", 2.1e-5)(data), _set("stats_ci_99_b", 2.5e-5)(data)),
     "the value 2e-05 lies outside its own 99% interval (2.1e-05 to 2.5e-05)"),
    (lambda data: (_set("stats_ci_99_a", 1.5e-5)(data), _set("stats_ci_99_b", 1.9e-5)(data)),
     "the value 2e-05 lies outside its own 99% interval (1.5e-05 to 1.9e-05)"),
    (lambda data: (_set("stats_ci_99_a", 3e-5)(data), _set("stats_ci_99_b", 1e-5)(data)),
     "its 99% interval runs backwards"),
    (lambda data: _cell(data, "result").pop(), "its result holds 5 entries for 6 combinations"),
    (lambda data: _cell(data, "samples").pop(0), "its samples holds 5 entries for 6"),
    (lambda data: _cell(data, "stats_ci_99_a").append(1.0), "its stats_ci_99_a holds 7"),
    (_column("params", [["100", "1000"], "x"]), "its parameters [['100', '1000'], 'x'] are not"),
], ids=["value-10x-its-samples", "below-its-interval", "above-its-interval",
        "backwards-interval", "short-result", "short-samples", "long-interval", "bad-grid"])
def test_a_file_that_contradicts_itself_is_refused(places: tuple[Path, Path], edit: Edit,
                                                   reason: str) -> None:
    assert reason in _merge_one_bad(places, edit)


def test_asv_rounding_of_an_interval_is_not_a_contradiction(places: tuple[Path, Path]) -> None:
    """asv stores its statistics to five significant digits: a median at the edge of its
    interval may lie a rounding outside it."""
    incoming, results = places
    source = write_results(incoming / "job", _figures(1.9999987e-5), python="3.13",
                           started=3000)
    data = json.loads(source.read_text())
    assert _cell(data, "result")[ROW] == 1.9999987e-5
    _cell(data, "stats_ci_99_a")[ROW] = 2.0e-5  # the median's own bound, rounded up
    source.write_text(json.dumps(data))

    report = merge([incoming], results)

    assert report.refused == [] and report.added == [f"box/{source.name}"]
