"""How every view writes a time per task: one convention for the README, the site and the CLI.

asv stores CPU seconds per task (lower is better, in asv's own time unit). A reader sees each
such figure two ways, always written alike: microseconds of CPU time per task with two
decimals (``4.46 µs``), and, as the post did, thousands of tasks per second of CPU time
(``224K tasks/s``); tables of many figures write the thousands alone under a ``K tasks/s``
heading. A duration a command expects or has left is written alike everywhere too
(:func:`duration_text`). Standard library only: the CLI, which runs inside the measured
interpreters, uses it.
"""

from __future__ import annotations

MICROSECONDS = 1e6  # per second
THOUSAND = 1_000
COST_UNIT = "µs per task"
RATE_UNIT = "K tasks/s"  # thousand tasks per second of CPU time
COST_DIGITS = 2


def microseconds(seconds_per_task: float) -> float:
    return seconds_per_task * MICROSECONDS


def cost_number(seconds_per_task: float) -> str:
    """``4.46``: microseconds per task, for a column headed :data:`COST_UNIT`."""
    return f"{microseconds(seconds_per_task):,.{COST_DIGITS}f}"


def cost_text(seconds_per_task: float) -> str:
    """``4.46 µs``"""
    return f"{cost_number(seconds_per_task)} µs"


def thousands_per_second(seconds_per_task: float) -> float:
    return 1 / seconds_per_task / THOUSAND


def rate_number(seconds_per_task: float) -> str:
    """``224``: thousands of tasks per second, for a column headed :data:`RATE_UNIT`."""
    return f"{thousands_per_second(seconds_per_task):,.0f}"


def rate_text(seconds_per_task: float) -> str:
    """``224K tasks/s``"""
    return f"{rate_number(seconds_per_task)}K tasks/s"


def tasks_text(value: float) -> str:
    """``3.01``: tasks per unit of a program's work (a widget, a request), in every view."""
    return f"{value:,.2f}"


def duration_text(seconds: float) -> str:
    """``about 5 minutes``, ``about 40 seconds``: a duration as a command announces it, to the
    precision an estimate has (seconds to the nearest 5 from ten seconds, whole minutes from
    a minute and a half)."""
    if seconds < 1.5:
        return "about a second"
    if seconds < 10:
        return f"about {round(seconds)} seconds"
    if seconds < 90:
        return f"about {5 * round(seconds / 5)} seconds"
    minutes = round(seconds / 60)
    return f"about {minutes} minutes"
