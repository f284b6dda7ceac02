"""How far the headline figures move from one run to the next: the precision records, read.

A record (``precision/<machine>-<commits>.json``, written by :mod:`taskbench.jobs.precision`)
pairs every classic-table figure of two runs on one machine. Its summary, over the classic
table's rows: how far the second run's tasks/s lie from the first's (median and worst), the
share of CPython figures within ±2%, and how many pairs are consistent with the intervals
shown (each run's median inside the other run's 99% interval). Records written before
figures had intervals are shown without that column.
"""

from __future__ import annotations

import json
import math
import statistics
from pathlib import Path
from typing import Any, Dict

from taskbench.catalogue import CLASSIC_COUNTS
from taskbench.interpreters.names import held_to_precision, interpreter_order
from taskbench.reports import markdown, precision_model, precision_runs
from taskbench.reports.cells import Cell, Table, label

PRECISION_DIR = Path("precision")
TARGET_PERCENT = 2.0
REPLICA_TARGET_PERCENT = 10.0
Record = Dict[str, Any]


class PrecisionError(Exception):
    """A precision record cannot be read or made; the message says which and what to do."""


def _rate(value: Any) -> float:
    number = float(value)
    if not math.isfinite(number) or number <= 0:
        raise ValueError(f"{value!r} is not a positive rate")
    return number


def _names(value: Any, what: str) -> list[str]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{what} is not a list of names")
    return value


def _checked(record: Any) -> Record:
    """The record with its numbers converted, or ValueError/KeyError/TypeError saying why."""
    if not isinstance(record, dict):
        raise ValueError("not a precision record")
    if not isinstance(record["machine"], str):
        raise ValueError("machine is not a name")
    _names(record["commits"], "commits")
    if record.get("kind") == "blocks":  # its interpreters are named in each run's figures
        return _checked_runs(record)
    if record.get("kind") == "model":
        return precision_model.checked(record)
    _names(record["pythons"], "pythons")
    if record.get("kind") == "replica-check":
        int(record["rounds"])
        if not isinstance(record["rows"], list) or not record["rows"]:
            raise ValueError("rows is not a list of rows")
        for row in record["rows"]:
            row["count"], row["interpreter"] = int(row["count"]), str(row["interpreter"])
            for key in ("script", "replica"):
                if not isinstance(row[key], list) or not row[key]:
                    raise ValueError(f"{key} is not a list of rates")
                row[key] = [_rate(value) for value in row[key]]
        return record
    if not isinstance(record.get("pairs"), list):
        raise ValueError("not a precision record")
    for pair in record["pairs"]:
        pair["count"], pair["interpreter"] = int(pair["count"]), str(pair["interpreter"])
        pair["first"], pair["second"] = _rate(pair["first"]), _rate(pair["second"])
    return record


def _checked_runs(record: Record) -> Record:
    runs = record["runs"]
    if not isinstance(runs, list) or len(runs) != 2:
        raise ValueError("runs is not a pair of runs")
    for run in runs:
        if not isinstance(run["commit"], str) or not isinstance(run["figures"], list):
            raise ValueError("a run needs a commit and figures")
        for figure in run["figures"]:
            for key in ("value", "low", "high"):
                figure[key] = _rate(figure[key])
            if not figure["low"] <= figure["value"] <= figure["high"]:
                raise ValueError(f"{figure['figure']}: its value lies outside its interval")
        for found in run.get("cost_model", {}).values():
            # Instructions per task; before 2026-12, the retired weighted sum.
            counted = "instructions" if "instructions" in found else "estimated_cycles"
            found[counted], found["seconds"] = _rate(found[counted]), _rate(found["seconds"])
    return record


def read_records(directory: Path = PRECISION_DIR) -> list[Record]:
    """Every record in ``directory``, or PrecisionError naming a file that cannot be read."""
    records = []
    for path in sorted(directory.glob("*.json")):
        try:
            records.append(_checked(json.loads(path.read_text(encoding="utf-8"))))
        except (OSError, ValueError, TypeError, KeyError) as error:
            raise PrecisionError(f"{path} cannot be read ({type(error).__name__}: {error}); "
                                 "restore it from git or measure again") from None
    return records


def _inside(value: float, interval: Any) -> bool | None:
    if not isinstance(interval, list) or len(interval) != 2:
        return None
    return bool(interval[0] <= value <= interval[1])


def consistent(pair: Record) -> bool | None:
    """Each run's median inside the other's interval; None when the pair has no intervals."""
    first = _inside(pair["second"], pair.get("first_interval"))
    second = _inside(pair["first"], pair.get("second_interval"))
    if first is None or second is None:
        return None
    return first and second


def summarise(pairs: list[Record]) -> dict[str, Any]:
    """Distances of second/first from 1 (percent) over the classic rows, and the targets."""
    headline = [pair for pair in pairs if pair["count"] in CLASSIC_COUNTS]
    deviations = [abs(pair["second"] / pair["first"] - 1) * 100 for pair in headline]
    cpython = [abs(p["second"] / p["first"] - 1) * 100 for p in headline
               if held_to_precision(str(p["interpreter"]))]
    judged = [consistent(pair) for pair in headline]
    with_intervals = [flag for flag in judged if flag is not None]
    return {
        "figures": len(deviations),
        "median_percent": round(statistics.median(deviations), 2) if deviations else None,
        "worst_percent": round(max(deviations), 2) if deviations else None,
        "cpython_figures": len(cpython),
        "cpython_within_target": sum(1 for d in cpython if d <= TARGET_PERCENT),
        "with_intervals": len(with_intervals),
        "consistent": sum(1 for flag in with_intervals if flag),
    }


def _sentence(record: Record, summary: dict[str, Any]) -> str:
    commits = " and ".join(f"`{commit[:8]}`" for commit in record["commits"])
    which = "commits" if len(record["commits"]) > 1 else "both at commit"
    text = (f"On `{record['machine']}` ({which} {commits}), two back-to-back runs of "
            f"`Throughput` on {', '.join(record['pythons'])}: over {summary['figures']} "
            f"figures of the classic table, the second run's tasks/s differ from the first's "
            f"by a median of {summary['median_percent']}% and at worst "
            f"{summary['worst_percent']}%.")
    if summary["cpython_figures"]:
        share = 100 * summary["cpython_within_target"] / summary["cpython_figures"]
        text += (f" On CPython, {summary['cpython_within_target']} of "
                 f"{summary['cpython_figures']} ({share:.0f}%) lie within "
                 f"±{TARGET_PERCENT:.0f}%.")
    if summary["with_intervals"]:
        text += (f" {summary['consistent']} of {summary['with_intervals']} pairs are "
                 "consistent with their intervals (each run's median inside the other's "
                 "99% interval).")
    else:
        text += " These runs kept no samples, so there are no intervals to hold them against."
    return text


def ratio_table(record: Record) -> Table:
    ratios: dict[tuple[str, int], Record] = {(p["interpreter"], p["count"]): p
                                             for p in record["pairs"]}
    counts = [count for count in CLASSIC_COUNTS if any(c == count for _, c in ratios)]
    interpreters = sorted({name for name, _ in ratios}, key=interpreter_order)
    rows = []
    for name in interpreters:
        cells = [label(name)]
        for count in counts:
            pair = ratios.get((name, count))
            if pair is None:
                cells.append(Cell("-", "na"))
                continue
            flag = consistent(pair)
            text = f"{pair['second'] / pair['first']:.3f}"
            cells.append(Cell(text + (" ✗" if flag is False else ""),
                              "noise" if flag is False else ""))
        rows.append(cells)
    return Table("precision", "Second run's tasks/s over the first's",
                 ["interpreter", *(f"{count:,}" for count in counts)], rows,
                 ["✗: a median outside the other run's interval."]
                 if any(consistent(p) is False for p in record["pairs"]) else [])


def replica_check(record: Record) -> list[str]:
    """A replica check: the sentence and the table of the replica's rows over the script's."""
    rows = record["rows"]
    ratios = {(row["interpreter"], row["count"]):
              statistics.median(row["replica"]) / statistics.median(row["script"])
              for row in rows}
    deviations = [abs(ratio - 1) * 100 for ratio in ratios.values()]
    text = (f"On `{record['machine']}` (commit `{record['commits'][0][:8]}`), the post's program "
            f"and the replica (`python -m taskbench --replica`), run alternately "
            f"{record['rounds']} times each on {', '.join(record['pythons'])}: the replica's "
            f"median tasks/s differ from the program's by a median of "
            f"{statistics.median(deviations):.2f}% and at worst {max(deviations):.2f}% over "
            f"{len(ratios)} rows (the target: within ±{REPLICA_TARGET_PERCENT:.0f}%).")
    counts = sorted({count for _, count in ratios})
    interpreters = sorted({name for name, _ in ratios}, key=interpreter_order)
    table = Table("replica-check", "The replica's tasks/s over the post's program's",
                  ["interpreter", *(f"{count:,}" for count in counts)],
                  [[label(name)] + [Cell(f"{ratios[(name, count)]:.3f}")
                                    if (name, count) in ratios else Cell("-", "na")
                                    for count in counts] for name in interpreters])
    return [text, markdown.table(table)]


def markdown_section(directory: Path = PRECISION_DIR) -> str:
    """The README's precision section: per record, the summary and the ratios."""
    parts = []
    for record in read_records(directory):
        if record.get("kind") == "blocks":
            parts += precision_runs.section(record)
            continue
        if record.get("kind") == "model":
            parts += precision_model.section(record)
            continue
        if record.get("kind") == "replica-check":
            parts += replica_check(record)
            continue
        parts.append(_sentence(record, summarise(record["pairs"])))
        parts.append(markdown.table(ratio_table(record)))
    if not parts:
        return "No precision record yet: run `python -m taskbench.jobs.precision`.\n"
    return markdown.document(parts)
