"""Where each run ran and what it ran: ``results/<machine>/runs.jsonl`` beside asv's files.

One JSON object per run of one commit on one host: the commit, the host's name
(:func:`taskbench.host.host_id`, which asv's ``cpu`` field carries in the run's results files,
so that asv draws each host on a line of its own), the host's fingerprint, when it was
recorded, and the version of every interpreter the run had (``"3.15-debian": "3.15.2"``). The
build facts keep each interpreter's newest record only; this keeps every run's, so that the
site can say which host is which and name an interpreter's version at every point of its
history (a Debian package's new patch release is then a step with its version named). Results
files from before it carry no host and are shown as from an unknown host.

JSON lines, not ``.json``, because asv reads every ``*.json`` under a machine's folder as a
results file. The main job and the CI job call :func:`update`; the merge combines copies with
:func:`merged`: the runs of one commit on one host are one record, with the newest fingerprint
and each interpreter's newest version.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any, Dict, Iterable, Tuple

from taskbench import files
from taskbench.host import host_id
from taskbench.interpreters import facts
from taskbench.validity import FUTURE_SLACK

RUNS_FILE = "runs.jsonl"
Record = Dict[str, Any]
Key = Tuple[str, str]  # commit, host


class RunFactsError(Exception):
    """A run record cannot be read; the message names the file and the line."""


def key(record: Record) -> Key:
    return str(record["commit"]), str(record["host"])


def record(commit: str, fingerprint: dict[str, Any], versions: dict[str, str]) -> Record:
    """The record of a run of ``commit`` on the host ``fingerprint`` describes, now."""
    return facts.stamped({"commit": commit, "host": host_id(fingerprint),
                          "fingerprint": fingerprint, "versions": dict(versions)})


def _problem(record: Any) -> str | None:
    if not isinstance(record, dict):
        return "not a JSON object"
    for field in ("commit", "host"):
        if not isinstance(record.get(field), str) or not record[field]:
            return f"no {field!r}"
    if not isinstance(record.get("fingerprint", {}), dict):
        return "'fingerprint' is not an object"
    versions = record.get("versions", {})
    if not isinstance(versions, dict) or not all(
            isinstance(name, str) and isinstance(version, str)
            for name, version in versions.items()):
        return "'versions' must map interpreter names to versions"
    if not isinstance(record.get("recorded_at"), str):
        return "no 'recorded_at'"
    try:
        moment = facts.recorded_at(record)
    except ValueError:
        return f"recorded_at {record['recorded_at']!r} is not an ISO 8601 time"
    if moment > datetime.datetime.now(datetime.timezone.utc) + FUTURE_SLACK:
        return f"recorded_at {record['recorded_at']!r} is in the future"
    return None


def parse(text: str, source: str) -> dict[Key, Record]:
    """The records of one file's text by (commit, host), or RunFactsError naming the line."""
    records: dict[Key, Record] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            found = json.loads(line)
        except ValueError as error:
            raise RunFactsError(f"{source}, line {number}: not JSON ({error})") from None
        problem = _problem(found)
        if problem:
            raise RunFactsError(f"{source}, line {number}: not a run record ({problem})")
        records[key(found)] = found
    return records


def read(path: Path) -> dict[Key, Record]:
    """The records of ``path`` (none when it does not exist), or RunFactsError."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as error:
        raise RunFactsError(f"{path} cannot be read ({error})") from None
    return parse(text, str(path))


def _combined(older: Record, newer: Record) -> Record:
    return {**newer, "versions": {**older.get("versions", {}), **newer.get("versions", {})}}


def merged(existing: dict[Key, Record], incoming: Iterable[Record]) -> dict[Key, Record]:
    """``existing`` with each incoming record added: one record per commit and host, the
    newer one's fingerprint, and every interpreter's version from the newer that has it."""
    result = dict(existing)
    for found in incoming:
        current = result.get(key(found))
        if current is None:
            result[key(found)] = found
        elif facts.recorded_at(found) > facts.recorded_at(current):  # strictly newer
            result[key(found)] = _combined(current, found)
        else:
            result[key(found)] = _combined(found, current)
    return result


def render(records: dict[Key, Record]) -> str:
    """The file's text: one sorted JSON object per line, oldest run first."""
    ordered = sorted(records.values(), key=lambda r: (facts.recorded_at(r), key(r)))
    return "".join(json.dumps(r, sort_keys=True) + "\n" for r in ordered)


def update(path: Path, incoming: Iterable[Record]) -> None:
    """Add ``incoming`` to the file at ``path``, atomically (RunFactsError: unreadable)."""
    files.write_text(path, render(merged(read(path), incoming)))


def record_run(folder: Path, commit: str, fingerprint: dict[str, Any],
               build_facts: list[facts.Record]) -> None:
    """Write a run's build facts and its record (its host, its interpreters' versions) into
    the machine's ``folder`` of its results (FactsError, RunFactsError, OSError)."""
    facts.update(folder / facts.FACTS_FILE, build_facts)
    versions = {str(found["python"]): str(found.get("version", "unknown"))
                for found in build_facts}
    update(folder / RUNS_FILE, [record(commit, fingerprint, versions)])


def read_all(results_dir: Path) -> tuple[dict[str, list[Record]], list[str]]:
    """Every machine's run records, oldest first, and the files that could not be read."""
    by_machine: dict[str, list[Record]] = {}
    problems = []
    for path in sorted(results_dir.glob(f"*/{RUNS_FILE}")):
        try:
            records = read(path)
        except RunFactsError as error:
            problems.append(f"{error}; which host each run had is not shown. Restore it from "
                            "git or rerun `make bench`.")
            continue
        by_machine[path.parent.name] = sorted(
            records.values(), key=lambda r: (facts.recorded_at(r), key(r)))
    return by_machine, problems
