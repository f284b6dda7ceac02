"""Build facts beside the results: ``results/<machine>/interpreters.jsonl``.

The main job and each CI job record how every interpreter was built (see
:mod:`taskbench.workloads.buildinfo`), so that a reader comparing two lines can see whether
they differ in version, in build family, or both. One JSON object per line, keyed by the
interpreter's name in ``pythons``; JSON lines, not ``.json``, because asv reads every
``*.json`` under a machine's folder as a results file.

This module is the only reader and writer of the file: the main job and the CI job call
:func:`update`, and the merge combines copies with :func:`merged` and :func:`render`; either
way, for each name, a record is replaced only by one recorded strictly later
(``recorded_at``) that holds every fact the other holds (:func:`kept_because`), so that
merging many machines' copies never brings an older or a poorer record back.

Every line is checked against :data:`SCHEMA`, the one list of the facts a record holds and
the type of each, with the file and line of the first that fails: an interpreter name
taskbench knows (``''``, ``foo-bar`` or ``../../etc`` are not), values of their type, text
on one line and short (the facts are shown as they are on docs/interpreters.md), a line of at
most :data:`MOST_LINE` characters, and a ``recorded_at`` that is an ISO 8601 time no later
than a day from now: text such as "zzzz", or a year 3000, would otherwise win forever. A fact
the schema does not know yet is let through when its name is a plain lowercase word and its
value a short text, a flag or a number, so that a newer writer's record is not refused.
"""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path
from typing import Any, Dict, Iterable

from taskbench import files
from taskbench.interpreters.names import interpreter_order, parse_name
from taskbench.validity import FUTURE_SLACK, number, shown, text_problem

FACTS_FILE = "interpreters.jsonl"
FACT_COLUMNS = [
    ("python", "asv name"), ("version", "Python version"), ("implementation", "implementation"),
    ("source", "obtained from"), ("optimisation", "-O"), ("pgo", "PGO"), ("lto", "LTO"),
    ("jit", "JIT"), ("gil", "GIL"), ("c_asyncio", "C asyncio"), ("compiler", "compiler"),
    ("clock", "CPU clock"),
]
# The facts a record holds, and the type of each: the one schema of the file.
SCHEMA: dict[str, type] = {
    "python": str, "recorded_at": str, "version": str, "implementation": str, "source": str,
    "optimisation": str, "pgo": str, "lto": str, "jit": str, "gil": str, "c_asyncio": bool,
    "compiler": str, "config_args": str, "executable": str, "cpu": str,
}
MOST_LINE = 16_384  # characters: a record is a few hundred; configure lines reach 2,000
MOST_TEXT = 4_096  # characters of one fact
_PLAIN_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")
Record = Dict[str, Any]
_OLDEST = datetime.datetime.min.replace(tzinfo=datetime.timezone.utc)


class FactsError(Exception):
    """A facts file cannot be read; the message names the file and the line."""


def _fact_problem(name: Any, value: Any) -> str | None:
    """Why one fact of a record is not as :data:`SCHEMA` says, or None."""
    wanted = SCHEMA.get(name)
    if wanted is None and not (isinstance(name, str) and _PLAIN_NAME.fullmatch(name)):
        return f"{shown(name)} is not the name of a build fact (known: {', '.join(SCHEMA)})"
    if wanted is bool or (wanted is None and isinstance(value, bool)):
        return None if isinstance(value, bool) else f"{name} is {shown(value)}, not true or false"
    if wanted is None and (value is None or number(value) is not None):
        return None
    problem = text_problem(value, MOST_TEXT)
    return f"{name} {problem}" if problem else None


def _record_problem(record: Any) -> str | None:
    if not isinstance(record, dict) or not isinstance(record.get("python"), str):
        return "no 'python' name"
    try:
        parse_name(record["python"])
    except ValueError as error:
        return str(error)
    problem = _time_problem(record.get("recorded_at"))
    if problem:
        return f"recorded_at {problem}"
    for name, value in record.items():
        problem = _fact_problem(name, value)
        if problem:
            return problem
    return None


def parse(text: str, source: str) -> dict[str, Record]:
    """The records of one facts file's text, by name, or FactsError naming the bad line."""
    records: dict[str, Record] = {}
    for number_, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        if len(line) > MOST_LINE:
            raise FactsError(f"{source}, line {number_}: {len(line):,} characters long; a "
                             f"build record is at most {MOST_LINE:,}")
        try:
            record = json.loads(line)
        except ValueError as error:
            raise FactsError(f"{source}, line {number_}: not JSON ({error})") from None
        problem = _record_problem(record)
        if problem:
            raise FactsError(f"{source}, line {number_}: {problem}")
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
        return f"{shown(value)} is not an ISO 8601 time"
    if moment > datetime.datetime.now(datetime.timezone.utc) + FUTURE_SLACK:
        return f"{shown(value)} is in the future"
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


def _held(record: Record) -> set[str]:
    return {name for name, value in record.items() if value not in ("", None)}


def kept_because(candidate: Record, existing: Record | None) -> str | None:
    """Why ``existing`` stays rather than ``candidate`` (None: the candidate replaces it): a
    record is replaced only by one recorded strictly later that holds every fact it holds."""
    if existing is None:
        return None
    if recorded_at(candidate) <= recorded_at(existing):
        return "the committed record is as new or newer"
    lacking = sorted(_held(existing) - _held(candidate))
    if lacking:
        return f"the newer record lacks {', '.join(lacking)}"
    return None


def merged(existing: dict[str, Record], incoming: Iterable[Record]) -> dict[str, Record]:
    """``existing`` with each incoming record added, unless the one it would replace stays
    (:func:`kept_because`)."""
    result = dict(existing)
    for record in incoming:
        if kept_because(record, result.get(record["python"])) is None:
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
