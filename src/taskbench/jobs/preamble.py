"""What every job does before its own work: the same checks and set-up, written once.

=============================  ===================================================
:func:`use_provisioned`        ``.pythons/bin`` first on PATH, where asv looks
:func:`known_pythons`          refuse interpreter names ``asv.conf.json`` lacks
:func:`interpreter_argument`   an argparse type for an interpreter's name
:func:`machine_argument`       an argparse type for a machine's name
:func:`annotate`               a line shown on GitHub as a warning annotation
:func:`warn`                   a warning on stderr, and on GitHub as an annotation
:func:`step_summary`           Markdown for the GitHub job's summary page
=============================  ===================================================
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Sequence

from taskbench.asvadapter.config import CONFIG, configured_pythons, load_config
from taskbench.interpreters.names import parse_name
from taskbench.interpreters.provision import DEFAULT_DEST
from taskbench.jobs.machine import MACHINE_NAME_RULE, valid_machine_name


def use_provisioned(dest: Path = DEFAULT_DEST) -> None:
    """Put the gathered interpreters first on PATH, where asv's virtualenv plugin looks."""
    os.environ["PATH"] = os.pathsep.join([str(dest.resolve()), os.environ.get("PATH", "")])


def known_pythons(names: Sequence[str], config: Path = CONFIG) -> list[str]:
    """``names``, or ValueError naming those that ``asv.conf.json``'s ``pythons`` lacks
    (ConfigError when the configuration cannot be read)."""
    configured = configured_pythons(load_config(config))
    unknown = [name for name in names if name not in configured]
    if unknown:
        raise ValueError(f"{', '.join(map(repr, unknown))} not in asv.conf.json's pythons; "
                         f"known: {', '.join(configured)}")
    return list(names)


def interpreter_argument(text: str) -> str:
    """An argparse type: an interpreter name of the scheme (``3.13t``, ``pypy3.10`` ...)."""
    try:
        return parse_name(text).name
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def machine_argument(text: str) -> str:
    """An argparse type: a machine name that is one plain folder name, short enough."""
    if not valid_machine_name(text):
        raise argparse.ArgumentTypeError(f"{text!r} is not {MACHINE_NAME_RULE}")
    return text


def annotate(text: str) -> None:
    """On GitHub Actions, ``text``'s first line as a ``::warning::`` annotation."""
    if os.environ.get("GITHUB_ACTIONS") == "true":
        print(f"::warning::{text.splitlines()[0]}")


def warn(text: str) -> None:
    """``text`` on stderr, and on GitHub Actions as an annotation."""
    print(text, file=sys.stderr)
    annotate(text)


def step_summary(markdown: str) -> None:
    """Append ``markdown`` to the GitHub job's summary page (nowhere outside GitHub)."""
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as stream:
            stream.write(markdown)
