"""Build facts beside the results: ``results/<machine>/interpreters.jsonl``.

The main job records how each interpreter was built (see :mod:`taskbench.provision`), so that
a reader comparing two lines on the site can see whether they differ in version, in build
family, or both. The file is JSON lines, not ``.json``, because asv reads every ``*.json``
under a machine's folder as a results file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FACTS_FILE = "interpreters.jsonl"
FACT_COLUMNS = [
    ("python", "asv name"), ("version", "version"), ("implementation", "implementation"),
    ("source", "obtained from"), ("optimisation", "-O"), ("pgo", "PGO"), ("lto", "LTO"),
    ("jit", "JIT"), ("gil", "GIL"), ("c_asyncio", "C asyncio"), ("compiler", "compiler"),
]


class ResultsError(Exception):
    """A file under results/ cannot be read; the message names it."""


def read_facts(results_dir: Path) -> dict[str, list[dict[str, Any]]]:
    """Build facts per machine, from every ``results/<machine>/interpreters.jsonl``."""
    facts = {}
    for path in sorted(results_dir.glob(f"*/{FACTS_FILE}")):
        records = []
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as error:
                raise ResultsError(f"{path}, line {number}: not JSON ({error})") from None
            if not isinstance(record, dict) or "python" not in record:
                raise ResultsError(f"{path}, line {number}: no 'python' name")
            records.append(record)
        facts[path.parent.name] = records
    return facts
