"""The merge's one rule, for results files, benchmark descriptions, build facts and the block
log alike: a committed record is replaced only by one that is strictly newer and at least as
complete; anything else is kept, and the merge says what it kept and why. Names that differ
only by case, folders where files belong, and logs of runs whose results did not land are
refused, one line each.

Every scene starts from committed files a real run would write (asv's own ``Results``, the
catalogue's descriptions), then brings an incoming copy of the kind a probe found harmful.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from conftest import run_python, write_benchmarks_json, write_results
from taskbench import runfacts
from taskbench.catalogue import FIRST_CYCLE, TASK_COST, WITHOUT_GC
from taskbench.jobs.merge import Report, merge

NAME = "aaaaaaaa-virtualenv-py{}.json"
YEAR_3000 = 32503680000000  # 3000-01-01, in asv's milliseconds


def _samples(value: float) -> list[float]:
    return [value, value * 1.01, value * 0.99]


def _full(value: float) -> dict[Any, Any]:
    """A complete run: every figure of three benchmarks."""
    return {entry: {combo: _samples(value) for combo in entry.combinations()}
            for entry in (TASK_COST, FIRST_CYCLE, WITHOUT_GC)}


def _refused(report: Report, name: str) -> str:
    found = [reason for reason in report.refused if name in reason]
    assert len(found) == 1, report.refused
    assert "\n" not in found[0]
    return found[0]


def _kept(report: Report, name: str) -> str:
    found = [reason for reason in report.kept if name in reason]
    assert len(found) == 1, report.kept
    return found[0]


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() if path.is_file() else b"/"
            for path in sorted(folder.rglob("*"))}


def _lines(*records: dict[str, Any]) -> str:
    return "".join(json.dumps(record) + "\n" for record in records)


def _machine_folder(folder: Path, machine: str = "box") -> Path:
    (folder / machine).mkdir(parents=True, exist_ok=True)
    (folder / machine / "machine.json").write_text(json.dumps({"machine": machine}))
    return folder / machine


@pytest.fixture
def committed(tmp_path: Path) -> tuple[Path, Path]:
    """results/ with a complete 3.13 run, the catalogue's descriptions, and an incoming
    folder."""
    incoming, results = tmp_path / "incoming", tmp_path / "results"
    incoming.mkdir()
    write_results(results, _full(1e-5), python="3.13", date=10, started=2000)
    write_benchmarks_json(results)
    return incoming, results


# --- 1. benchmarks.json: per benchmark, by version, never whole -------------------------------

def test_a_description_that_is_not_asvs_is_refused_and_the_committed_one_stays(
        committed: tuple[Path, Path]) -> None:
    incoming, results = committed
    before = json.loads((results / "benchmarks.json").read_text())
    (incoming / "job").mkdir()
    (incoming / "job" / "benchmarks.json").write_text(json.dumps(
        {"version": 2, FIRST_CYCLE.name: "oops"}))

    report = merge([incoming], results)

    assert json.loads((results / "benchmarks.json").read_text()) == before
    assert f"{FIRST_CYCLE.name}'s description is 'oops', not asv's" in _refused(
        report, "benchmarks.json")


def test_an_old_branchs_descriptions_never_replace_the_catalogues(
        committed: tuple[Path, Path]) -> None:
    incoming, results = committed
    before = json.loads((results / "benchmarks.json").read_text())
    old = {**before[TASK_COST.name], "version": "task-cost-0", "code": "old"}
    (incoming / "job").mkdir()
    (incoming / "job" / "benchmarks.json").write_text(json.dumps(
        {"version": 2, TASK_COST.name: old, "bench_x.Retired.track_x": {"code": "new"}}))

    report = merge([incoming], results)

    after = json.loads((results / "benchmarks.json").read_text())
    assert after[TASK_COST.name] == before[TASK_COST.name]
    assert after["bench_x.Retired.track_x"] == {"code": "new"}  # absent before: added
    assert "version 'task-cost-0'" in _kept(report, f"description of {TASK_COST.name}")
    assert report.refused == []


def test_the_catalogues_description_replaces_an_older_one(committed: tuple[Path, Path]) -> None:
    incoming, results = committed
    current = json.loads((results / "benchmarks.json").read_text())
    stale = {**current, TASK_COST.name: {**current[TASK_COST.name], "version": "task-cost-0"}}
    (results / "benchmarks.json").write_text(json.dumps(stale))
    (incoming / "job").mkdir()
    (incoming / "job" / "benchmarks.json").write_text(json.dumps(current))

    report = merge([incoming], results)

    assert json.loads((results / "benchmarks.json").read_text()) == current
    assert report.refused == report.kept == []


# --- 2. a newer results file must be as complete ------------------------------------------------

def test_a_newer_run_with_fewer_figures_does_not_replace_a_complete_one(
        committed: tuple[Path, Path]) -> None:
    incoming, results = committed
    before = _tree(results)
    write_results(incoming / "job", {WITHOUT_GC: {(1000,): _samples(5e-6),
                                                  (100_000,): _samples(5e-6)}},
                  python="3.13", date=10, started=9000)

    report = merge([incoming], results)

    kept = _kept(report, NAME.format("3.13"))
    assert "the incoming run is newer but lacks 8 of its figures" in kept
    assert f"{TASK_COST.name}(1)" in kept
    assert report.replaced == report.added == []
    assert _tree(results) == before


def test_a_newer_run_without_the_samples_the_committed_one_kept_does_not_replace_it(
        committed: tuple[Path, Path]) -> None:
    incoming, results = committed
    before = _tree(results)
    source = write_results(incoming / "job", _full(2e-5), python="3.13", date=10,
                           started=9000)
    data = json.loads(source.read_text())
    row = data["results"][TASK_COST.name]
    row[data["result_columns"].index("samples")] = None  # the values alone
    for column in ("stats_ci_99_a", "stats_ci_99_b", "stats_q_25", "stats_q_75"):
        row[data["result_columns"].index(column)] = None
    source.write_text(json.dumps(data))

    report = merge([incoming], results)

    assert "lacks 6 of its figures (or their samples)" in _kept(report, source.name)
    assert _tree(results) == before


def test_a_newer_run_lacking_only_a_figure_the_catalogue_dropped_replaces(
        committed: tuple[Path, Path]) -> None:
    incoming, results = committed
    committed_file = results / "box" / NAME.format("3.13")
    data = json.loads(committed_file.read_text())
    data["results"]["bench_x.Retired.track_seconds"] = data["results"][WITHOUT_GC.name]
    committed_file.write_text(json.dumps(data))
    source = write_results(incoming / "job", _full(2e-5), python="3.13", date=10,
                           started=9000)

    report = merge([incoming], results)

    assert report.replaced == [f"box/{NAME.format('3.13')}"], report.kept
    assert committed_file.read_bytes() == source.read_bytes()


# --- 3. logs: strictly newer, and as complete ---------------------------------------------------

FACT = {"python": "3.13", "version": "3.13.0", "optimisation": "-O3",
        "recorded_at": "2025-06-01T00:00:00+00:00"}


@pytest.mark.parametrize(("incoming_record", "reason"), [
    ({**FACT, "version": "3.13.99", "optimisation": "-O0"},
     "the committed record is as new or newer"),
    ({"python": "3.13", "version": "3.13.99", "recorded_at": "2025-07-01T00:00:00+00:00"},
     "the newer record lacks optimisation"),
], ids=["same-time", "newer-but-poorer"])
def test_a_build_record_not_newer_and_as_complete_is_kept_out(
        committed: tuple[Path, Path], incoming_record: dict[str, Any], reason: str) -> None:
    incoming, results = committed
    (results / "box" / "interpreters.jsonl").write_text(_lines(FACT))
    (_machine_folder(incoming / "job") / "interpreters.jsonl").write_text(
        _lines(incoming_record))

    report = merge([incoming], results)

    assert (results / "box" / "interpreters.jsonl").read_text() == _lines(FACT)
    assert f"3.13 ({reason})" in _kept(report, "interpreters.jsonl")


def _block_record(results_file: Path, **changes: Any) -> dict[str, Any]:
    data = json.loads(results_file.read_text())
    started = data["results"][TASK_COST.name][data["result_columns"].index("started_at")]
    return {"commit": data["commit_hash"], "env_name": data["env_name"], "run": started,
            "figures": {f"{TASK_COST.name}(100000)": [0, 1, 2]}, **changes}


def test_a_block_record_of_the_same_run_never_replaces_the_committed_one(
        committed: tuple[Path, Path]) -> None:
    incoming, results = committed
    mine = _block_record(results / "box" / NAME.format("3.13"))
    (results / "box" / "blocks.jsonl").write_text(_lines(mine))
    other = {**mine, "figures": {f"{TASK_COST.name}(100000)": [2, 1, 0]}}
    (_machine_folder(incoming / "job") / "blocks.jsonl").write_text(_lines(other))

    report = merge([incoming], results)

    assert (results / "box" / "blocks.jsonl").read_text() == _lines(mine)
    assert "virtualenv-py3.13 at aaaaaaaa (the committed record is of the same run" in _kept(
        report, "blocks.jsonl")


# --- 4. the block log holds only what a run can write -----------------------------------------

@pytest.mark.parametrize(("change", "reason"), [
    ({"run": YEAR_3000}, "run 3000-01-01T00:00:00+00:00, in the future"),
    ({"run": 0}, "run 0, not a time"),
    ({"run": True}, "run True, not a time"),
    ({"run": 10 ** 400}, "run an integer of about 401 digits ms, in the future"),
    ({"commit": "A" * 40}, "is not git's (lowercase hex)"),
    ({"env_name": "../x"}, "environment '../x' is not a plain name"),
    ({"blocks": [{"order": ["virtualenv-py3.13"], "minutes": -5}]},
     "block 1 took -5 minutes, which no block can take"),
    ({"blocks": [{"order": ["virtualenv-py3.13"], "minutes": 0}]}, "block 1 took 0 minutes"),
    ({"blocks": [{"order": ["virtualenv-py3.13"], "minutes": 10 ** 400}]},
     "block 1 took an integer of about 401 digits minutes"),
    ({"blocks": [{"order": "virtualenv-py3.13", "minutes": 3.0}]},
     "block 1's order 'virtualenv-py3.13' is not a list of environments"),
], ids=["year-3000", "epoch", "true", "huge", "capitals", "path", "negative-minutes",
        "no-minutes", "huge-minutes", "order-text"])
def test_a_block_record_no_run_can_write_is_refused(
        committed: tuple[Path, Path], change: dict[str, Any], reason: str) -> None:
    incoming, results = committed
    source = write_results(incoming / "job", _full(2e-5), python="3.13", date=20,
                           started=9000)
    run_record = {"commit": "a" * 40, "env_name": "", "run": 9000,
                  "blocks": [{"order": ["virtualenv-py3.13"], "minutes": 3.5}]}
    (source.parent / "blocks.jsonl").write_text(_lines(
        _block_record(source), {**run_record, **change}))

    report = merge([incoming], results)

    assert reason in _refused(report, "blocks.jsonl")
    assert not (results / "box" / "blocks.jsonl").exists()
    assert report.replaced == [f"box/{source.name}"]  # the results land all the same


def test_a_run_record_with_unknown_keys_lands_as_it_is(committed: tuple[Path, Path]) -> None:
    """A newer writer may add keys (a seed, phases): they are kept, not refused."""
    incoming, results = committed
    source = write_results(incoming / "job", _full(2e-5), python="3.13", date=20,
                           started=9000)
    run_record = {"commit": "a" * 40, "env_name": "", "run": 9000, "seed": 42,
                  "phases": [{"name": "warm", "blocks": [0, 1]}],
                  "blocks": [{"order": ["virtualenv-py3.13"], "minutes": 3.5, "note": "x"}]}
    (source.parent / "blocks.jsonl").write_text(_lines(_block_record(source), run_record))

    report = merge([incoming], results)

    assert report.refused == []
    landed = [json.loads(line) for line in (results / "box" / "blocks.jsonl").open()]
    assert run_record in landed and _block_record(source) in landed


# --- 10. a block log comes in only with its results ---------------------------------------------

def test_the_block_log_of_a_run_whose_every_results_file_was_refused_does_not_land(
        committed: tuple[Path, Path]) -> None:
    incoming, results = committed
    source = write_results(incoming / "job", _full(2e-5), python="3.12", date=20,
                           started=9000)
    record = _block_record(source)
    data = json.loads(source.read_text())
    data["results"][TASK_COST.name][0][0] = -1.0  # refused: a negative time
    source.write_text(json.dumps(data))
    (source.parent / "blocks.jsonl").write_text(_lines(record, {
        "commit": "a" * 40, "env_name": "", "run": 9000,
        "blocks": [{"order": ["virtualenv-py3.12"], "minutes": 3.5}]}))
    before = _tree(results)

    report = merge([incoming], results)

    assert _tree(results) == before
    refusal = _refused(report, "blocks.jsonl")
    assert "virtualenv-py3.12 at aaaaaaaa" in refusal and "the run itself at aaaaaaaa" in refusal
    assert "describe results that results/ does not hold after this merge" in refusal


def test_a_block_record_of_an_interpreter_without_results_does_not_land(
        committed: tuple[Path, Path]) -> None:
    """An order naming an interpreter without results made the budget say "15
    interpreters": its record is refused, the others land."""
    incoming, results = committed
    source = write_results(incoming / "job", _full(2e-5), python="3.13", date=20,
                           started=9000)
    ghost = {**_block_record(source), "env_name": "virtualenv-py3.99"}
    (source.parent / "blocks.jsonl").write_text(_lines(_block_record(source), ghost))

    report = merge([incoming], results)

    assert "virtualenv-py3.99 at aaaaaaaa describe" in _refused(report, "blocks.jsonl")
    landed = [json.loads(line) for line in (results / "box" / "blocks.jsonl").open()]
    assert landed == [_block_record(source)]


def test_a_run_record_lands_only_with_results_of_its_run_and_only_when_newer(
        committed: tuple[Path, Path]) -> None:
    """runs.jsonl: one record per commit and host; a record of a commit whose every results
    file was refused stays out, and one recorded at the same time changes nothing."""
    incoming, results = committed
    fingerprint = {"cpu_model": "Example", "family": "6", "model": "1", "features": []}
    mine = runfacts.record("a" * 40, fingerprint, {"3.13": "3.13.0"})
    mine["recorded_at"] = "2026-01-01T00:00:00+00:00"
    runfacts.update(results / "box" / runfacts.RUNS_FILE, [mine])
    before = _tree(results)
    same_time = {**mine, "fingerprint": {**fingerprint, "model": "2"}}
    refused_run = {**mine, "commit": "b" * 40}
    bad = write_results(incoming / "job", _full(2e-5), python="3.13", commit="b" * 40,
                        date=20, started=9000)
    data = json.loads(bad.read_text())
    data["results"][TASK_COST.name][0][0] = -1.0
    bad.write_text(json.dumps(data))
    (bad.parent / runfacts.RUNS_FILE).write_text(_lines(same_time, refused_run))

    report = merge([incoming], results)

    assert "records of runs at bbbbbbbb, of which results/ holds no results" in _refused(
        report, runfacts.RUNS_FILE)
    assert _tree(results) == before


# --- 11. build facts: one schema ----------------------------------------------------------------

@pytest.mark.parametrize(("record", "reason"), [
    ({"python": ""}, "'' is not an interpreter name taskbench knows"),
    ({"python": "foo-bar"}, "'foo-bar' is not an interpreter name"),
    ({"python": "../../etc"}, "'../../etc' is not an interpreter name"),
    ({"python": "3.13", "version": 3.13}, "version 3.13 is not text"),
    ({"python": "3.13", "c_asyncio": "yes"}, "c_asyncio is 'yes', not true or false"),
    ({"python": "3.13", "pgo": ["yes"]}, "pgo ['yes'] is not text"),
    ({"python": "3.13", "compiler": "GCC\n| x |"}, "holds a control character"),
    ({"python": "3.13", "source": "pyenv\u2028x"}, "holds a control character"),
    ({"python": "3.13", "compiler": "x" * 5000}, "compiler is 5,000 characters long"),
    ({"python": "3.13", "../x": "y"}, "'../x' is not the name of a build fact"),
    ({"python": "3.13", "extra": {"a": 1}}, "extra {'a': 1} is not text"),
    ({"python": "3.13", "config_args": "x" * 10_000_000}, "characters long; a build record is at"),
], ids=["empty-name", "foo-bar", "path", "number-version", "text-flag", "list", "newline",
         "line-separator",
        "long-text", "path-key", "object", "10-MB-line"])
def test_a_build_record_outside_the_schema_is_refused(
        committed: tuple[Path, Path], record: dict[str, Any], reason: str) -> None:
    incoming, results = committed
    (_machine_folder(incoming / "job") / "interpreters.jsonl").write_text(_lines(record))

    report = merge([incoming], results)

    refusal = _refused(report, "interpreters.jsonl")
    assert reason in refusal and len(refusal) < 400
    assert not (results / "box" / "interpreters.jsonl").exists()


def test_a_fact_the_schema_does_not_know_yet_lands_when_plain(
        committed: tuple[Path, Path]) -> None:
    incoming, results = committed
    record = {**FACT, "host_fingerprint": "abc123", "cores": 2, "smt": False}
    (_machine_folder(incoming / "job") / "interpreters.jsonl").write_text(_lines(record))

    report = merge([incoming], results)

    assert report.refused == [] and report.added == ["box/interpreters.jsonl"]


# --- 5. names that differ only by case ----------------------------------------------------------

def test_a_machine_differing_only_by_case_is_refused(committed: tuple[Path, Path]) -> None:
    incoming, results = committed
    write_results(incoming / "job", _full(2e-5), machine="Box", python="3.12")
    write_results(incoming / "job2", _full(2e-5), machine="fresh", python="3.12")
    write_results(incoming / "job3", _full(2e-5), machine="FRESH", python="3.12")

    report = merge([incoming], results)

    assert "machine 'Box' differs only by case from box" in _refused(report, "job/Box")
    assert "machine 'FRESH' differs only by case from fresh" in _refused(report, "job3/FRESH")
    assert sorted(p.name for p in results.iterdir()) == ["benchmarks.json", "box", "fresh"]


def test_a_results_file_differing_only_by_case_is_refused(committed: tuple[Path, Path]) -> None:
    incoming, results = committed
    source = write_results(incoming / "job", _full(2e-5), python="3.13", date=20,
                           started=9000)
    data = json.loads(source.read_text())
    data["env_name"] = "Virtualenv-py3.13"
    source.unlink()
    posing = source.with_name("aaaaaaaa-Virtualenv-py3.13.json")
    posing.write_text(json.dumps(data))
    before = _tree(results)

    report = merge([incoming], results)

    assert f"differs only by case from box/{NAME.format('3.13')}" in _refused(
        report, posing.name)
    assert _tree(results) == before


# --- 12. folders where files belong -------------------------------------------------------------

def test_a_results_file_replaced_by_a_folder_is_refused_loudly(
        committed: tuple[Path, Path]) -> None:
    incoming, results = committed
    (_machine_folder(incoming / "job") / NAME.format("3.12")).mkdir()
    committed_file = results / "box" / NAME.format("3.13")
    committed_file.unlink()
    committed_file.mkdir()
    source = write_results(incoming / "job2", _full(2e-5), python="3.13", date=20,
                           started=9000)
    before = _tree(results)

    report = merge([incoming], results)

    assert "a folder where a machine folder holds files" in _refused(
        report, f"job/box/{NAME.format('3.12')}")
    assert f"{committed_file} is a folder, not a results file" in _refused(
        report, str(source))
    assert _tree(results) == before


def test_a_name_with_a_line_break_is_refused_on_one_line(committed: tuple[Path, Path]) -> None:
    incoming, results = committed
    folder = _machine_folder(incoming / "job")
    (folder / "x\ny.json").write_text("{}")
    (folder / "notes\n.txt").write_text("")

    lines = merge([incoming], results).lines()

    refused = [line for line in lines if line.startswith("  refused: ")]
    assert len(refused) == 2 and all("\\n" in line for line in refused)
    assert not [line for line in lines if line.startswith(("y.json", ".txt"))]


def test_the_command_exits_0_when_nothing_was_refused(committed: tuple[Path, Path]) -> None:
    incoming, results = committed
    write_results(incoming / "job", _full(2e-5), python="3.13", date=10, started=1000)

    child = run_python("-m", "taskbench.jobs.merge", str(incoming), str(results),
                       env={"GITHUB_ACTIONS": "false"})

    assert child.returncode == 0, child.stdout + child.stderr
    assert "0 added, 0 replaced, 1 kept" in child.stdout
    assert os.listdir(results / "box")
