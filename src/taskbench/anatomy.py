"""Why a task costs what it costs, per interpreter, from results/: the README's findings.

For each machine and interpreter, at the newest commit each has:

* tasks/s of each spawn API on asyncio's loop and on uvloop (``SpawnAPI``);
* nanoseconds per task of the classic cycle, of the floor (a coroutine awaited directly, a
  ``call_soon`` callback), and the task's overhead above the ``await`` floor;
* the garbage collector's share of the cycle's CPU time, 1 - (rate with it) / (rate without);
* bytes per pending task (tracemalloc);
* the message pump's widgets/s, and Textual's tasks per widget with their share of start-up.

Usage::

    python -m taskbench.anatomy                        # the findings, as Markdown
    python -m taskbench.anatomy --update-readme README.md
"""

from __future__ import annotations

import argparse
import html
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from taskbench.render import new_chart, replace_block, svg_document
from taskbench.results import Measurement, interpreter_order, latest, load_results

SPAWN = "bench_spawn_api.SpawnAPI.track_tasks_per_second"
THROUGHPUT = "bench_create_wait.Throughput.track_tasks_per_second"
SPREAD = "bench_create_wait.Throughput.track_spread_percent"
WITHOUT_GC = "bench_gc.WithoutGC.track_tasks_per_second"
FLOOR = "bench_floor.Floor.track_calls_per_second"
PUMP = "bench_clients.MessagePump.track_widgets_per_second"
TEXTUAL_TASKS = "bench_clients.TextualStartup.track_tasks_per_widget"
TEXTUAL_SHARE = "bench_clients.TextualStartup.track_task_share_percent"
BYTES_PER_TASK = "bench_create_wait.MemoryPerTask.track_bytes_per_task"

# The count the per-task figures are read at: the classic table's first row.
COUNT = "100000"
PUMP_COUNT = "10000"
GC_COUNTS = ("1000", "100000", "500000")
TEXTUAL_WIDGETS = "1000"
README_BEGIN, README_END = "<!-- findings:begin -->", "<!-- findings:end -->"
NOT_MEASURED = "n/a"


def plain(parameter: str) -> str:
    """A parameter as asv stores it (``"'gather'"``) without its quotes."""
    return parameter[1:-1] if parameter[:1] == parameter[-1:] == "'" else parameter


@dataclass
class Figures:
    """One interpreter's anatomy on one machine, each value None where it was not measured."""

    spawn: dict[tuple[str, str], float | None]  # (api, loop) -> tasks/s at COUNT
    gc_share: dict[str, float | None]  # count -> fraction of CPU time
    task_ns: float | None
    await_ns: float | None
    call_soon_ns: float | None
    bytes_per_task: float | None
    pump_per_second: float | None
    textual_tasks_per_widget: float | None
    textual_task_share: float | None  # percent

    @property
    def overhead_ns(self) -> float | None:
        if self.task_ns is None or self.await_ns is None:
            return None
        return self.task_ns - self.await_ns


def _ns(rate: float | None) -> float | None:
    return 1e9 / rate if rate else None


def figures_by_environment(measurements: list[Measurement], machine: str,
                           ) -> dict[str, Figures]:
    """The anatomy of every interpreter with results on ``machine``."""
    values: dict[tuple[str, str, tuple[str, ...]], float | None] = {}
    for m in measurements:
        if m.machine == machine:
            values[(m.environment, m.benchmark, tuple(plain(p) for p in m.params))] = m.value
    environments = {env for env, benchmark, _ in values
                    if benchmark in (SPAWN, WITHOUT_GC, FLOOR, PUMP, TEXTUAL_TASKS)}
    apis = [params[0] for (_, benchmark, params) in values if benchmark == SPAWN]
    loops = [params[1] for (_, benchmark, params) in values if benchmark == SPAWN]
    figures = {}
    for env in environments:
        def get(benchmark: str, *params: str, env: str = env) -> float | None:
            return values.get((env, benchmark, params))

        gc_share: dict[str, float | None] = {}
        for count in GC_COUNTS:
            enabled, disabled = get(THROUGHPUT, count), get(WITHOUT_GC, count)
            gc_share[count] = 1 - enabled / disabled if enabled and disabled else None
        figures[env] = Figures(
            spawn={(api, loop): get(SPAWN, api, loop, COUNT)
                   for api in dict.fromkeys(apis) for loop in dict.fromkeys(loops)},
            gc_share=gc_share,
            task_ns=_ns(get(SPAWN, "create_task+wait", "asyncio", COUNT)),
            await_ns=_ns(get(FLOOR, "await", COUNT)),
            call_soon_ns=_ns(get(FLOOR, "call_soon", COUNT)),
            bytes_per_task=get(BYTES_PER_TASK, COUNT),
            pump_per_second=get(PUMP, PUMP_COUNT),
            textual_tasks_per_widget=get(TEXTUAL_TASKS, TEXTUAL_WIDGETS),
            textual_task_share=get(TEXTUAL_SHARE, TEXTUAL_WIDGETS),
        )
    return figures


def _number(value: float | None, scale: float = 1, digits: int = 0, suffix: str = "") -> str:
    if value is None:
        return NOT_MEASURED
    return f"{value / scale:,.{digits}f}{suffix}"


def _percent(value: float | None) -> str:
    return NOT_MEASURED if value is None else f"{100 * value:.0f}%"


@dataclass(frozen=True)
class Table:
    """A titled table of formatted cells, rendered as Markdown for the README or as HTML."""

    title: str
    header: list[str]
    rows: list[list[str]]


def tables(figures: dict[str, Figures], machine: str) -> list[Table]:
    """The two findings tables for one machine: spawn APIs by loop, and the cost anatomy."""
    environments = sorted(figures, key=interpreter_order)
    pairs = list(next(iter(figures.values())).spawn) if figures else []
    apis = list(dict.fromkeys(api for api, _ in pairs))
    loops = list(dict.fromkeys(loop for _, loop in pairs))
    spawn_rows = [[env] + [" / ".join(_number(figures[env].spawn.get((api, loop)), 1000)
                                      for loop in loops) for api in apis]
                  for env in environments]
    cost_rows = []
    for env in environments:
        f = figures[env]
        cost_rows.append([
            env, _number(f.task_ns), _number(f.await_ns), _number(f.call_soon_ns),
            _number(f.overhead_ns),
            " / ".join(_percent(f.gc_share[count]) for count in GC_COUNTS),
            _number(f.bytes_per_task), _number(f.pump_per_second, 1000),
            _number(f.textual_tasks_per_widget, digits=1),
            _number(f.textual_task_share, digits=1, suffix="%"),
        ])
    return [
        Table(f"Spawn APIs on {machine}: thousand tasks/s of CPU time at {int(COUNT):,} "
              f"tasks, {' / '.join(loops)}",
              ["interpreter", *apis], spawn_rows),
        Table(f"Where a task's cost goes on {machine} ({int(COUNT):,} tasks, asyncio's loop; "
              "GC share of CPU time at 1K / 100K / 500K tasks; message pump at "
              f"{int(PUMP_COUNT):,} widgets; Textual at "
              f"{int(TEXTUAL_WIDGETS):,} widgets)",
              ["interpreter", "ns per task", "await floor, ns", "call_soon, ns",
               "task above floor, ns", "GC share", "bytes per task",
               "message pump, K widgets/s", "Textual tasks per widget",
               "task share of Textual start-up"], cost_rows),
    ]


def _span(values: list[float], fmt: str) -> str | None:
    if not values:
        return None
    low, high = min(values), max(values)
    return fmt.format(low) if fmt.format(low) == fmt.format(high) else \
        f"{fmt.format(low)} to {fmt.format(high)}"


def headlines(figures: dict[str, Figures]) -> list[str]:
    """Sentences that sum the tables up, each a range over the interpreters that have it.

    A negative collector share means the cycle ran faster with the collector on: the
    difference is within the noise of the two figures.
    """
    def ratios(api: str, loop: str, base_api: str = "create_task+wait",
               base_loop: str = "asyncio") -> list[float]:
        found = []
        for f in figures.values():
            value, base = f.spawn.get((api, loop)), f.spawn.get((base_api, base_loop))
            if value and base:
                found.append(value / base)
        return found

    lines = []
    spans = [
        ("uvloop runs the classic cycle at {} times the tasks/s of asyncio's own loop",
         _span(ratios("create_task+wait", "uvloop"), "{:.2f}")),
        ("`eager_task_factory` runs it at {} times the tasks/s of plain `create_task` "
         "(a do-nothing task finishes inside `create_task`)",
         _span(ratios("eager_task_factory", "asyncio"), "{:.2f}")),
        ("`gather` makes {} times the tasks/s of `create_task` + `wait`, `TaskGroup` "
         + (_span(ratios("TaskGroup", "asyncio"), "{:.2f}") or NOT_MEASURED) + " times",
         _span(ratios("gather", "asyncio"), "{:.2f}")),
        ("A task costs {} ns more than awaiting its coroutine directly",
         _span([f.overhead_ns for f in figures.values() if f.overhead_ns is not None],
               "{:,.0f}")),
        (f"The garbage collector takes {{}} of the cycle's CPU time at "
         f"{int(GC_COUNTS[-1]):,} tasks",
         _span([100 * share for f in figures.values()
                if (share := f.gc_share.get(GC_COUNTS[-1])) is not None], "{:.0f}%")),
        ("A pending task holds {} bytes (CPython; tracemalloc)",
         _span([f.bytes_per_task for f in figures.values() if f.bytes_per_task], "{:,.0f}")),
        ("Textual starts {} tasks per widget, whose machinery explains "
         + (_span([f.textual_task_share for f in figures.values()
                   if f.textual_task_share is not None], "{:.1f}%") or NOT_MEASURED)
         + f" of its start-up CPU time at {int(TEXTUAL_WIDGETS):,} widgets",
         _span([f.textual_tasks_per_widget for f in figures.values()
                if f.textual_tasks_per_widget is not None], "{:.1f}")),
    ]
    for sentence, span in spans:
        if span is not None:
            lines.append("- " + sentence.format(span) + ".")
    return lines


def markdown(results_dir: Path) -> str:
    """The findings for every machine: summary sentences, then the tables, as Markdown."""
    measurements = latest(load_results(results_dir).measurements)
    parts = []
    for machine in sorted({m.machine for m in measurements}):
        figures = figures_by_environment(measurements, machine)
        if not figures:
            continue
        parts.append(f"On `{machine}`, across the interpreters measured "
                     f"({int(COUNT):,} tasks unless said):\n")
        parts.extend(headlines(figures))
        parts.append("")
        for table in tables(figures, machine):
            parts.append(f"{table.title}:\n")
            parts.append("| " + " | ".join(table.header) + " |")
            parts.append("| --- |" + " ---: |" * (len(table.header) - 1))
            parts.extend("| " + " | ".join(row) + " |" for row in table.rows)
            parts.append("")
    if not parts:
        return "No anatomy results yet: run `make bench`.\n"
    return "\n".join(parts).rstrip() + "\n"


def html_tables(figures: dict[str, Figures], machine: str) -> str:
    """The findings tables for one machine, as HTML for the cross-version page."""
    parts = []
    for table in tables(figures, machine):
        head = "".join(f"<th>{html.escape(cell)}</th>" for cell in table.header)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row)
                       + "</tr>" for row in table.rows)
        parts.append(f"<h3>{html.escape(table.title)}</h3>\n"
                     f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
    return "\n".join(parts)


def spawn_chart_svg(figures: dict[str, Figures], machine: str) -> str:
    """Tasks/s by interpreter, one series per spawn API and loop, as an SVG document."""
    environments = sorted(figures, key=interpreter_order)
    series = list(next(iter(figures.values())).spawn) if figures else []
    figure, axes = new_chart(max(6.0, 0.8 * len(environments) + 3), 4.5)
    positions = list(range(len(environments)))
    for api, loop in series:
        values = [figures[env].spawn.get((api, loop)) for env in environments]
        shown = [(x, value / 1000) for x, value in zip(positions, values) if value]
        if shown:
            axes.plot([x for x, _ in shown], [y for _, y in shown], marker="o",
                      linestyle="-" if loop == "asyncio" else "--", label=f"{api} ({loop})")
    axes.set_xticks(positions)
    axes.set_xticklabels(environments, rotation=45, ha="right")
    axes.set_ylabel("thousand tasks/s (CPU time)")
    axes.set_title(f"Spawn APIs at {int(COUNT):,} tasks on {machine}")
    axes.legend(fontsize="small", ncol=2)
    return svg_document(figure)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m taskbench.anatomy",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--results", type=Path, default=Path("results"))
    parser.add_argument("--update-readme", type=Path, default=None, metavar="README")
    args = parser.parse_args(argv)
    if args.update_readme is None:
        sys.stdout.write(markdown(args.results))
        return 0
    try:
        text = replace_block(args.update_readme.read_text(encoding="utf-8"),
                             README_BEGIN, README_END, markdown(args.results))
    except (OSError, ValueError) as error:
        parser.error(f"{args.update_readme}: {error}")
    args.update_readme.write_text(text, encoding="utf-8")
    print(f"updated the findings in {args.update_readme}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
