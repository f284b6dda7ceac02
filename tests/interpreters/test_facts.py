"""``results/<machine>/interpreters.jsonl``: read, merged by when each record was made, and
written so that a failure leaves the old file."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pytest

from taskbench.interpreters import facts
from taskbench.interpreters.facts import FactsError, merged, read, read_all, stamped, update
from taskbench.interpreters.names import interpreter_order

EARLY, LATE = "2024-05-01T10:00:00+00:00", "2024-06-01T10:00:00+00:00"


def _record(name: str, version: str = "x", recorded_at: str | None = None) -> dict[str, Any]:
    record: dict[str, Any] = {"python": name, "version": version}
    if recorded_at is not None:
        record["recorded_at"] = recorded_at
    return record


def _lines(*records: dict[str, Any]) -> str:
    return "".join(json.dumps(record) + "\n" for record in records)


# Reading ---------------------------------------------------------------------------------------

def test_records_are_read_by_name(tmp_path: Path) -> None:
    path = tmp_path / "interpreters.jsonl"
    path.write_text(_lines(_record("3.8", "3.8.20"), _record("pypy3.9", "3.9.18")) + "\n  \n")
    assert read(path) == {"3.8": _record("3.8", "3.8.20"), "pypy3.9": _record("pypy3.9", "3.9.18")}


def test_a_missing_file_has_no_records(tmp_path: Path) -> None:
    assert read(tmp_path / "absent.jsonl") == {}


@pytest.mark.parametrize("text, line, problem", [
    ('{"python": "3.8"}\n{"python": \n', 2, "not JSON"),
    ('\n{"python": "3.8"}\n["3.9"]\n', 3, "no 'python' name"),
    ('{"version": "3.8.1"}\n', 1, "no 'python' name"),
    ('{"python": 3.8}\n', 1, "no 'python' name"),
])
def test_a_parse_error_names_the_file_and_the_line(tmp_path: Path, text: str, line: int,
                                                   problem: str) -> None:
    path = tmp_path / "box" / "interpreters.jsonl"
    path.parent.mkdir()
    path.write_text(text)
    with pytest.raises(FactsError) as raised:
        read(path)
    assert str(raised.value).startswith(f"{path}, line {line}: {problem}")


def test_a_file_that_is_not_text_is_named(tmp_path: Path) -> None:
    path = tmp_path / "interpreters.jsonl"
    path.write_bytes(b'{"python": "\xff"}\n')
    with pytest.raises(FactsError, match=f"{path} cannot be read"):
        read(path)


def test_read_all_gives_each_machine_in_interpreter_order(tmp_path: Path) -> None:
    results = tmp_path / "results"
    names = ["pypy3.9", "3.10", "3.14t", "3.8-debian", "3.8", "3.14-debian"]
    (results / "box-a").mkdir(parents=True)
    (results / "box-a" / facts.FACTS_FILE).write_text(_lines(*map(_record, names)))
    (results / "box-b").mkdir()
    (results / "box-b" / facts.FACTS_FILE).write_text(_lines(_record("3.11")))
    (results / "box-c").mkdir()  # a machine without facts
    (results / "box-c" / "machine.json").write_text("{}")

    by_machine, problems = read_all(results)
    assert problems == []
    assert set(by_machine) == {"box-a", "box-b"}
    assert [record["python"] for record in by_machine["box-a"]] == sorted(
        names, key=interpreter_order)
    assert by_machine["box-a"][0] == _record("3.8")
    assert by_machine["box-b"] == [_record("3.11")]


def test_read_all_reports_a_corrupt_file_and_reads_the_others(tmp_path: Path) -> None:
    results = tmp_path / "results"
    for machine, text in [("box-a", _lines(_record("3.8"))), ("box-b", '{"python": "3.8"}\n{')]:
        (results / machine).mkdir(parents=True)
        (results / machine / facts.FACTS_FILE).write_text(text)
    by_machine, problems = read_all(results)
    assert by_machine == {"box-a": [_record("3.8")]}
    (problem,) = problems
    assert f"{results / 'box-b' / facts.FACTS_FILE}, line 2: not JSON" in problem
    assert "Restore it from git or rerun `make bench`" in problem


def test_read_all_of_no_results_is_empty(tmp_path: Path) -> None:
    assert read_all(tmp_path / "absent") == ({}, [])


# Merging ---------------------------------------------------------------------------------------

def test_the_newest_record_of_each_name_is_kept() -> None:
    existing = {"3.8": _record("3.8", "old", EARLY), "3.9": _record("3.9", "kept", LATE)}
    incoming = [_record("3.8", "new", LATE), _record("3.9", "older", EARLY),
                _record("3.10", "added", EARLY)]
    result = merged(existing, incoming)
    assert {name: record["version"] for name, record in result.items()} == {
        "3.8": "new", "3.9": "kept", "3.10": "added"}
    assert existing["3.8"]["version"] == "old"  # the argument is not changed


def test_an_older_incoming_record_never_replaces_a_newer_one() -> None:
    existing = {"3.8": _record("3.8", "newest", LATE)}
    incoming = [_record("3.8", "older", EARLY), _record("3.8", "unstamped")]
    assert merged(existing, incoming) == existing
    # Nor does it when it comes after the newer one in the same batch.
    assert merged({}, [_record("3.8", "newest", LATE), _record("3.8", "older", EARLY)]) == {
        "3.8": _record("3.8", "newest", LATE)}


def test_a_stamped_record_replaces_an_unstamped_one() -> None:
    result = merged({"3.8": _record("3.8", "unstamped")}, [_record("3.8", "new", EARLY)])
    assert result == {"3.8": _record("3.8", "new", EARLY)}


def test_stamped_adds_the_time_of_recording_in_utc() -> None:
    record = _record("3.8", "3.8.20")
    before = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    result = stamped(record)
    after = datetime.datetime.now(datetime.timezone.utc)
    assert record == _record("3.8", "3.8.20")
    assert {key: value for key, value in result.items() if key != "recorded_at"} == record
    when = datetime.datetime.fromisoformat(result["recorded_at"])
    assert when.utcoffset() == datetime.timedelta(0)
    assert before <= when <= after
    # A record stamped now wins over one stamped before.
    assert merged({"3.8": _record("3.8", "old", LATE)}, [result])["3.8"] is result


# Writing ---------------------------------------------------------------------------------------

def test_update_keeps_other_names_and_writes_in_interpreter_order(tmp_path: Path) -> None:
    path = tmp_path / "results" / "box" / facts.FACTS_FILE
    update(path, [_record("pypy3.9", "a", EARLY), _record("3.8", "a", EARLY)])
    update(path, [_record("3.10", "b", LATE), _record("3.8", "b", LATE)])
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert lines == [_record("3.8", "b", LATE), _record("3.10", "b", LATE),
                     _record("pypy3.9", "a", EARLY)]
    assert read(path) == {record["python"]: record for record in lines}
    assert all(list(record) == sorted(record) for record in map(
        json.loads, path.read_text().splitlines()))  # keys sorted: stable diffs


def test_update_of_a_corrupt_file_leaves_it_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / facts.FACTS_FILE
    path.write_text('{"python": "3.8"}\n{broken\n')
    before = path.read_bytes()
    with pytest.raises(FactsError, match="line 2: not JSON"):
        update(path, [_record("3.9", "new", LATE)])
    assert path.read_bytes() == before


def test_a_failed_write_leaves_the_old_bytes(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / facts.FACTS_FILE
    update(path, [_record("3.8", "old", EARLY)])
    before = path.read_bytes()

    def fail(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("taskbench.files.os.replace", fail)
    with pytest.raises(OSError, match="No space left"):
        update(path, [_record("3.8", "new", LATE), _record("3.9", "new", LATE)])
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [facts.FACTS_FILE]  # no temporary left
