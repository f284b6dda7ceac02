"""Which block each sample came from: ``results/<machine>/blocks.jsonl`` beside asv's files.

A run in interleaved blocks (:mod:`taskbench.jobs.blocks`) stores each figure's samples in
asv's results file, one per block it was measured in, in block order. Pairing two
interpreters by block needs to know which blocks those were, when an interpreter missed one.
One JSON object per line: for each commit and asv environment, the run it describes (the
results file's newest ``started_at``, so that a record never pairs another run's samples),
and for each figure (asv's name of one parameter combination) its blocks; and once per run,
with no environment, how long each block took and in which order it measured the
environments. JSON lines, not ``.json``, because asv reads every ``*.json`` under a machine's
folder as a results file. The merge combines copies with :func:`merged`: for each key, a
record is replaced only by the record of a strictly newer run (:func:`kept_because`), and
the merge lets a record in only with the results file it describes.

Every line is checked before it is used (:func:`parse`): a commit as git writes it
(lowercase hex), a run id that is a time after the epoch and no later than a day from now (a
run dated in the year 3000 would stay "newest" for good), an environment name that is a plain
name, block numbers that are whole and not negative, and blocks whose minutes are above 0.
Keys this module does not know are kept as they are: a newer writer may add some.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Dict, Iterable

from taskbench import files
from taskbench.validity import moment_problem, number, shown

BLOCKS_FILE = "blocks.jsonl"
Record = Dict[str, Any]


class BlockLogError(Exception):
    """A block log cannot be read; the message names the file and the line."""


def key(record: Record) -> tuple[str, str]:
    """What a record is about: a commit, and an environment ("" for the run itself)."""
    return str(record["commit"]), str(record.get("env_name", ""))


_COMMIT = re.compile(r"[0-9a-f]+")
_ENVIRONMENT = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.+-]*")


def _block_number(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _blocks_problem(blocks: Any) -> str | None:
    """Why a run's list of blocks is not one (an order of environments, minutes above 0)."""
    if not isinstance(blocks, list):
        return f"blocks are {shown(blocks)}, not a list"
    for index, block in enumerate(blocks, 1):
        if not isinstance(block, dict):
            return f"block {index} is {shown(block)}, not a block"
        order = block.get("order", [])
        if not isinstance(order, list) or not all(isinstance(env, str) for env in order):
            return f"block {index}'s order {shown(order)} is not a list of environments"
        minutes = number(block.get("minutes"))
        if minutes is None or minutes <= 0:
            return f"block {index} took {shown(block.get('minutes'))} minutes, which no " \
                   "block can take"
    return None


def record_problem(record: Any) -> str | None:
    """Why ``record`` is not a block record (see the module docstring), or None."""
    if not isinstance(record, dict) or not isinstance(record.get("commit"), str) or \
            "run" not in record:
        return "not a block record (commit, run)"
    if not _COMMIT.fullmatch(record["commit"]):
        return f"commit {shown(record['commit'])} is not git's (lowercase hex)"
    problem = moment_problem(record["run"])
    if problem:
        return f"run {problem}"
    env_name = record.get("env_name", "")
    if not isinstance(env_name, str) or (env_name and not _ENVIRONMENT.fullmatch(env_name)):
        return f"environment {shown(env_name)} is not a plain name"
    figures = record.get("figures", {})
    if not isinstance(figures, dict) or not all(
            isinstance(blocks, list) and all(_block_number(b) for b in blocks)
            for blocks in figures.values()):
        return "figures must map names to block numbers"
    return _blocks_problem(record["blocks"]) if "blocks" in record else None


def parse(text: str, source: str) -> dict[tuple[str, str], Record]:
    """The records of one file's text by key, or BlockLogError naming the bad line."""
    records = {}
    for line_number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                record = json.loads(line)
            except ValueError as error:
                raise BlockLogError(f"{source}, line {line_number}: not JSON ({error})"
                                    ) from None
            problem = record_problem(record)
            if problem:
                raise BlockLogError(f"{source}, line {line_number}: {problem}")
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


def kept_because(candidate: Record, existing: Record | None) -> str | None:
    """Why ``existing`` stays rather than ``candidate`` (None: the candidate replaces it):
    only the record of a strictly newer run replaces one."""
    if existing is None or candidate["run"] > existing["run"]:
        return None
    return "the committed record is of the same run or a newer one"


def merged(existing: dict[tuple[str, str], Record], incoming: Iterable[Record]
           ) -> dict[tuple[str, str], Record]:
    """``existing`` with each incoming record added, unless the one it would replace stays
    (:func:`kept_because`)."""
    result = dict(existing)
    for record in incoming:
        if kept_because(record, result.get(key(record))) is None:
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
