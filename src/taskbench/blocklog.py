"""Which block each sample came from: ``results/<machine>/blocks.jsonl`` beside asv's files.

A run in interleaved blocks (:mod:`taskbench.jobs.blocks`) stores each figure's samples in
asv's results file, one per block it was measured in, in block order. Pairing two
interpreters by block needs to know which blocks those were, when an interpreter missed one.
One JSON object per line: for each commit and asv environment, the run it describes (the
results file's newest ``started_at``, so that a record never pairs another run's samples),
and for each figure (asv's name of one parameter combination) its blocks; and once per run,
with no environment, how long each block took and in which order it measured the
environments. JSON lines, not ``.json``, because asv reads every ``*.json`` under a machine's
folder as a results file. The merge combines copies with :func:`merged`: for each key, the
record of the newest run wins.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, Iterable

from taskbench import files

BLOCKS_FILE = "blocks.jsonl"
Record = Dict[str, Any]


class BlockLogError(Exception):
    """A block log cannot be read; the message names the file and the line."""


def key(record: Record) -> tuple[str, str]:
    """What a record is about: a commit, and an environment ("" for the run itself)."""
    return str(record["commit"]), str(record.get("env_name", ""))


def _checked(record: Any, source: str, number: int) -> Record:
    if not isinstance(record, dict) or not isinstance(record.get("commit"), str) or \
            not isinstance(record.get("run"), int):
        raise BlockLogError(f"{source}, line {number}: not a block record (commit, run)")
    figures = record.get("figures", {})
    if not isinstance(figures, dict) or not all(
            isinstance(blocks, list) and all(isinstance(b, int) and b >= 0 for b in blocks)
            for blocks in figures.values()):
        raise BlockLogError(f"{source}, line {number}: figures must map names to block numbers")
    return record


def parse(text: str, source: str) -> dict[tuple[str, str], Record]:
    """The records of one file's text by key, or BlockLogError naming the bad line."""
    records = {}
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                record = _checked(json.loads(line), source, number)
            except ValueError as error:
                raise BlockLogError(f"{source}, line {number}: not JSON ({error})") from None
            records[key(record)] = record
    return records


def read(path: Path) -> dict[tuple[str, str], Record]:
    """The records of ``path`` (none when it does not exist), or BlockLogError."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as error:
        raise BlockLogError(f"{path} cannot be read ({error})") from None
    return parse(text, str(path))


def merged(existing: dict[tuple[str, str], Record], incoming: Iterable[Record]
           ) -> dict[tuple[str, str], Record]:
    """``existing`` with each incoming record added, unless the existing one is of a newer
    run."""
    result = dict(existing)
    for record in incoming:
        current = result.get(key(record))
        if current is None or record["run"] >= current["run"]:
            result[key(record)] = record
    return result


def render(records: dict[tuple[str, str], Record]) -> str:
    return "".join(json.dumps(records[k], sort_keys=True) + "\n" for k in sorted(records))


def write(path: Path, records: Iterable[Record]) -> None:
    """Add ``records`` to the file at ``path`` atomically (BlockLogError: unreadable)."""
    files.write_text(path, render(merged(read(path), records)))


def blocks_of(records: dict[tuple[str, str], Record], commit: str, env_name: str,
              run: int) -> dict[str, list[int]] | None:
    """Each figure's blocks in one results file (``run``: its newest ``started_at``); None
    when no record describes that very run."""
    record = records.get((commit, env_name))
    if record is None or record["run"] != run:
        return None
    return {str(name): list(blocks) for name, blocks in record.get("figures", {}).items()}


def newest_run(records: dict[tuple[str, str], Record]) -> Record | None:
    """The record of the newest run in blocks itself (its blocks' order and minutes), or None
    when the log holds none."""
    runs = [record for (_, env), record in records.items() if env == "" and record.get("blocks")]
    return max(runs, key=lambda record: record["run"]) if runs else None
