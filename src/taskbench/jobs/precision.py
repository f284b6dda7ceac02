"""How far the figures move between full runs, and how well they decide: a precision record.

``--from-results A B [C ...]`` takes two or more runs already in ``results/`` (at those
commits, on one machine, ``--machine`` to choose; ``--labels`` says how each was made, such
as ``quiet`` or ``burst``) and records, for each, what the views would show: every figure of
the classic cycle with its 95% interval from the run's model (its log standard error too),
the values the model set aside, every version step's verdict in the engine's words, the
instructions per task beside the headline timing, and how long the run took. The record
goes to ``precision/<machine>-<A>-<B>[-<C>...].json``, written atomically; ``make readme``
summarises every record (:mod:`taskbench.reports.precision`): the intervals against their
targets, the steps decided in each run and how the runs agree, and the calibration of the
absolute figures with its run effect.

Usage::

    python -m taskbench.jobs.precision --from-results 144559e9 0eb9c8a3 1a2b3c4d \\
        --labels quiet quiet burst
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
from pathlib import Path
from typing import Any, Sequence

from taskbench import arguments, blocklog, files
from taskbench.asvadapter.config import ConfigError, results_dir
from taskbench.catalogue import CLASSIC_SPAWN, INSTRUCTIONS
from taskbench.jobs import machine as machines
from taskbench.reports import inference
from taskbench.reports.classic import HEADLINE, STEPS_AT, TABLE_ROWS, judge_steps, kind_of, steps
from taskbench.reports.precision import PRECISION_DIR, PrecisionError
from taskbench.reports.views import Index, read_index


def _spread_percent(samples: Sequence[float] | None) -> float | None:
    """The standard deviation of a figure's per-process values, in percent (on logs)."""
    if not samples or len(samples) < 2:
        return None
    return 100 * statistics.stdev(math.log(value) for value in samples)


def _figures(index: Index, machine: str) -> list[dict[str, Any]]:
    """Every figure of the classic cycle with its interval: from the run's model (with the
    log standard error and degrees of freedom the calibration needs), else its own."""
    found = []
    for entry, count in TABLE_ROWS:
        model = index.model(machine, entry, count)
        for env in index.environments(machine, [entry]):
            figure, est = index.get(machine, env, entry, count), \
                index.estimate(machine, env, entry, count)
            if figure is None or est is None or est.low is None or est.high is None:
                continue
            level = model.log_level(env) if model and env in model.series else None
            found.append({"figure": entry.call_name((count,)), "kind": kind_of(entry, count),
                          "interpreter": env, "value": est.value, "low": est.low,
                          "high": est.high, "processes": len(figure.samples or ()),
                          "spread_percent": _spread_percent(figure.samples),
                          "log_error": None if level is None else level.error,
                          "freedom": None if level is None else level.freedom,
                          "set_aside": [] if model is None else [
                              {"block": a.block, "excess": round(a.excess, 4)}
                              for a in model.set_aside if a.series == env]})
    return found


def _steps(index: Index, machine: str) -> list[dict[str, Any]]:
    pairs = steps(index.environments(machine, [entry for entry, _ in STEPS_AT]))
    found = []
    for entry, count in STEPS_AT:
        judged = judge_steps(index, machine, [(a, b) for a, b, _ in pairs], entry, count)
        for (a, b, what), verdict in zip(pairs, judged):
            found.append({"pair": f"{a} → {b}", "what": what,
                          "figure": entry.call_name((count,)),
                          "outcome": "n/a" if verdict is None else verdict.outcome if
                          verdict.paired else "unpaired",
                          "speedup": None if verdict is None else [
                              verdict.speedup.value, verdict.speedup.low,
                              verdict.speedup.high],
                          "words": None if verdict is None else inference.words(verdict)})
    return found


def _cost_model(index: Index, machine: str) -> dict[str, dict[str, float]]:
    entry, count = HEADLINE
    found: dict[str, dict[str, float]] = {}
    for env in index.environments(machine, [INSTRUCTIONS]):
        instructions = index.value(machine, env, INSTRUCTIONS, *CLASSIC_SPAWN)
        timing = index.estimate(machine, env, entry, count)
        if instructions is not None and timing is not None:
            found[env] = {"instructions": instructions, "seconds": timing.value}
    return found


def _minutes(folder: Path, machine: str, commit: str) -> dict[str, Any]:
    try:
        records = blocklog.read(folder / machine / blocklog.BLOCKS_FILE)
    except blocklog.BlockLogError as error:
        raise PrecisionError(str(error)) from None
    run = next((record for (found, env), record in records.items()
                if found.startswith(commit) and env == ""), None)
    if run is None:
        return {}
    blocks = run.get("blocks", [])
    return {"blocks": len(blocks),
            "extra_blocks": sum(1 for b in blocks if b.get("stage") == "extra"),
            "block_minutes": round(sum(b.get("minutes", 0) for b in blocks), 1),
            "phase_minutes": round(sum(p.get("minutes", 0) for p in run.get("phases", [])), 1),
            "seed": run.get("seed"),
            "references": [b["reference"] for b in blocks if "reference" in b]}


def run_record(folder: Path, machine: str, commit: str) -> dict[str, Any]:
    """What one run in ``folder`` at ``commit`` shows on ``machine``."""
    index, problems = read_index(folder, commit)
    if problems:
        raise PrecisionError("; ".join(problems))
    figures = _figures(index, machine)
    if not figures:
        raise PrecisionError(f"no figure of the classic cycle with an interval at {commit!r} "
                             f"on {machine}: check the commit and --machine")
    return {"commit": next(iter({f.commit for f in _commit_figures(index, machine)})),
            "figures": figures, "steps": _steps(index, machine),
            "cost_model": _cost_model(index, machine), **_minutes(folder, machine, commit)}


def _commit_figures(index: Index, machine: str) -> list[Any]:
    entry, count = HEADLINE
    return [figure for env in index.environments(machine, [entry])
            if (figure := index.get(machine, env, entry, count)) is not None]


def write_record(folder: Path, machine: str, commits: Sequence[str],
                 directory: Path = PRECISION_DIR, labels: Sequence[str] = ()) -> Path:
    """Record the runs side by side (``labels`` say how each was made: ``quiet``, or
    ``burst`` for a run with interference made on purpose); return the record's path."""
    if len(commits) < 2 or len(set(commits)) != len(commits) or any(
            not commit.strip() for commit in commits):
        raise PrecisionError("give two or more different commits (a prefix of each is enough)")
    labels = list(labels) or ["quiet"] * len(commits)
    if len(labels) != len(commits):
        raise PrecisionError(f"{len(labels)} labels for {len(commits)} runs: give one each")
    runs = [{**run_record(folder, machine, commit), "label": label}
            for commit, label in zip(commits, labels)]
    record = {"kind": "model", "machine": machine,
              "commits": [run["commit"] for run in runs], "runs": runs}
    target = directory / f"{machine}-{'-'.join(run['commit'][:8] for run in runs)}.json"
    files.write_text(target, json.dumps(record, indent=1, sort_keys=True) + "\n")
    return target


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m taskbench.jobs.precision", description=__doc__.split("\n\n")[0],
        epilog="Exit status: 0 when a record was written, 2 when none could be.")
    parser.add_argument("--from-results", nargs="+", required=True, metavar="COMMIT",
                        help="two or more runs already in the results folder")
    parser.add_argument("--labels", nargs="+", default=[], metavar="LABEL",
                        help="how each run was made, in the same order (quiet, burst); "
                             "default: quiet")
    parser.add_argument("--machine", default=None,
                        help="the machine (default: this one's name)")
    parser.add_argument("--results", type=arguments.path, default=None,
                        help="the results folder (default: asv.conf.json's results_dir)")
    args = parser.parse_args(argv)
    try:
        machine = args.machine or machines.details()["machine"]
        target = write_record(args.results or results_dir(), machine, args.from_results,
                              labels=args.labels)
    except (PrecisionError, ConfigError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"wrote {target}; `make readme` shows it")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
