"""argparse types for the command lines' paths and numbers, so that every command refuses a bad
value the same way: a message naming it, exit status 2, no traceback.

Standard library only: ``python -m taskbench`` uses it on every interpreter it measures.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import Callable, TypeVar

Number = TypeVar("Number", int, float)


def path(text: str) -> Path:
    """A path from the command line; an empty one, which would mean the current folder without
    anyone having asked for it, is refused."""
    if not text.strip():
        raise argparse.ArgumentTypeError("an empty path; name a file or folder")
    if "\x00" in text:
        raise argparse.ArgumentTypeError("a path cannot hold a NUL character")
    return Path(text)


def bounded(kind: Callable[[str], Number], low: Number, high: Number, *,
            above: bool = False) -> Callable[[str], Number]:
    """A type for a number from ``low`` (or above it, with ``above``) to ``high``."""
    if kind is int:
        wanted = f"{low} to {high}"
    elif high == math.inf:
        wanted = f"a finite number {'above' if above else 'from'} {low:g}"
    else:
        wanted = f"a number {'above' if above else 'from'} {low:g} to {high:g}"

    def convert(text: str) -> Number:
        try:
            value = kind(text)
        except ValueError:
            what = "a whole number" if kind is int else "a number"
            raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None
        if isinstance(value, float) and not math.isfinite(value) or \
                value < low or (above and value == low) or value > high:
            raise argparse.ArgumentTypeError(f"must be {wanted}, not {text}")
        return value

    return convert
