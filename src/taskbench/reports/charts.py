"""The charts of the README and the cross-version page, drawn with matplotlib as SVG documents.

:func:`classic_chart` is the answer chart, the README's picture and the page's first chart:
thousands of tasks per second of CPU time against the number of tasks on a log axis, one line
per interpreter (steady, the headline benchmark) with its interval at every count, each first
cycle of a fresh process as hollow marks, and the post's own figures as a black reference.
:func:`spawn_chart` shows the spawn APIs and loops at the anatomy's count.

Each interpreter looks the same in every chart (:mod:`taskbench.reports.chartstyle`). The same
figures give a byte-identical SVG (a fixed ``svg.hashsalt``, no date): the README's picture is
committed and a test compares it with what the results give. Sizes are for the README's
width (880 CSS px, 9.2 inches at 96 px each), where text of 9 points reads at 12 px.

matplotlib is imported when a chart is drawn, not with this module, so commands that only
print Markdown start without it.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, List, Tuple

from taskbench.catalogue import ANATOMY_COUNT, FIRST_CYCLE, SPAWN_API, TASK_COST, Benchmark
from taskbench.reports.anatomy import Anatomy
from taskbench.reports.chartstyle import PALETTE, LineStyle, look, spread
from taskbench.reports.reference import POST_LABEL, POST_TASKS_PER_SECOND
from taskbench.reports.stats import CONFIDENCE, Estimate, estimate
from taskbench.reports.views import Index
from taskbench.units import THOUSAND

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure as Drawing
    from matplotlib.text import Annotation

WIDTH = 9.2  # inches: the README's 880 CSS px
TEXT_SIZE = 10.0  # points: axis labels
SMALL_SIZE = 9.0  # points: ticks, keys, the names at the lines' ends
NOTE_SIZE = 8.0
NOTE_WIDTH = 110  # characters of a note's line at NOTE_SIZE inside the plot
RATE_WORDS = "tasks per second of CPU time"
INTERVAL_WORDS = (f"points: geometric means of separate processes; "
                  f"bars: their {CONFIDENCE:.0%} confidence intervals")
REFERENCE_COLOUR = "black"
KEY_COLOUR = "#555555"
NAME_X = 1.015  # where the names at the lines' ends begin, in widths of the plot
LABEL_GAP = 1.15  # the space between names at the lines' ends, in heights of a name
SALT = "taskbench"  # svg.hashsalt: the same ids, so the same SVG, for the same figures

Points = List[Tuple[float, Estimate]]  # count (or position), thousands of tasks per second
End = Tuple[str, str, Tuple[float, float]]  # a line's name, its colour, its last point


def blank_figure(width: float, height: float) -> Drawing:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def svg_document(figure: Drawing) -> str:
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": SALT}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def _rate_axis(axes: Axes) -> None:
    """Thousands of tasks per second from 0, written as ``250K``."""
    from matplotlib.ticker import FuncFormatter

    axes.set_ylim(bottom=0)
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}K"))
    axes.set_ylabel(f"{RATE_WORDS} (higher is faster)", fontsize=TEXT_SIZE)
    axes.tick_params(labelsize=SMALL_SIZE)
    axes.grid(True, color="#e0e0e0", linewidth=0.6)
    axes.set_axisbelow(True)


def _draw(axes: Axes, points: Points, *, colour: str, linestyle: LineStyle, marker: str,
          label: str, hollow: bool = False) -> None:
    """A line through ``points`` with a bar for each point's interval; hollow marks for a
    first cycle, filled ones for steady (warm) figures."""
    if not points:
        return
    xs = [x for x, _ in points]
    ys = [est.value for _, est in points]
    below = [est.value - est.low if est.low is not None else 0.0 for _, est in points]
    above = [est.high - est.value if est.high is not None else 0.0 for _, est in points]
    axes.errorbar(xs, ys, yerr=[below, above], fmt="none", ecolor=colour, elinewidth=0.8,
                  capsize=2.5, zorder=2)
    axes.plot(xs, ys, color=colour, linestyle=linestyle, linewidth=1.0 if hollow else 1.6,
              marker=marker, markersize=5, markeredgewidth=1.0,
              markerfacecolor="white" if hollow else colour, label=label, zorder=3)


@dataclass
class Unshown:
    """Figures a chart could not draw as measured, by why: said on the chart, never dropped."""

    by_reason: dict[str, list[str]] = field(default_factory=dict)

    def add(self, reason: str, environment: str) -> None:
        found = self.by_reason.setdefault(reason, [])
        if environment not in found:
            found.append(environment)

    def lines(self, width: int = NOTE_WIDTH) -> list[str]:
        """One line per reason, wrapped to ``width`` characters: a line as long as fourteen
        interpreters' names widened the layout until the plot collapsed."""
        return [wrapped for reason, envs in self.by_reason.items()
                for wrapped in textwrap.wrap(f"{reason}: {', '.join(envs)}", width)]


def _rates(index: Index, machine: str, env: str, entry: Benchmark, unshown: Unshown
           ) -> Points:
    """``entry``'s figures of ``env`` at every count, as thousands of tasks per second."""
    points: Points = []
    for count in entry.axes[0].values:
        figure = index.get(machine, env, entry, count)
        if figure is None:
            continue
        if not figure.current:
            unshown.add("not drawn, measured by an earlier version of the benchmark", env)
            continue
        seconds = estimate(figure)
        if seconds is None:
            unshown.add("not drawn, not measured (n/a)", env)
            continue
        if not seconds.has_interval:
            unshown.add("no bar, one process", env)
        points.append((count, seconds.inverse(1 / THOUSAND)))
    return points


def classic_figure(index: Index, machine: str) -> Drawing:
    """The answer chart as a matplotlib figure, laid out (what :func:`classic_chart` saves)."""
    figure = blank_figure(WIDTH, 6.2)
    axes = figure.subplots()
    ends: list[End] = []
    unshown = Unshown()
    for env in index.environments(machine, [TASK_COST, FIRST_CYCLE]):
        style = look(env)
        warm = _rates(index, machine, env, TASK_COST, unshown)
        first = _rates(index, machine, env, FIRST_CYCLE, unshown)
        _draw(axes, warm, colour=style.colour, linestyle=style.linestyle, marker=style.marker,
              label=env)
        _draw(axes, first, colour=style.colour, linestyle=style.linestyle,
              marker=style.marker, label=f"{env}, first cycle", hollow=True)
        if first or warm:
            count, last = (first or warm)[-1]
            ends.append((env, style.colour, (count, last.value)))
    reference = sorted(POST_TASKS_PER_SECOND.items())
    axes.plot([count for count, _ in reference], [rate / THOUSAND for _, rate in reference],
              color=REFERENCE_COLOUR, linewidth=1.2, marker="o", markersize=3.5,
              markerfacecolor="white", label=POST_LABEL, zorder=4)
    _count_axis(axes)
    _rate_axis(axes)
    axes.set_title(f"create_task + wait on {machine}: {RATE_WORDS}\n{INTERVAL_WORDS}",
                   fontsize=TEXT_SIZE + 1)
    _key(figure)
    if unshown.by_reason:
        axes.text(0.01, 0.98, "\n".join(unshown.lines()), transform=axes.transAxes,
                  ha="left", va="top", fontsize=NOTE_SIZE, color=KEY_COLOUR)
    _name_line_ends(figure, axes, ends)
    return figure


def classic_chart(index: Index, machine: str) -> str:
    """The answer chart of ``machine`` as an SVG document: the README's picture."""
    return svg_document(classic_figure(index, machine))


def _count_axis(axes: Axes) -> None:
    """Counts on a log axis written in full, with room on the right for the last points."""
    from matplotlib.ticker import FuncFormatter

    counts = [*TASK_COST.axes[0].values, *FIRST_CYCLE.axes[0].values, *POST_TASKS_PER_SECOND]
    axes.set_xscale("log")
    axes.set_xlim(min(counts) / 1.6, max(counts) * 1.6)
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}"))
    axes.set_xlabel("tasks created, then awaited (log scale)", fontsize=TEXT_SIZE)


def _key(figure: Drawing) -> None:
    """What filled and hollow marks and the black line are, below the chart."""
    from matplotlib.lines import Line2D

    warm, first = TASK_COST.axes[0].values, FIRST_CYCLE.axes[0].values
    handles = [
        Line2D([], [], color=KEY_COLOUR, linewidth=1.6, marker="o", markersize=5,
               label=f"steady (once its cycles settle), {min(warm):,} to {max(warm):,} tasks"),
        Line2D([], [], color=KEY_COLOUR, linewidth=1.0, marker="o", markersize=5,
               markerfacecolor="white",
               label=f"first cycle of a fresh process, {' and '.join(f'{c:,}' for c in first)}"),
        Line2D([], [], color=REFERENCE_COLOUR, linewidth=1.2, marker="o", markersize=3.5,
               markerfacecolor="white", label=f"{POST_LABEL}: first cycles"),
    ]
    figure.legend(handles=handles, loc="outside lower center", ncols=2, frameon=False,
                  fontsize=SMALL_SIZE)


def _name_line_ends(figure: Drawing, axes: Axes, ends: list[End]) -> None:
    """Each interpreter's name right of the plot, level with its line's last point where
    the names leave room, joined to that point; then the layout is fixed as it stands."""
    from matplotlib.text import Text

    names: list[Annotation] = [
        axes.annotate(name, xy=point, xytext=(NAME_X, point[1]),
                      textcoords=("axes fraction", "data"), ha="left", va="center",
                      fontsize=SMALL_SIZE, color=colour,
                      arrowprops={"arrowstyle": "-", "color": colour, "linewidth": 0.6,
                                  "shrinkA": 1, "shrinkB": 4, "relpos": (0.0, 0.5)})
        for name, colour, point in ends]
    figure.draw_without_rendering()  # the layout makes room for the names; now they have sizes
    if names:
        to_display, to_data = axes.transData, axes.transData.inverted()
        height = max(Text.get_window_extent(name).height for name in names)  # no leader
        wanted = [to_display.transform(point)[1] for _, _, point in ends]
        placed = spread(wanted, height * LABEL_GAP, axes.bbox.y0 + height / 2,
                        axes.bbox.y1 - height / 2)
        for name, y in zip(names, placed):
            name.xyann = (NAME_X, to_data.transform((0.0, y))[1])
    figure.set_layout_engine("none")


def spawn_chart(found: dict[str, Anatomy], machine: str) -> str:
    """Thousands of tasks per second by interpreter: a point per spawn API (its colour) and
    loop (filled: asyncio's; hollow: uvloop), side by side at each interpreter, with
    intervals. No line joins two interpreters: they are not a series."""
    environments = list(found)
    figure = blank_figure(WIDTH, 6.0)
    axes = figure.subplots()
    loops = SPAWN_API.axes[1].values
    series = [(api, loop) for api in SPAWN_API.axes[0].values for loop in loops]
    width = 0.8 / len(series)  # of one interpreter's slot, shared by its points
    for number, (api, loop) in enumerate(series):
        colour = PALETTE[SPAWN_API.axes[0].values.index(api) % len(PALETTE)]
        points: Points = []
        for x, env in enumerate(environments):
            seconds = estimate(found[env].spawn.get((api, loop)))
            if seconds is not None:
                offset = (number - (len(series) - 1) / 2) * width
                points.append((x + offset, seconds.inverse(1 / THOUSAND)))
        _draw(axes, points, colour=colour, marker="o" if loop == loops[0] else "s",
              linestyle="none", label=f"{api}, {loop}", hollow=loop != loops[0])
    axes.set_xticks(range(len(environments)), labels=environments, rotation=45, ha="right")
    _rate_axis(axes)
    axes.set_title(f"Spawn APIs at {ANATOMY_COUNT:,} tasks on {machine}: {RATE_WORDS}\n"
                   f"{INTERVAL_WORDS}", fontsize=TEXT_SIZE)
    figure.legend(loc="outside right upper", frameon=False, fontsize=SMALL_SIZE)
    return svg_document(figure)

