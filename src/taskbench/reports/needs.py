"""How long ``make bench`` takes, as the records say: the README's "What it needs and how long".

Only what a record holds is said: each full run in a machine's block log
(``results/<machine>/blocks.jsonl``, :mod:`taskbench.blocklog`) with the minutes of each of its
blocks, from the first block's phases (the exact counts, the clients, the replica when asked
for) to the last extra block. What the block log does not time (gathering the interpreters,
building ``.venv`` and the asv environments the first time, the merge, the README and the
site afterwards) is named as not recorded, never guessed.
"""

from __future__ import annotations

from pathlib import Path

from taskbench import blocklog
from taskbench.reports import markdown


def full_runs(results_dir: Path, machine: str) -> list[tuple[str, float, int]]:
    """Every full run in ``machine``'s block log, oldest first: (commit, minutes, blocks)."""
    try:
        records = blocklog.read(results_dir / machine / blocklog.BLOCKS_FILE)
    except blocklog.BlockLogError:
        return []
    runs = sorted((record for (_, env), record in records.items() if not env
                   and record.get("blocks")), key=lambda record: record["run"])
    # The phases (the exact counts, the clients), apart from the blocks since the runs in
    # phases, count as the run's time as the blocks do.
    return [(str(record["commit"]),
             sum(float(block.get("minutes", 0)) for block in record["blocks"])
             + sum(float(phase.get("minutes", 0)) for phase in record.get("phases") or []),
             len(record["blocks"])) for record in runs]


def _sentence(machine: str, runs: list[tuple[str, float, int]]) -> str:
    minutes = [f"{total:.1f}" for _, total, _ in runs]
    listed = minutes[0] if len(minutes) == 1 else \
        f"{', '.join(minutes[:-1])} and {minutes[-1]}"
    commits = ", ".join(f"`{commit[:8]}`" for commit, _, _ in runs)
    blocks = sorted({count for _, _, count in runs})
    return (f"On `{machine}` a full run's phases and blocks took {listed} minutes "
            f"({len(runs)} run{'s' if len(runs) > 1 else ''} in its block log, at {commits}; "
            f"{' or '.join(map(str, blocks))} blocks; the phases, the exact counts, the clients "
            "and, when asked for, the replica, ran in the first block in the older runs).")


def markdown_section(results_dir: Path, machines: list[str]) -> str | None:
    """The recorded durations of full runs, per machine; None where no block log has one."""
    parts = [_sentence(machine, runs) for machine in machines
             if (runs := full_runs(results_dir, machine))]
    if not parts:
        return None
    return markdown.document([" ".join(parts) + " Not recorded: gathering the interpreters "
                              "and building `.venv` and the asv environments the first time "
                              "(a first run also downloads Debian's packages), and the merge, "
                              "README and site after the blocks; `make bench` prints its own "
                              "estimate before it starts."])
