"""The history a reader wants: which host each run had, and each interpreter's exact counts
over time with the interpreter's version at every point.

asv draws each host on a line of its own (asv's ``cpu`` field names the host, docs/hosts.md),
but its graphs name neither the hosts nor the interpreters' patch versions. Both are in the
records beside the results: the run records (:mod:`taskbench.runfacts`) hold every run's host
fingerprint and versions, and the build facts the newest run's versions. So this page says,
per machine, which host is which (:func:`hosts_table`), and shows the instructions per task of
the classic cycle at every run, the same on every host since the counts were pinned
(:mod:`taskbench.workloads.countenv`), with each interpreter's version named where it first
appears and wherever it changes (:func:`counts_table`, :func:`counts_chart`): a new Debian
package is then a step with its version beside it.

A run without a record is from an unknown host; its versions are known only where the build
facts were recorded for that very run (after the run before it, before its last figure).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from taskbench.asvadapter.results import Figure
from taskbench.catalogue import CLASSIC_SPAWN, INSTRUCTIONS
from taskbench.host import UNKNOWN, describe, named_host
from taskbench.interpreters import facts
from taskbench.interpreters.names import interpreter_order
from taskbench.reports.views import MARKS, Cell, Table, label, number

UNKNOWN_HOST_ROW = "unknown"
Run = tuple[int, str]  # commit date, commit: a run of one commit on one machine, in order


@dataclass(frozen=True)
class Point:
    """One interpreter's count at one run, with its version where the records say it."""

    run: Run
    started: int  # the newest start of the run's figures (ms since the epoch)
    value: float
    version: str | None
    current: bool  # counted as the catalogue counts now (else an earlier method)


def _counts(figures: Iterable[Figure], machine: str) -> dict[str, dict[Run, Figure]]:
    found: dict[str, dict[Run, Figure]] = defaultdict(dict)
    for f in figures:
        if f.machine == machine and f.benchmark == INSTRUCTIONS.name and \
                f.params == CLASSIC_SPAWN and f.value is not None:
            found[f.environment][(f.date, f.commit)] = f
    return found


def _facts_version(record: facts.Record | None, started: int, previous: int | None
                   ) -> str | None:
    """The build facts' version when they were recorded for the run whose figures started
    last at ``started`` (after the run before it, at ``previous``)."""
    if record is None or "recorded_at" not in record:
        return None
    moment = facts.recorded_at(record).timestamp() * 1000
    after = previous if previous is not None else float("-inf")
    return str(record.get("version")) if after < moment <= started else None


def history(figures: Sequence[Figure], machine: str, runs: Sequence[dict[str, Any]],
            newest_facts: Sequence[facts.Record]) -> dict[str, list[Point]]:
    """Every interpreter's counts on ``machine``, oldest run first, with versions."""
    by_run = {(r["commit"], r["host"]): r.get("versions", {}) for r in runs}
    by_python = {str(r["python"]): r for r in newest_facts}
    found: dict[str, list[Point]] = {}
    for env, points in _counts(figures, machine).items():
        ordered = sorted(points, key=lambda run: (points[run].run_started, run))
        series = []
        for n, run in enumerate(ordered):
            f = points[run]
            version = by_run.get((f.commit, named_host(f.cpu) or ""), {}).get(f.python)
            if version is None:
                version = _facts_version(by_python.get(f.python), f.run_started,
                                         points[ordered[n - 1]].run_started if n else None)
            series.append(Point(run, f.run_started, f.value or 0.0, version, f.current))
        found[env] = series
    return found


def _column(run: Run, hosts: dict[str, str | None]) -> str:
    import datetime

    day = datetime.datetime.fromtimestamp(run[0] / 1000, datetime.timezone.utc)
    return f"{run[1][:8]} {day:%Y-%m-%d} ({hosts.get(run[1]) or 'unknown host'})"


def _runs(found: dict[str, list[Point]]) -> list[Run]:
    """Every run, in the order they were made."""
    first: dict[Run, int] = {}
    for points in found.values():
        for p in points:
            first[p.run] = min(first.get(p.run, p.started), p.started)
    return sorted(first, key=lambda run: (first[run], run))


def counts_table(found: dict[str, list[Point]], hosts: dict[str, str | None]) -> Table:
    """Interpreters by run: the count, and the version where it first shows or changes."""
    runs = _runs(found)
    rows = []
    for env in sorted(found, key=interpreter_order):
        by_run = {p.run: p for p in found[env]}
        row, shown = [label(env)], None
        for run in runs:
            point = by_run.get(run)
            if point is None:
                row.append(Cell("", "na"))
                continue
            text = number(point.value)
            kind, title = ("older", MARKS["older"][1]) if not point.current else ("", "")
            if point.version is not None and point.version != shown:
                if shown is not None:
                    kind, title = "real", f"the interpreter changed from {shown}"
                text += f" ({point.version})"
                shown = point.version
            row.append(Cell(text, kind, title))
        rows.append(row)
    return Table(
        "count-history", f"Instructions per task of {' on '.join(CLASSIC_SPAWN)} at every run",
        ["interpreter", *(_column(run, hosts) for run in runs)], rows,
        notes=["Counted by valgrind, on any host alike since the count pins glibc's functions "
               f"and the interpreter's paths (benchmark version {INSTRUCTIONS.version}); "
               "earlier counts (†) moved with the host by up to about 1%. In brackets: the "
               "interpreter's version where it first shows and where it changes (bold: a new "
               "version, a step of the interpreter's, not of this suite's code); none where "
               "the run recorded none."])


def hosts_table(figures: Sequence[Figure], machine: str, runs: Sequence[dict[str, Any]]
                ) -> Table:
    """Which host is which on ``machine``: each one's fingerprint and the runs it had."""
    commits: dict[str | None, set[tuple[int, str]]] = defaultdict(set)
    for f in figures:
        if f.machine == machine:
            commits[named_host(f.cpu)].add((f.date, f.commit))
    prints = {r["host"]: r.get("fingerprint", {}) for r in runs}
    for r in runs:
        commits.setdefault(r["host"], set())
    rows = []
    for host in sorted(commits, key=lambda h: (h is not None, min(commits[h], default=(0,)))):
        measured = sorted(commits[host])
        span = (f"{len(measured)}: {measured[0][1][:8]} to {measured[-1][1][:8]}"
                if measured else "0")
        if host is None:
            what = "recorded before hosts were: its runs are drawn on lines of their own"
        else:
            what = describe(prints[host]) if prints.get(host) else f"fingerprint {UNKNOWN}"
        rows.append([label(host or UNKNOWN_HOST_ROW), Cell(what), Cell(span)])
    return Table("hosts", f"The hosts of {machine}", ["host", "what it is", "commits measured"],
                 rows, notes=["A host is named by what decides its speed: CPU model, family, "
                              "model and stepping, the features that decide which code runs, "
                              "caches, CPU count, kernel and whether it is virtual. asv draws "
                              "each host on lines of its own, and lists regressions within one "
                              "host only."], sentences=(1, 2))


def counts_chart(found: dict[str, list[Point]], machine: str) -> str:
    """The counts as an SVG line chart: one line per interpreter over the runs, broken where
    the counting method changed, each version written where it first shows and changes."""
    from taskbench.reports.charts import (
        NOTE_SIZE,
        SMALL_SIZE,
        TEXT_SIZE,
        WIDTH,
        blank_figure,
        svg_document,
    )
    from taskbench.reports.chartstyle import look

    runs = _runs(found)
    where = {run: n for n, run in enumerate(runs)}
    drawing = blank_figure(WIDTH, 5.0)
    axes = drawing.add_subplot()
    for env in sorted(found, key=interpreter_order):
        style, shown = look(env), None
        segments: list[list[Point]] = []
        for point in found[env]:
            if not segments or segments[-1][-1].current != point.current:
                segments.append([])
            segments[-1].append(point)
        for n, segment in enumerate(segments):
            axes.plot([where[p.run] for p in segment], [p.value for p in segment],
                      color=style.colour, linestyle=style.linestyle, marker=style.marker,
                      markersize=4, linewidth=1.2, label=env if n == 0 else None)
        for point in found[env]:
            if point.version is not None and point.version != shown:
                axes.annotate(point.version, (where[point.run], point.value), fontsize=NOTE_SIZE,
                              xytext=(3, 3), textcoords="offset points", color=style.colour)
                shown = point.version
    axes.set_xticks(range(len(runs)), [run[1][:8] for run in runs], fontsize=SMALL_SIZE,
                    rotation=30)
    axes.set_ylabel("instructions per task (lower is cheaper)", fontsize=TEXT_SIZE)
    axes.set_title(f"{machine}: instructions per task of {' on '.join(CLASSIC_SPAWN)} at "
                   "every run, with each interpreter's version", fontsize=TEXT_SIZE)
    axes.tick_params(labelsize=SMALL_SIZE)
    axes.grid(True, color="#e0e0e0", linewidth=0.6)
    if found:
        axes.legend(fontsize=NOTE_SIZE, ncol=2, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return svg_document(drawing)
