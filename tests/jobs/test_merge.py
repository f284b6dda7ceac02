"""taskbench.jobs.merge: results come in only when valid and newer, and never land elsewhere.

Incoming and committed results are real asv files (``write_results``); a committed file is
checked byte for byte after every merge that should not have touched it.
"""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path
from typing import Any, Callable

import pytest

from conftest import run_python, write_results
from taskbench.catalogue import TASK_COST
from taskbench.jobs import merge as merge_module
from taskbench.jobs.machine import valid_machine_name
from taskbench.jobs.merge import Report, main, merge

NAME = "aaaaaaaa-virtualenv-py{}.json"  # asv's name for write_results' default commit


def _figures(value: float) -> dict[Any, Any]:
    return {TASK_COST: {(100_000,): [value, value * 1.01, value * 0.99]}}


def _tree(folder: Path) -> dict[str, object]:
    """Every file under ``folder`` (bytes) and every link (where it points), by relative path;
    not the merge's work area beside results/ (see ``_no_staging_left``)."""
    found: dict[str, object] = {}
    for root, dirs, names in os.walk(folder):
        dirs[:] = [name for name in dirs if name != ".results.merge"]
        for name in dirs + names:
            path = Path(root) / name
            key = str(path.relative_to(folder))
            if path.is_symlink():
                found[key] = ("link", os.readlink(path))
            elif path.is_file():
                found[key] = path.read_bytes()
            else:
                found[key] = "folder"
    return found


def _valid_json_everywhere(folder: Path) -> None:
    for path in folder.rglob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))


def _no_staging_left(results: Path) -> None:
    """Nothing hidden in results/, and nothing but the lock in the work area beside it."""
    assert [p.name for p in results.iterdir() if p.name.startswith(".")] == []
    work = results.parent / ".results.merge"
    assert not work.exists() or [p.name for p in work.iterdir()] == ["lock"]


def _refused(report: Report, name: str) -> str:
    """The one refusal that names ``name``."""
    found = [reason for reason in report.refused if name in reason]
    assert len(found) == 1, report.refused
    return found[0]


@pytest.fixture
def places(tmp_path: Path) -> tuple[Path, Path]:
    """An incoming folder and a results folder with one committed run (3.12, started 2000)."""
    incoming, results = tmp_path / "incoming", tmp_path / "results"
    incoming.mkdir()
    write_results(results, _figures(1e5), python="3.12", date=10, started=2000)
    return incoming, results


# --- which run wins -----------------------------------------------------------------------

def test_new_files_are_added_with_their_machine_json(tmp_path: Path) -> None:
    incoming, results = tmp_path / "incoming", tmp_path / "results"
    source = write_results(incoming / "job-1", _figures(1e5), python="3.13", started=1000)

    report = merge([incoming], results)

    assert sorted(report.added) == sorted(["box/machine.json", f"box/{NAME.format('3.13')}"])
    assert report.replaced == report.kept == report.refused == []
    assert (results / "box" / source.name).read_bytes() == source.read_bytes()
    assert json.loads((results / "box" / "machine.json").read_text())["machine"] == "box"
    _no_staging_left(results)


@pytest.mark.parametrize(("date", "started", "outcome"), [
    (10, 3000, "replaced"),  # same commit date, run made later
    (11, 1000, "replaced"),  # a newer commit date wins even over an earlier start
    (9, 9000, "kept"),  # an older commit date loses even with a later start
    (10, 1000, "kept"),  # same commit date, run made earlier
], ids=["later-run", "newer-date", "older-date", "earlier-run"])
def test_a_run_replaces_the_committed_one_only_when_newer(
        places: tuple[Path, Path], date: int, started: int, outcome: str) -> None:
    incoming, results = places
    committed = (results / "box" / NAME.format("3.12")).read_bytes()
    source = write_results(incoming / "job", _figures(2e5), python="3.12", date=date,
                           started=started)

    report = merge([incoming], results)

    label = f"box/{NAME.format('3.12')}"
    after = (results / "box" / NAME.format("3.12")).read_bytes()
    if outcome == "replaced":
        assert report.replaced == [label] and report.kept == []
        assert after == source.read_bytes()
    else:
        assert report.kept == [f"{label} (incoming run is not newer)"]
        assert report.replaced == []
        assert after == committed
    assert report.added == report.refused == []


def test_an_identical_copy_is_kept(places: tuple[Path, Path]) -> None:
    incoming, results = places
    write_results(incoming / "job", _figures(1e5), python="3.12", date=10, started=2000)
    before = _tree(results)

    report = merge([incoming], results)

    assert report.kept == [f"box/{NAME.format('3.12')} (incoming run is not newer)"]
    assert report.added == report.replaced == report.refused == []
    assert _tree(results) == before


def test_two_jobs_of_one_machine_merge_together(tmp_path: Path) -> None:
    """CI runs one job per interpreter on the same runner type: one machine, many folders."""
    incoming, results = tmp_path / "incoming", tmp_path / "results"
    for job, python in [("job-3.12", "3.12"), ("job-3.13", "3.13")]:
        write_results(incoming / job, _figures(1e5), python=python, started=1000)
        (incoming / job / "box" / "interpreters.jsonl").write_text(json.dumps(
            {"python": python, "recorded_at": "2025-01-01T00:00:00+00:00"}) + "\n")
    # A third job re-ran 3.12 later: the newest of the two incoming copies lands.
    newest = write_results(incoming / "job-3.12-again", _figures(3e5), python="3.12",
                           started=5000)

    report = merge([incoming], results)

    assert report.refused == []
    assert sorted(p.name for p in (results / "box").iterdir()) == sorted(
        ["machine.json", "interpreters.jsonl", NAME.format("3.12"), NAME.format("3.13")])
    assert (results / "box" / NAME.format("3.12")).read_bytes() == newest.read_bytes()
    lines = (results / "box" / "interpreters.jsonl").read_text().splitlines()
    assert [json.loads(line)["python"] for line in lines] == ["3.12", "3.13"]
    _no_staging_left(results)


# --- what is refused ----------------------------------------------------------------------

def _corrupt(path: Path) -> None:
    path.write_text('{"commit_hash": "aaaa", "results": {', encoding="utf-8")


def _truncated(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _edited(**changes: Any) -> Callable[[Path], None]:
    def edit(path: Path) -> None:
        data = json.loads(path.read_text(encoding="utf-8"))
        data.update(changes)
        path.write_text(json.dumps(data), encoding="utf-8")
    return edit


def _not_utf8(path: Path) -> None:
    path.write_bytes(b"\xff\xfe{" + path.read_bytes())


@pytest.mark.parametrize("damage", [
    _corrupt, _truncated, _not_utf8, _edited(version=1), _edited(version=3),
    _edited(results=[]), _edited(commit_hash=None), _edited(date="yesterday"),
    _edited(params={"machine": "elsewhere", "python": "3.12"}), _edited(params="box"),
], ids=["not-json", "truncated", "not-utf8", "old-schema", "newer-schema", "results-list",
        "no-commit", "text-date", "other-machine", "params-text"])
def test_an_invalid_results_file_is_refused_and_the_rest_merged(
        places: tuple[Path, Path], damage: Callable[[Path], None]) -> None:
    incoming, results = places
    bad = write_results(incoming / "job", _figures(2e5), python="3.11", started=3000)
    damage(bad)
    good = write_results(incoming / "job", _figures(2e5), python="3.13", started=3000)

    report = merge([incoming], results)

    assert bad.name in _refused(report, bad.name)
    assert report.added == [f"box/{good.name}"]
    assert not (results / "box" / bad.name).exists()
    assert (results / "box" / good.name).read_bytes() == good.read_bytes()


def test_results_whose_machine_json_was_lost_are_named_not_skipped(
        places: tuple[Path, Path]) -> None:
    incoming, results = places
    good = write_results(incoming / "job", _figures(2e5), python="3.13", started=3000)
    orphan = incoming / "cut" / "box" / good.name
    orphan.parent.mkdir(parents=True)
    orphan.write_text("garbage")
    report = merge([incoming], results)
    assert "without a machine.json" in _refused(report, good.name)
    assert report.added == [f"box/{good.name}"]


def test_a_results_file_of_another_machine_is_refused(places: tuple[Path, Path],
                                                      tmp_path: Path) -> None:
    incoming, results = places
    elsewhere = write_results(tmp_path / "other", _figures(2e5), machine="elsewhere",
                              python="3.12", started=3000)
    write_results(incoming / "job", _figures(2e5), python="3.13", started=3000)
    committed = (results / "box" / elsewhere.name).read_bytes()
    (incoming / "job" / "box" / elsewhere.name).write_bytes(elsewhere.read_bytes())

    report = merge([incoming], results)

    assert "machine name is not 'box'" in _refused(report, elsewhere.name)
    assert (results / "box" / elsewhere.name).read_bytes() == committed
    assert report.added == [f"box/{NAME.format('3.13')}"]


def test_a_file_under_another_name_is_refused(places: tuple[Path, Path]) -> None:
    incoming, results = places
    source = write_results(incoming / "job", _figures(2e5), python="3.13", started=3000)
    renamed = source.with_name(NAME.format("3.12"))  # 3.13's run posing as 3.12's
    source.rename(renamed)
    (incoming / "job" / "box" / "notes.txt").write_text("hello")
    before = _tree(results)

    report = merge([incoming], results)

    assert "holds aaaaaaaa-virtualenv-py3.13.json's results" in _refused(report, renamed.name)
    assert "not a results file" in _refused(report, "notes.txt")
    assert report.added == report.replaced == []
    assert _tree(results) == before


def test_a_corrupt_interpreters_file_is_refused_and_the_rest_merged(
        places: tuple[Path, Path]) -> None:
    incoming, results = places
    committed_facts = results / "box" / "interpreters.jsonl"
    committed_facts.write_text('{"python": "3.12", "recorded_at": "2025-01-01"}\n')
    source = write_results(incoming / "job", _figures(2e5), python="3.13", started=3000)
    (source.parent / "interpreters.jsonl").write_text('{"python": "3.13"}\n{"python": \n')

    report = merge([incoming], results)

    assert "line 2" in _refused(report, "interpreters.jsonl")
    assert report.added == [f"box/{source.name}"]
    assert committed_facts.read_text() == '{"python": "3.12", "recorded_at": "2025-01-01"}\n'


def _facts(*records: dict[str, str]) -> str:
    return "".join(json.dumps(record) + "\n" for record in records)


def test_interpreter_records_keep_the_newest_of_each_name(places: tuple[Path, Path]) -> None:
    incoming, results = places
    (results / "box" / "interpreters.jsonl").write_text(_facts(
        {"python": "3.12", "version": "3.12.9", "recorded_at": "2025-06-01T00:00:00+00:00"},
        {"python": "3.13", "version": "3.13.0", "recorded_at": "2025-01-01T00:00:00+00:00"}))
    write_results(incoming / "job", _figures(1e5), python="3.12", date=10, started=2000)
    (incoming / "job" / "box" / "interpreters.jsonl").write_text(_facts(
        {"python": "3.12", "version": "3.12.1", "recorded_at": "2025-02-01T00:00:00+00:00"},
        {"python": "3.13", "version": "3.13.5", "recorded_at": "2025-07-01T00:00:00+00:00"},
        {"python": "3.14", "version": "3.14.0", "recorded_at": "2025-03-01T00:00:00+00:00"}))

    report = merge([incoming], results)

    assert report.replaced == ["box/interpreters.jsonl"]
    lines = (results / "box" / "interpreters.jsonl").read_text().splitlines()
    assert {json.loads(line)["python"]: json.loads(line)["version"] for line in lines} == {
        "3.12": "3.12.9", "3.13": "3.13.5", "3.14": "3.14.0"}


def test_older_interpreter_records_change_nothing(places: tuple[Path, Path]) -> None:
    incoming, results = places
    (results / "box" / "interpreters.jsonl").write_text(_facts(
        {"python": "3.12", "version": "3.12.9", "recorded_at": "2025-06-01T00:00:00+00:00"}))
    (incoming / "job" / "box").mkdir(parents=True)
    (incoming / "job" / "box" / "machine.json").write_text(json.dumps({"machine": "box"}))
    (incoming / "job" / "box" / "interpreters.jsonl").write_text(_facts(
        {"python": "3.12", "version": "3.12.1", "recorded_at": "2025-02-01T00:00:00+00:00"}))
    before = _tree(results)

    report = merge([incoming], results)

    assert report.added == report.replaced == report.refused == []
    assert _tree(results) == before


# --- nothing leaves results/ ----------------------------------------------------------------

def test_an_incoming_path_with_dotdot_writes_only_under_results(
        places: tuple[Path, Path], tmp_path: Path) -> None:
    incoming, results = places
    source = write_results(incoming, _figures(1e5), python="3.13", started=1000)
    (incoming / "sub").mkdir()
    outside_before = sorted(p.name for p in tmp_path.iterdir())
    results_before = _tree(results)

    report = merge([incoming / "sub" / ".."], results)

    assert report.added == [f"box/{source.name}"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [*outside_before, ".results.merge"])
    _no_staging_left(results)
    assert _tree(results) == {**results_before, f"box/{source.name}": source.read_bytes()}


def test_a_symbolic_link_in_incoming_is_refused_and_not_followed(
        places: tuple[Path, Path], tmp_path: Path) -> None:
    incoming, results = places
    secret = write_results(tmp_path / "outside", _figures(9e5), python="3.11", started=9000)
    write_results(incoming / "job", _figures(1e5), python="3.13", started=1000)
    (incoming / "job" / "box" / secret.name).symlink_to(secret)
    # A whole machine folder that is a link: its files must not be read either.
    (incoming / "linked").mkdir()
    (incoming / "linked" / "box").symlink_to(secret.parent, target_is_directory=True)
    secret_before = _tree(tmp_path / "outside")

    report = merge([incoming], results)

    assert "a symbolic link" in _refused(report, f"job/box/{secret.name}")
    assert "a symbolic link" in _refused(report, "linked/box")
    assert not (results / "box" / secret.name).exists()
    assert report.added == [f"box/{NAME.format('3.13')}"]
    assert _tree(tmp_path / "outside") == secret_before


def test_a_linked_benchmarks_json_is_not_read(tmp_path: Path) -> None:
    incoming, results, outside = tmp_path / "incoming", tmp_path / "results", tmp_path / "outside"
    outside.mkdir()
    (outside / "benchmarks.json").write_text(json.dumps({"version": 2, "secret": {}}))
    (incoming / "job").mkdir(parents=True)
    (incoming / "job" / "benchmarks.json").symlink_to(outside / "benchmarks.json")
    (incoming / "linked").symlink_to(outside, target_is_directory=True)

    report = merge([incoming], results)

    assert "a symbolic link" in _refused(report, "job/benchmarks.json")
    assert "a symbolic link" in _refused(report, "incoming/linked")
    assert sorted(p.name for p in results.iterdir()) == []


def test_a_linked_machine_folder_in_results_is_refused(tmp_path: Path) -> None:
    incoming, results, outside = tmp_path / "incoming", tmp_path / "results", tmp_path / "outside"
    write_results(outside, _figures(1e5), python="3.12", date=1, started=1000)
    results.mkdir()
    (results / "box").symlink_to(outside / "box", target_is_directory=True)
    write_results(incoming / "job", _figures(2e5), python="3.12", date=5, started=5000)
    write_results(incoming / "job", _figures(2e5), python="3.13", date=5, started=5000)
    outside_before = _tree(outside)

    report = merge([incoming], results)

    assert "a link or outside" in _refused(report, str(results / "box"))
    assert report.added == report.replaced == []
    assert _tree(outside) == outside_before
    assert sorted(p.name for p in results.iterdir()) == ["box"]


def test_a_linked_results_file_is_replaced_not_written_through(tmp_path: Path) -> None:
    incoming, results, outside = tmp_path / "incoming", tmp_path / "results", tmp_path / "outside"
    target = write_results(outside, _figures(1e5), python="3.12", date=1, started=1000)
    write_results(results, _figures(1e5), python="3.13", date=1, started=1000)
    (results / "box" / target.name).symlink_to(target)
    source = write_results(incoming / "job", _figures(2e5), python="3.12", date=5, started=5000)
    outside_before = _tree(outside)

    report = merge([incoming], results)

    assert report.replaced == [f"box/{target.name}"]
    assert _tree(outside) == outside_before
    assert not (results / "box" / target.name).is_symlink()
    assert (results / "box" / target.name).read_bytes() == source.read_bytes()


def test_a_machine_json_naming_another_machine_is_refused(places: tuple[Path, Path]) -> None:
    incoming, results = places
    write_results(incoming / "job", _figures(2e5), python="3.13", started=3000)
    (incoming / "job" / "box" / "machine.json").write_text(json.dumps({"machine": "other"}))
    write_results(incoming / "job2", _figures(2e5), machine="fine", python="3.13")
    (incoming / "job3" / "box").mkdir(parents=True)
    (incoming / "job3" / "box" / "machine.json").write_text("{not json")
    before = _tree(results / "box")

    report = merge([incoming], results)

    assert "names 'other', but the folder is 'box'" in _refused(report, "job/box")
    assert "not JSON" in _refused(report, "job3/box/machine.json")
    assert _tree(results / "box") == before
    assert sorted(report.added) == sorted(["fine/machine.json", f"fine/{NAME.format('3.13')}"])


@pytest.mark.parametrize("name", ["../box", "a/b", "a\\b", "..", ".", "", ".hidden", "a..b",
                                  "/etc", "box\n", "benchmarks.json", "m" * 64, 7, None])
def test_machine_names_that_are_not_plain_folder_names_are_refused(
        places: tuple[Path, Path], tmp_path: Path, name: object) -> None:
    incoming, results = places
    (incoming / "job" / "box").mkdir(parents=True)
    (incoming / "job" / "box" / "machine.json").write_text(json.dumps({"machine": name}))
    before = _tree(tmp_path)

    report = merge([incoming], results)

    assert "not a plain folder name" in _refused(report, "job/box")
    assert _tree(tmp_path) == before
    _no_staging_left(results)
    if isinstance(name, str):
        assert not valid_machine_name(name)


def test_plain_machine_names_are_accepted() -> None:
    for name in ["box", "gha-ubuntu-24.04", "mac_M1+rosetta", "_x"]:
        assert valid_machine_name(name)


# --- a failure midway ---------------------------------------------------------------------

@pytest.fixture
def busy(tmp_path: Path) -> tuple[Path, Path]:
    """Two committed runs and newer incoming copies of both, plus new build facts."""
    incoming, results = tmp_path / "incoming", tmp_path / "results"
    for python in ["3.12", "3.13"]:
        write_results(results, _figures(1e5), python=python, date=1, started=1000)
        write_results(incoming / "job", _figures(2e5), python=python, date=2, started=2000)
    (results / "box" / "interpreters.jsonl").write_text(_facts(
        {"python": "3.12", "recorded_at": "2025-01-01T00:00:00+00:00"}))
    (incoming / "job" / "box" / "interpreters.jsonl").write_text(_facts(
        {"python": "3.12", "recorded_at": "2025-02-01T00:00:00+00:00"}))
    (results / "benchmarks.json").write_text(json.dumps({"version": 2, "a": {}}))
    (incoming / "job" / "benchmarks.json").write_text(json.dumps({"version": 2, "b": {}}))
    return incoming, results


def test_a_rename_failing_midway_leaves_results_as_they_were(
        busy: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    incoming, results = busy
    before = _tree(results)
    real_replace = os.replace
    calls = []

    def second_fails(source: Any, target: Any) -> None:
        if Path(target).parent.name == ".results.merge":  # the journal
            return real_replace(source, target)
        calls.append(target)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr(merge_module.os, "replace", second_fails)
    with pytest.raises(OSError, match="No space left"):
        merge([incoming], results)
    monkeypatch.undo()

    assert len(calls) >= 2
    assert _tree(results) == before
    _valid_json_everywhere(results)
    _no_staging_left(results)


def test_a_new_machine_folder_is_removed_again_when_a_rename_fails(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    incoming, results = tmp_path / "incoming", tmp_path / "results"
    write_results(results, _figures(1e5), python="3.12")
    write_results(incoming / "job", _figures(1e5), machine="fresh", python="3.12")
    before = _tree(results)
    real_replace, calls = os.replace, []

    def second_fails(source: Any, target: Any) -> None:
        if Path(target).parent.name == ".results.merge":  # the journal
            return real_replace(source, target)
        calls.append(Path(target))
        if len(calls) == 2:
            raise OSError(5, "Input/output error")
        real_replace(source, target)

    monkeypatch.setattr(merge_module.os, "replace", second_fails)
    with pytest.raises(OSError, match="Input/output"):
        merge([incoming], results)
    monkeypatch.undo()

    assert calls[0].parent == results / "fresh"  # the first rename did land, then was undone
    assert _tree(results) == before
    _no_staging_left(results)


def test_without_hard_links_a_failed_rename_is_still_undone(
        busy: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    incoming, results = busy
    before = _tree(results)
    real_replace, calls = os.replace, []

    def no_links(*args: Any, **kwargs: Any) -> None:
        raise OSError(1, "Operation not permitted")

    def third_fails(source: Any, target: Any) -> None:
        if Path(target).parent.name == ".results.merge":  # the journal
            return real_replace(source, target)
        calls.append(target)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr(merge_module.os, "link", no_links)
    monkeypatch.setattr(merge_module.os, "replace", third_fails)
    with pytest.raises(OSError, match="No space left"):
        merge([incoming], results)
    monkeypatch.undo()

    assert _tree(results) == before
    _valid_json_everywhere(results)
    _no_staging_left(results)


# The limit is set after the imports (bytecode writes), and SIGXFSZ is ignored so that the
# write fails with EFBIG instead of killing the child: the stand-in for ``ulimit -f``.
LIMITED_MERGE = textwrap.dedent("""
    import resource, signal, sys
    from pathlib import Path
    from taskbench.jobs.merge import merge

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
    try:
        merge([Path(sys.argv[1])], Path(sys.argv[2]))
    except OSError as error:
        print("failed", error.errno)
    else:
        print("merged")
""")


def test_a_full_disk_midway_leaves_results_as_they_were(busy: tuple[Path, Path]) -> None:
    incoming, results = busy
    before = _tree(results)

    child = run_python("-c", LIMITED_MERGE, str(incoming), str(results), timeout=120)

    assert child.returncode == 0, child.stderr
    assert child.stdout.split()[0] == "failed"
    assert _tree(results) == before
    _valid_json_everywhere(results)
    _no_staging_left(results)


# --- benchmarks.json ------------------------------------------------------------------------

def test_benchmarks_json_is_the_union_of_every_copy_keeping_the_committed_descriptions(
        tmp_path: Path) -> None:
    incoming, results = tmp_path / "incoming", tmp_path / "results"
    results.mkdir()
    (results / "benchmarks.json").write_text(json.dumps(
        {"version": 2, "old": {"code": "1"}, "both": {"code": "committed"}}))
    for job, extra in [("job-1", {"one": {"code": "2"}}),
                       ("job-2", {"two": {"code": "3"}, "both": {"code": "incoming"}})]:
        (incoming / job).mkdir(parents=True)
        (incoming / job / "benchmarks.json").write_text(json.dumps({"version": 2, **extra}))
    (incoming / "job-3").mkdir()
    (incoming / "job-3" / "benchmarks.json").write_text('{"version": "two", "bad": {}}')

    report = merge([incoming], results)

    # Descriptions the catalogue does not declare: nothing says which of two is newer, so the
    # committed one stays (round three: "incoming descriptions win" lost committed ones).
    assert json.loads((results / "benchmarks.json").read_text()) == {
        "version": 2, "old": {"code": "1"}, "one": {"code": "2"}, "two": {"code": "3"},
        "both": {"code": "committed"}}
    assert "not asv's benchmarks.json" in _refused(report, "job-3/benchmarks.json")
    assert [line for line in report.kept if "description of both" in line]


def test_a_corrupt_committed_benchmarks_json_does_not_stop_the_merge(
        places: tuple[Path, Path]) -> None:
    incoming, results = places
    (results / "benchmarks.json").write_text('{"version": 2, "a"')
    source = write_results(incoming / "job", _figures(1e5), python="3.13", started=1000)
    (incoming / "job" / "benchmarks.json").write_text(json.dumps({"version": 2, "b": {}}))

    report = merge([incoming], results)

    assert _refused(report, str(results / "benchmarks.json"))
    assert report.added == [f"box/{source.name}"]
    assert json.loads((results / "benchmarks.json").read_text()) == {"version": 2, "b": {}}


def test_an_unchanged_benchmarks_json_is_not_rewritten(places: tuple[Path, Path]) -> None:
    incoming, results = places
    (results / "benchmarks.json").write_text('{"version": 2, "b": {}}')
    (incoming / "job").mkdir()
    (incoming / "job" / "benchmarks.json").write_text('{"b": {}, "version": 2}')
    before = _tree(results)

    merge([incoming], results)

    assert _tree(results) == before


# --- the command line -----------------------------------------------------------------------

def test_the_command_prints_what_it_added_replaced_kept_and_refused(
        places: tuple[Path, Path]) -> None:
    incoming, results = places
    write_results(results, _figures(1e5), python="3.11", date=10, started=2000)
    write_results(incoming / "job", _figures(2e5), python="3.13", started=1000)  # added
    write_results(incoming / "job", _figures(2e5), python="3.12", date=10, started=3000)
    write_results(incoming / "job", _figures(2e5), python="3.11", date=9, started=3000)
    _corrupt(write_results(incoming / "job", _figures(2e5), python="3.10", started=3000))

    child = run_python("-m", "taskbench.jobs.merge", str(incoming), str(results),
                       env={"GITHUB_ACTIONS": "false"})

    assert child.returncode == 2, child.stderr  # something was refused (round three)
    lines = child.stdout.splitlines()
    assert lines[0] == ("1 added, 1 replaced, 1 kept (the committed record stays: nothing "
                        "newer and as complete came), "
                        "1 refused")
    assert f"  added: box/{NAME.format('3.13')}" in lines
    assert f"  replaced: box/{NAME.format('3.12')}" in lines
    assert f"  kept: box/{NAME.format('3.11')} (incoming run is not newer)" in lines
    assert [line for line in lines if line.startswith("  refused: ")
            and NAME.format("3.10") in line]


def test_the_command_exits_2_for_a_missing_incoming_folder(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main([str(tmp_path / "nowhere"), str(tmp_path / "results")])

    assert status == 2
    assert "no such folder" in capsys.readouterr().err
    assert not (tmp_path / "results").exists()


def test_the_command_exits_2_when_results_cannot_be_made(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "incoming").mkdir()
    (tmp_path / "results").write_text("a file, not a folder")

    status = main([str(tmp_path / "incoming"), str(tmp_path / "results")])

    assert status == 2
    assert "nothing was merged" in capsys.readouterr().err
    assert (tmp_path / "results").read_text() == "a file, not a folder"


@pytest.mark.parametrize("argv", [[], ["only-one"], ["--bogus", "a", "b"], ["-x"]])
def test_garbage_arguments_give_usage_not_a_traceback(
        argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)

    assert exit_info.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_garbage_arguments_on_the_real_command_line(tmp_path: Path) -> None:
    child = run_python("-m", "taskbench.jobs.merge", "--bogus", "\udcff", cwd=tmp_path)

    assert child.returncode == 2
    assert "Traceback" not in child.stderr and "usage:" in child.stderr
    assert list(tmp_path.iterdir()) == []


def _blocks(*records: dict[str, Any]) -> str:
    return "".join(json.dumps(record) + "\n" for record in records)


def test_a_block_log_lands_with_its_run_and_keeps_the_newest_record_of_each_key(
        places: tuple[Path, Path]) -> None:
    incoming, results = places
    committed = {"commit": "b" * 40, "env_name": "virtualenv-py3.12", "run": 9,
                 "figures": {"x()": [0, 1]}}
    (results / "box" / "blocks.jsonl").write_text(_blocks(committed))
    source = write_results(incoming / "job", _figures(1e5), python="3.13", started=3000)
    newer = {"commit": "a" * 40, "env_name": "virtualenv-py3.13", "run": 3000,
             "figures": {"x()": [0, 1, 2]}}
    older = {**committed, "run": 5, "figures": {"x()": [7]}}
    (source.parent / "blocks.jsonl").write_text(_blocks(newer, older))

    report = merge([incoming], results)

    assert not any("blocks.jsonl" in refused for refused in report.refused), report.refused
    assert report.replaced == ["box/blocks.jsonl"]
    lines = [json.loads(line) for line in
             (results / "box" / "blocks.jsonl").read_text().splitlines()]
    assert newer in lines and committed in lines and older not in lines


def test_a_corrupt_block_log_is_refused_by_name_and_the_results_still_land(
        places: tuple[Path, Path]) -> None:
    incoming, results = places
    source = write_results(incoming / "job", _figures(1e5), python="3.13", started=3000)
    (source.parent / "blocks.jsonl").write_text('{"commit": "a", "run": 1}\n{"commit": \n')

    report = merge([incoming], results)

    assert "line 2" in _refused(report, "blocks.jsonl")
    assert report.added == [f"box/{source.name}"]
    assert not (results / "box" / "blocks.jsonl").exists()
