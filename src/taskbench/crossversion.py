"""The cross-version view: every interpreter side by side, from results/.

asv draws one line per environment over commits; this puts interpreters next to each other
at the newest commit each has: the classic table (tasks/s per count), a chart of tasks/s by
interpreter, bytes per task, and each interpreter's build facts.

Usage::

    python -m taskbench.crossversion --html DIR      # DIR/crossversion.html and its SVG
    python -m taskbench.crossversion --markdown      # the README's table, to stdout
    python -m taskbench.crossversion --update-readme README.md
"""

from __future__ import annotations

import argparse
import html
import sys
from pathlib import Path
from typing import Sequence

from taskbench import anatomy
from taskbench.anatomy import BYTES_PER_TASK, SPREAD, THROUGHPUT
from taskbench.render import new_chart, replace_block, svg_document
from taskbench.report import FACT_COLUMNS, ResultsError, read_facts
from taskbench.results import Measurement, interpreter_order, latest, load_results

CHART_COUNTS = ("100000", "1000000")
# A figure whose batches spread wider than this is flagged, not presented as a finding.
NOISY_PERCENT = 5.0
README_BEGIN, README_END = "<!-- crossversion:begin -->", "<!-- crossversion:end -->"


def _table(measurements: list[Measurement], benchmark: str, machine: str
           ) -> tuple[list[str], list[str], dict[tuple[str, str], Measurement]]:
    cells = {(m.params[0], m.environment): m for m in measurements
             if m.benchmark == benchmark and m.machine == machine and m.params}
    counts = sorted({count for count, _ in cells}, key=int)
    environments = sorted({env for _, env in cells}, key=interpreter_order)
    return counts, environments, cells


def _format(value: float | None, unit: str) -> str:
    if value is None:
        return "n/a"
    if unit == "tasks/s":
        return f"{value / 1000:,.0f}K"
    return f"{value:,.0f}"


def _spreads(measurements: list[Measurement], machine: str) -> dict[tuple[str, str], float]:
    return {(m.params[0], m.environment): m.value for m in measurements
            if m.benchmark == SPREAD and m.machine == machine and m.params
            and m.value is not None}


def _noisy(spreads: dict[tuple[str, str], float], count: str, env: str) -> bool:
    return spreads.get((count, env), 0.0) > NOISY_PERCENT


def markdown_table(results_dir: Path) -> str:
    """The classic table for every interpreter, as Markdown, one table per machine."""
    results = load_results(results_dir)
    measurements = latest(results.measurements)
    parts = []
    for machine in sorted({m.machine for m in measurements}):
        counts, environments, cells = _table(measurements, THROUGHPUT, machine)
        if not counts:
            continue
        spreads = _spreads(measurements, machine)
        parts.append(f"Tasks per second (thousands) on `{machine}`, create_task + wait, "
                     f"default event loop (`*`: batches spread more than {NOISY_PERCENT:.0f}%, "
                     "not a finding):\n")
        parts.append("| count | " + " | ".join(environments) + " |")
        parts.append("| ---: | " + " | ".join("---:" for _ in environments) + " |")
        for count in counts:
            row = [_format(cells[(count, env)].value, "tasks/s")
                   + ("*" if _noisy(spreads, count, env) else "") if (count, env) in cells
                   else "-" for env in environments]
            parts.append(f"| {int(count):,} | " + " | ".join(row) + " |")
        parts.append("")
    return "\n".join(parts).rstrip() + "\n"


def _chart_svg(counts: list[str], environments: list[str],
               cells: dict[tuple[str, str], Measurement], machine: str) -> str:
    """Grouped bars: tasks/s per interpreter at 100K and 1M tasks, as an SVG document."""
    shown = [count for count in CHART_COUNTS if count in counts]
    figure, axes = new_chart(max(6.0, 0.8 * len(environments) + 2), 4)
    width = 0.8 / max(1, len(shown))
    for offset, count in enumerate(shown):
        values = [(cells[(count, env)].value or 0) / 1000 if (count, env) in cells else 0
                  for env in environments]
        axes.bar([i + offset * width for i in range(len(environments))], values, width,
                 label=f"{int(count):,} tasks")
    axes.set_xticks([i + width * (len(shown) - 1) / 2 for i in range(len(environments))])
    axes.set_xticklabels(environments, rotation=45, ha="right")
    axes.set_ylabel("thousand tasks/s (CPU time)")
    axes.set_title(f"create_task + wait on {machine}")
    axes.legend()
    return svg_document(figure)


def _html_table(counts: list[str], environments: list[str],
                cells: dict[tuple[str, str], Measurement], unit: str,
                spreads: dict[tuple[str, str], float] | None = None) -> str:
    header = "".join(f"<th>{html.escape(env)}</th>" for env in environments)
    rows = []
    for count in counts:
        tds = []
        for env in environments:
            if (count, env) not in cells:
                tds.append("<td>-</td>")
                continue
            text = _format(cells[(count, env)].value, unit)
            spread = (spreads or {}).get((count, env))
            if spread is None:
                tds.append(f"<td>{text}</td>")
            elif spread > NOISY_PERCENT:
                tds.append(f'<td class="noisy" title="not a finding: batches spread more '
                           f'than {NOISY_PERCENT:.0f}%">{text}<br><small>spread '
                           f"{spread:.1f}% &#9888;</small></td>")
            else:
                tds.append(f"<td>{text}<br><small>spread {spread:.1f}%</small></td>")
        rows.append(f"<tr><th>{int(count):,}</th>{''.join(tds)}</tr>")
    return (f"<table><thead><tr><th>count</th>{header}</tr></thead><tbody>"
            + "".join(rows) + "</tbody></table>")


def write_page(results_dir: Path, html_dir: Path) -> Path:
    """Write ``crossversion.html`` (with one SVG chart per machine) into ``html_dir``."""
    results = load_results(results_dir)
    measurements = latest(results.measurements)
    try:
        facts = read_facts(results_dir)
    except ResultsError as error:
        results.problems.append(str(error))
        facts = {}
    sections = []
    for machine in sorted({m.machine for m in measurements}):
        counts, environments, cells = _table(measurements, THROUGHPUT, machine)
        chart = f"crossversion-{machine}.svg"
        (html_dir / chart).write_text(_chart_svg(counts, environments, cells, machine),
                                      encoding="utf-8")
        memory = _table(measurements, BYTES_PER_TASK, machine)
        figures = anatomy.figures_by_environment(measurements, machine)
        anatomy_section = ""
        if figures:
            spawn_chart = f"spawn-apis-{machine}.svg"
            (html_dir / spawn_chart).write_text(anatomy.spawn_chart_svg(figures, machine),
                                                encoding="utf-8")
            name = html.escape(machine)
            anatomy_section = f"""<h3 id="anatomy-{name}">Why a task costs what it costs</h3>
<p><img src="{spawn_chart}" alt="tasks per second by spawn API and loop on {name}"></p>
{anatomy.html_tables(figures, machine)}
<p>ns per task is the inverse of the create_task+wait rate; the floor is the same coroutine
awaited directly (no task) or a bare call_soon callback; the task's overhead above the floor is
the difference. The GC share is 1 - (rate with the collector) / (rate without).
n/a: the interpreter or loop lacks the API, or the client does not install there.</p>"""
        fact_rows = "".join(
            "<tr>" + "".join(f"<td>{html.escape(str(record.get(key, '')))}</td>"
                             for key, _ in FACT_COLUMNS) + "</tr>"
            for record in facts.get(machine, []))
        fact_head = "".join(f"<th>{html.escape(title)}</th>" for _, title in FACT_COLUMNS)
        sections.append(f"""<section id="{html.escape(machine)}">
<h2>{html.escape(machine)}</h2>
<h3>Tasks per second, thousands (the classic table)</h3>
{_html_table(counts, environments, cells, "tasks/s", _spreads(measurements, machine))}
<p>Each figure is the median of three batches; its spread is the batches' range over that
median. A spread above {NOISY_PERCENT:.0f}% (&#9888;, shaded) means the figure is not a
finding.</p>
<p><img src="{chart}" alt="tasks per second by interpreter on {html.escape(machine)}"></p>
<h3>Bytes per pending task (tracemalloc)</h3>
{_html_table(*memory, "bytes")}
{anatomy_section}
<h3>How each interpreter was built</h3>
<table><thead><tr>{fact_head}</tr></thead><tbody>{fact_rows}</tbody></table>
</section>""")
    problems = "".join(f"<li>{html.escape(p)}</li>" for p in results.problems)
    page = f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>taskbench: interpreters side by side</title>
<style>
body {{ font-family: sans-serif; margin: 2em; }}
table {{ border-collapse: collapse; margin-bottom: 1em; }}
th, td {{ border: 1px solid #ccc; padding: 0.25em 0.5em; text-align: right; }}
td.noisy {{ background: #fde2c8; }}
</style></head>
<body>
<p><a href="index.html">&larr; the benchmarks over commits (asv)</a></p>
<h1>Interpreters side by side</h1>
<p>The newest result of each interpreter, per machine. Compare versions within one build
family: pyenv's builds (3.X) use -O3 without PGO or LTO, Debian's (3.X-debian) use PGO and
LTO.</p>
{"<ul class='problems'>" + problems + "</ul>" if problems else ""}
{"".join(sections) or "<p>No results yet.</p>"}
</body></html>
"""
    target = html_dir / "crossversion.html"
    target.write_text(page, encoding="utf-8")
    return target


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m taskbench.crossversion",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--results", type=Path, default=Path("results"))
    parser.add_argument("--html", type=Path, default=None, metavar="DIR")
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--update-readme", type=Path, default=None, metavar="README")
    args = parser.parse_args(argv)
    if args.update_readme is not None:
        try:
            text = replace_block(args.update_readme.read_text(encoding="utf-8"),
                                 README_BEGIN, README_END, markdown_table(args.results))
        except (OSError, ValueError) as error:
            parser.error(f"{args.update_readme}: {error}")
        args.update_readme.write_text(text, encoding="utf-8")
    if args.markdown:
        sys.stdout.write(markdown_table(args.results))
    if args.html is not None:
        print(f"wrote {write_page(args.results, args.html)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
