"""Build facts beside the results: ``results/<machine>/interpreters.jsonl``.

The main job and each CI job record how every interpreter was built (see
:mod:`taskbench.workloads.buildinfo`), so that a reader comparing two lines can see whether
they differ in version, in build family, or both. One JSON object per line, keyed by the
interpreter's name in ``pythons``; JSON lines, not ``.json``, because asv reads every
``*.json`` under a machine's folder as a results file.

This module is the only reader and writer of the file: the main job and the CI job call
:func:`update`, and the merge combines copies with :func:`merged` and :func:`render`; either
way, for each name, the record measured last (``recorded_at``) wins, so that merging many
machines' copies never brings an older record back. ``recorded_at`` is compared as a time, so
a record whose ``recorded_at`` is not an ISO 8601 time, or lies in the future, is refused
with its file and line: text such as "zzzz", or a year 3000, would otherwise win forever.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any, Dict, Iterable

from taskbench import files
from taskbench.interpreters.names import interpreter_order

FACTS_FILE = "interpreters.jsonl"
FACT_COLUMNS = [
    ("python", "asv name"), ("version", "Python version"), ("implementation", "implementation"),
    ("source", "obtained from"), ("optimisation", "-O"), ("pgo", "PGO"), ("lto", "LTO"),
    ("jit", "JIT"), ("gil", "GIL"), ("c_asyncio", "C asyncio"), ("compiler", "compiler"),
]
Record = Dict[str, Any]
# How far ahead of this machine's clock a time may be: the clocks of CI runners and of the
# machine that reads their files may differ a little; a day is more than any plausible skew.
FUTURE_SLACK = datetime.timedelta(days=1)
_OLDEST = datetime.datetime.min.replace(tzinfo=datetime.timezone.utc)


class FactsError(Exception):
    """A facts file cannot be read; the message names the file and the line."""


def parse(text: str, source: str) -> dict[str, Record]:
    """The records of one facts file's text, by name, or FactsError naming the bad line."""
    records: dict[str, Record] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as error:
            raise FactsError(f"{source}, line {number}: not JSON ({error})") from None
        if not isinstance(record, dict) or not isinstance(record.get("python"), str):
            raise FactsError(f"{source}, line {number}: no 'python' name")
        problem = _time_problem(record.get("recorded_at"))
        if problem:
            raise FactsError(f"{source}, line {number}: recorded_at {problem}")
        records[record["python"]] = record
    return records


def recorded_at(record: Record) -> datetime.datetime:
    """When ``record`` was made (the oldest possible time for a record that does not say);
    a time without an offset is taken as UTC."""
    text = record.get("recorded_at")
    if not isinstance(text, str):
        return _OLDEST
    moment = datetime.datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.timezone.utc)


def _time_problem(value: Any) -> str | None:
    if value is None:
        return None
    try:
        if not isinstance(value, str):
            raise ValueError
        moment = recorded_at({"recorded_at": value})
    except ValueError:
        return f"{value!r} is not an ISO 8601 time"
    if moment > datetime.datetime.now(datetime.timezone.utc) + FUTURE_SLACK:
        return f"{value!r} is in the future"
    return None


def read(path: Path) -> dict[str, Record]:
    """The records of ``path`` (none when it does not exist), or FactsError."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as error:
        raise FactsError(f"{path} cannot be read ({error})") from None
    return parse(text, str(path))


def read_all(results_dir: Path) -> tuple[dict[str, list[Record]], list[str]]:
    """Every machine's records, in interpreter order, and the files that could not be read."""
    by_machine: dict[str, list[Record]] = {}
    problems = []
    for path in sorted(results_dir.glob(f"*/{FACTS_FILE}")):
        try:
            records = read(path)
        except FactsError as error:
            problems.append(f"{error}; its build facts are not shown. Restore it from git "
                            "or rerun `make bench`.")
            continue
        by_machine[path.parent.name] = [records[name] for name in
                                        sorted(records, key=interpreter_order)]
    return by_machine, problems


def stamped(record: Record) -> Record:
    """``record`` with the time it is recorded at, which decides between two copies."""
    return {**record, "recorded_at": datetime.datetime.now(datetime.timezone.utc).isoformat(
        timespec="seconds")}


def _newer(candidate: Record, existing: Record | None) -> bool:
    return existing is None or recorded_at(candidate) >= recorded_at(existing)


def merged(existing: dict[str, Record], incoming: Iterable[Record]) -> dict[str, Record]:
    """``existing`` with each incoming record added, unless an existing one is newer."""
    result = dict(existing)
    for record in incoming:
        if _newer(record, result.get(record["python"])):
            result[record["python"]] = record
    return result


def render(records: dict[str, Record]) -> str:
    """The file's text: one sorted JSON object per line, in interpreter order."""
    return "".join(json.dumps(records[name], sort_keys=True) + "\n"
                   for name in sorted(records, key=interpreter_order))


def update(path: Path, incoming: Iterable[Record]) -> None:
    """Add ``incoming`` records to the file at ``path`` (atomically), keeping the newest of
    each name and every other name's line: interpreters not available this time keep theirs.

    Raises:
        FactsError: when the existing file cannot be read; it is then left as it is.
    """
    files.write_text(path, render(merged(read(path), incoming)))
