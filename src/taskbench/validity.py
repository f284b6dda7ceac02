"""What any record a run writes must hold, whichever file it is in: one set of rules for the
merge's checks of results files (:mod:`taskbench.jobs.checks`), of the block log
(:mod:`taskbench.blocklog`) and of the build facts (:mod:`taskbench.interpreters.facts`).

* A number is a finite float. JSON allows integers of any size (``10**400``), which no float
  holds: Python's ``math.isfinite`` raises ``OverflowError`` on them, so every check asks
  :func:`number` instead. ``true`` is JSON's, not a number.
* A time (milliseconds since the epoch, as asv writes them) lies after the epoch and no later
  than :data:`FUTURE_SLACK` from now: a run dated in the year 3000 would stay "newest" for
  good, and hide every real run after it.
* A value quoted in a refusal is cut to a few dozen characters (:func:`shown`): a refusal is
  one line, even for a 10 MB value.
"""

from __future__ import annotations

import datetime
import math
import unicodedata
from typing import Any

# How far ahead of this machine's clock a time may be: the clocks of CI runners and of the
# machine that reads their files may differ a little; a day is more than any plausible skew.
FUTURE_SLACK = datetime.timedelta(days=1)
SHOWN = 60  # characters of a value quoted in a refusal


def number(value: Any) -> float | None:
    """``value`` as a finite float, or None: not a number, a boolean, NaN, an infinity, or
    an integer too large for a float."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        converted = float(value)
    except OverflowError:
        return None
    return converted if math.isfinite(converted) else None


def latest_allowed() -> int:
    """The latest time (asv's milliseconds since the epoch) a run or commit may carry."""
    now = datetime.datetime.now(datetime.timezone.utc) + FUTURE_SLACK
    return int(now.timestamp() * 1000)


def when(milliseconds: int) -> str:
    """A time in milliseconds since the epoch, as a reader knows it."""
    try:
        moment = datetime.datetime.fromtimestamp(milliseconds / 1000, datetime.timezone.utc)
    except (OverflowError, OSError, ValueError):
        return f"{shown(milliseconds)} ms"
    return moment.isoformat(timespec="seconds")


def moment_problem(value: Any) -> str | None:
    """Why ``value`` is not the time of a run (whole milliseconds after the epoch, no later
    than a day from now), or None."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        return f"{shown(value)}, not a time"
    if value > latest_allowed():
        return f"{when(value)}, in the future"
    return None


def shown(value: Any) -> str:
    """``repr(value)``, cut to :data:`SHOWN` characters."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10 ** SHOWN:
        return f"an integer of about {int(value.bit_length() * math.log10(2)) + 1} digits"
    text = repr(value)
    return text if len(text) <= SHOWN else f"{text[:SHOWN - 1]}…"


def text_problem(value: Any, most: int) -> str | None:
    """Why ``value`` is not one line of text of at most ``most`` characters, or None."""
    if not isinstance(value, str):
        return f"{shown(value)} is not text"
    if len(value) > most:
        return f"is {len(value):,} characters long (at most {most:,})"
    if any(unicodedata.category(character) in ("Cc", "Zl", "Zp") for character in value):
        return f"{shown(value)} holds a control character (a line break, a tab)"
    return None
