"""Which of the interpreters asv.conf.json lists can this machine run?

asv looks for ``python<name>`` on PATH for each name in ``pythons``; one that it cannot find
costs a single quiet line and the run still exits 0, so a run can silently lose a Python
version. This module answers the question in plain words before and after a run; the
interpreters themselves are gathered by :mod:`taskbench.provision` (pyenv's shims answer
"command not found" for every version but the global one).

Usage::

    python -m taskbench.interpreters check [--config asv.conf.json] [--path DIRS]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

DEFAULT_CONFIG = "asv.conf.json"
_COMMENT_LINE = re.compile(r"^\s*//.*$", re.MULTILINE)


class ConfigError(Exception):
    """asv.conf.json is missing or unreadable."""


def load_asv_config(path: Path) -> dict[str, object]:
    """Read asv.conf.json, which may hold ``//`` comment lines as asv allows."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"cannot read {path}: {error.strerror}") from None
    try:
        config = json.loads(_COMMENT_LINE.sub("", text))
    except ValueError as error:
        raise ConfigError(f"{path} is not valid JSON: {error}") from None
    if not isinstance(config, dict):
        raise ConfigError(f"{path} does not hold a JSON object")
    return config


def configured_pythons(config: dict[str, object]) -> list[str]:
    pythons = config.get("pythons", [])
    if not isinstance(pythons, list) or not all(isinstance(p, str) for p in pythons):
        raise ConfigError("'pythons' in asv.conf.json must be a list of strings")
    return list(pythons)


@dataclass(frozen=True)
class Located:
    """Where asv would find the interpreter for one ``pythons`` entry, and what it is."""

    name: str
    executable: str | None
    version: str | None
    problem: str | None

    @property
    def found(self) -> bool:
        return self.problem is None


def executable_name(name: str) -> str:
    """The command asv's virtualenv plugin runs for a ``pythons`` entry."""
    return name if name.startswith("pypy") else f"python{name}"


def locate(name: str, search_path: str | None = None) -> Located:
    """Find the interpreter for ``name`` as asv does, and check that it really starts.

    A pyenv shim is found on PATH but fails when run; such a file is reported with the
    shim's own message rather than counted as found.
    """
    command = executable_name(name)
    executable = shutil.which(command, path=search_path)
    if executable is None:
        return Located(name, None, None, f"no {command} on PATH")
    try:
        probe = subprocess.run(
            [executable, "-c", "import platform; print(platform.python_version())"],
            capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        return Located(name, executable, None, f"{executable} did not start: {error}")
    if probe.returncode != 0:
        reason = (probe.stderr.strip().splitlines() or [f"exit status {probe.returncode}"])[-1]
        return Located(name, executable, None, f"{executable} does not run: {reason}")
    return Located(name, executable, probe.stdout.strip(), None)


def format_report(located: Sequence[Located]) -> str:
    """A table of every configured interpreter, then a plain sentence about the missing ones."""
    lines = [f"{'python':<14} {'version':<10} executable or problem"]
    for entry in located:
        detail = entry.executable if entry.found else f"MISSING: {entry.problem}"
        lines.append(f"{entry.name:<14} {entry.version or '-':<10} {detail}")
    missing = [entry.name for entry in located if not entry.found]
    if missing:
        lines.append(
            f"{len(missing)} of {len(located)} Python versions in asv.conf.json cannot be run "
            f"here and will have NO results: {', '.join(missing)}. asv skips them with one "
            "line and exits 0. `make pythons` says why each is missing.")
    else:
        lines.append(f"All {len(located)} Python versions in asv.conf.json were found.")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m taskbench.interpreters",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", type=Path, default=Path(DEFAULT_CONFIG))
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="report which configured pythons can run")
    check.add_argument("--path", default=None, help="search path (default: $PATH)")
    args = parser.parse_args(argv)

    try:
        names = configured_pythons(load_asv_config(args.config))
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2

    located = [locate(name, args.path) for name in names]
    print(format_report(located))
    return 0 if any(entry.found for entry in located) else 1


if __name__ == "__main__":
    raise SystemExit(main())
