"""The answer chart: what one task costs on each interpreter, one point per interpreter and
setting with its 95% interval; the README's first picture and the site front page's, the
count chart (:func:`taskbench.reports.charts.classic_chart`) below it.

Interpreters run down the chart by build family (pyenv's CPython, Debian's, free-threaded
builds, PyPy), in version order within each, so that a version step reads from one row to
the next, as the answer table's steps do. Each row has two points, the two settings of the
answer table: steady at the headline count (filled) and a fresh process's first cycle at the
largest count, the post's setting (hollow), so a step that reverses between them shows as
two points moving apart. µs per task runs from 0 (lower is cheaper), with the intervals of
the run's model, the table's own (:meth:`taskbench.reports.views.Index.estimate`). Each
interpreter keeps its colour and marker of every chart (:mod:`taskbench.reports.chartstyle`).
The same figures give the same SVG.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from taskbench import units
from taskbench.catalogue import FIRST_CYCLE, TASK_COST
from taskbench.interpreters.families import BY_KEY
from taskbench.interpreters.names import interpreter_order, parse_environment
from taskbench.reports.answer import POST_AT, WARM_AT, setting_text
from taskbench.reports.charts import (
    KEY_COLOUR,
    NOTE_SIZE,
    SMALL_SIZE,
    TEXT_SIZE,
    WIDTH,
    Unshown,
    blank_figure,
    svg_document,
)
from taskbench.reports.chartstyle import look
from taskbench.reports.stats import CONFIDENCE
from taskbench.reports.views import Index

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure as Drawing

OFFSET = 0.17  # how far each setting's point sits from its row's middle, in rows
SETTINGS = ((WARM_AT, False, OFFSET), (POST_AT, True, -OFFSET))  # figure, hollow, offset


def family_of(env: str) -> str:
    wanted, _ = parse_environment(env)
    return wanted.family if wanted is not None else "other"


def chart_order(env: str) -> tuple[object, ...]:
    """By build family (its chart rank; names outside the scheme last), then in version
    order within it."""
    family = BY_KEY.get(family_of(env))
    return (family.chart_rank if family else len(BY_KEY), interpreter_order(env))


def _points(axes: Axes, index: Index, machine: str, env: str, y: float,
            unshown: Unshown) -> None:
    """The interpreter's two points, each with its interval."""
    style = look(env)
    for (entry, count), hollow, offset in SETTINGS:
        seconds = index.estimate(machine, env, entry, count)
        if seconds is None:
            unshown.add(f"no point at {setting_text(entry, count)}", env)
            continue
        value = units.microseconds(seconds.value)
        low = units.microseconds(seconds.low) if seconds.low is not None else value
        high = units.microseconds(seconds.high) if seconds.high is not None else value
        axes.errorbar([value], [y + offset], xerr=[[value - low], [high - value]],
                      fmt=style.marker, color=style.colour, markersize=6, capsize=2.5,
                      elinewidth=0.9, markeredgewidth=1.2,
                      markerfacecolor="white" if hollow else style.colour, zorder=3)


def _families(axes: Axes, environments: list[str]) -> None:
    """A line between build families, and each family's name at its top row."""
    rows = len(environments)
    for row, env in enumerate(environments):
        if row == 0 or family_of(env) != family_of(environments[row - 1]):
            y = rows - 1 - row
            if row:
                axes.axhline(y + 0.5, color="#bbbbbb", linewidth=0.8)
            family = BY_KEY.get(family_of(env))
            name = family.look[2] if family else "other interpreters"
            axes.text(0.005, y + 0.45, name, transform=axes.get_yaxis_transform(),
                      ha="left", va="top", fontsize=NOTE_SIZE, color=KEY_COLOUR)


def _key(figure: Drawing) -> None:
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], color=KEY_COLOUR, linestyle="none", marker="o", markersize=6,
                      markerfacecolor=KEY_COLOUR if not hollow else "white",
                      label=setting_text(*setting))
               for setting, hollow, _ in SETTINGS]
    figure.legend(handles=handles, loc="outside lower center", ncols=2, frameon=False,
                  fontsize=SMALL_SIZE)


def answer_figure(index: Index, machine: str) -> Drawing:
    """The answer chart as a matplotlib figure (what :func:`answer_chart` saves)."""
    environments = sorted(index.environments(machine, [TASK_COST, FIRST_CYCLE]),
                          key=chart_order)
    figure = blank_figure(WIDTH, 1.6 + 0.36 * max(len(environments), 1))
    axes = figure.subplots()
    unshown = Unshown()
    for row, env in enumerate(environments):
        _points(axes, index, machine, env, len(environments) - 1 - row, unshown)
    axes.set_yticks(range(len(environments)), labels=list(reversed(environments)),
                    fontsize=SMALL_SIZE)
    axes.set_ylim(-0.6, len(environments) - 0.4)
    _families(axes, environments)
    axes.set_xlim(left=0)
    axes.set_xlabel("µs of CPU time per task (lower is cheaper)", fontsize=TEXT_SIZE)
    axes.tick_params(axis="x", labelsize=SMALL_SIZE)
    axes.grid(True, axis="x", color="#e0e0e0", linewidth=0.6)
    axes.set_axisbelow(True)
    axes.set_title(f"What one task costs on {machine}: create_task + wait\n"
                   f"points: the run's model; bars: {CONFIDENCE:.0%} intervals",
                   fontsize=TEXT_SIZE + 1)
    _key(figure)
    if unshown.by_reason:  # below the axis, clear of the points
        axes.annotate("\n".join(unshown.lines()), xy=(0.0, 0.0), xycoords="axes fraction",
                      xytext=(0, -4.0 * TEXT_SIZE), textcoords="offset points", ha="left",
                      va="top", fontsize=NOTE_SIZE, color=KEY_COLOUR)
    return figure


def answer_chart(index: Index, machine: str) -> str:
    """The answer chart of ``machine`` as an SVG document."""
    return svg_document(answer_figure(index, machine))
