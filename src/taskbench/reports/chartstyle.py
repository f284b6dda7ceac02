"""How every chart draws an interpreter, and where it writes its name.

An interpreter's look comes from its name alone, never from the set it is drawn with, so the
README's picture and the site's charts agree and one more interpreter repaints none of the
others. The colour says the Python version (``3.14`` and ``3.14-debian`` share one), the line
style and marker say the build family and its settings (pyenv's build solid, Debian's dashed,
Debian's with ``PYTHON_JIT=1`` dash-dotted, PyPy dotted, ...). Two interpreters look alike
only when they share family and settings and their versions lie ten minor versions apart
(``len(PALETTE)``), so any set of the interpreters a machine carries gets distinct looks.

Each line is named at its end instead of in a legend that covers the plot; matplotlib places
a text where it is told, so the names are moved apart here (:func:`spread`): a one-dimensional
placement of a few lines, which no plotting library offers as such.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Sequence, Tuple, Union

from taskbench.interpreters.names import parse_environment

LineStyle = Union[str, Tuple[float, Tuple[float, ...]]]

# matplotlib's ten-colour cycle (tab10), indexed by minor version: 3.10 blue, 3.11 orange, ...
PALETTE: tuple[str, ...] = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")
UNKNOWN_LOOK: tuple[LineStyle, str, str] = ((0, (2.0, 2.0)), "x", "other interpreters")


@dataclass(frozen=True)
class Look:
    colour: str
    linestyle: LineStyle
    marker: str
    build: str  # what the chart's key calls the line style: ``Debian's build, PYTHON_JIT=1``


def look(environment: str) -> Look:
    """The colour, line style and marker ``environment`` is drawn with in every chart."""
    wanted, settings = parse_environment(environment)
    if wanted is None:  # a name outside the scheme: a colour of its own, always the same
        linestyle, marker, build = UNKNOWN_LOOK
        return Look(PALETTE[zlib.crc32(environment.encode()) % len(PALETTE)], linestyle,
                    marker, build)
    # The family's own look (taskbench.interpreters.families), another with a setting on.
    linestyle, marker, build = wanted.record.look_with_settings if settings else \
        wanted.record.look
    minor = int(wanted.version.split(".")[1])
    return Look(PALETTE[minor % len(PALETTE)], linestyle, marker,
                f"{build}, {settings}" if settings else build)


def spread(wanted: Sequence[float], gap: float, low: float, high: float) -> list[float]:
    """Positions for labels wanted at ``wanted``: in the same order, at least ``gap`` apart,
    each run of crowded labels centred on where its members want to be, and within
    ``low``..``high`` where they fit (from ``low`` upwards where they do not)."""
    order = sorted(range(len(wanted)), key=lambda i: (wanted[i], i))
    clusters: list[list[float]] = []  # runs of labels that touch, by the positions wanted
    for i in order:
        clusters.append([wanted[i]])
        while len(clusters) > 1 and (_start(clusters[-2], gap) + len(clusters[-2]) * gap >
                                     _start(clusters[-1], gap)):
            last = clusters.pop()
            clusters[-1].extend(last)
    placed = [_start(cluster, gap) + k * gap for cluster in clusters for k in range(len(cluster))]
    for k in range(len(placed) - 1, -1, -1):  # down from the top bound
        placed[k] = min(placed[k], high if k == len(placed) - 1 else placed[k + 1] - gap)
    for k in range(len(placed)):  # up from the bottom bound, which wins
        placed[k] = max(placed[k], low if k == 0 else placed[k - 1] + gap)
    result = [0.0] * len(wanted)
    for rank, i in enumerate(order):
        result[i] = placed[rank]
    return result


def _start(cluster: list[float], gap: float) -> float:
    """Where the lowest label of a run goes so the run sits centred on what it wants."""
    return sum(position - k * gap for k, position in enumerate(cluster)) / len(cluster)
