"""Which of the interpreters asv.conf.json lists can this machine run?

asv looks for ``python<name>`` on PATH for each name in ``pythons``; one that it cannot find
costs a single quiet line and the run still exits 0, so a run can silently lose a Python
version. This module answers the question in plain words before and after a run, and gathers
pyenv's interpreters into one directory asv can search (pyenv's shims answer "command not
found" for every version but the global one).

Usage::

    python -m taskbench.interpreters check [--config asv.conf.json] [--path DIRS]
    python -m taskbench.interpreters link-pyenv DEST [--config asv.conf.json]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

DEFAULT_CONFIG = "asv.conf.json"
_COMMENT_LINE = re.compile(r"^\s*//.*$", re.MULTILINE)
_RELEASE_DIR = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")


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


def locate(name: str, search_path: str | None = None) -> Located:
    """Find ``python<name>`` as asv does, and check that it really starts.

    A pyenv shim is found on PATH but fails when run; such a file is reported with the
    shim's own message rather than counted as found.
    """
    executable = shutil.which(f"python{name}", path=search_path)
    if executable is None:
        return Located(name, None, None, f"no python{name} on PATH")
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
            "line and exits 0. Install them, or run `make pythons` to link pyenv's builds.")
    else:
        lines.append(f"All {len(located)} Python versions in asv.conf.json were found.")
    return "\n".join(lines)


def newest_pyenv_release(pyenv_root: Path, name: str) -> Path | None:
    """The newest pyenv install of minor version ``name`` (``"3.8"``), as its pythonX.Y."""
    major_minor = name.split(".")
    best = None
    versions_dir = pyenv_root / "versions"
    if not versions_dir.is_dir():
        return None
    for candidate in versions_dir.iterdir():
        match = _RELEASE_DIR.match(candidate.name)
        if not match or [match.group(1), match.group(2)] != major_minor:
            continue
        executable = candidate / "bin" / f"python{name}"
        if executable.exists() and (best is None or int(match.group(3)) > best[0]):
            best = (int(match.group(3)), executable)
    return best[1] if best else None


def link_pyenv_pythons(dest: Path, names: Sequence[str], pyenv_root: Path) -> dict[str, Path]:
    """Link ``dest/python<name>`` to pyenv's newest build of each plain ``X.Y`` name."""
    dest.mkdir(parents=True, exist_ok=True)
    linked = {}
    for name in names:
        if not re.fullmatch(r"\d+\.\d+", name):
            continue
        target = newest_pyenv_release(pyenv_root, name)
        if target is None:
            continue
        link = dest / f"python{name}"
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(target)
        linked[name] = target
    return linked


def pyenv_root() -> Path | None:
    if os.environ.get("PYENV_ROOT"):
        return Path(os.environ["PYENV_ROOT"])
    pyenv = shutil.which("pyenv")
    if pyenv is None:
        return None
    result = subprocess.run([pyenv, "root"], capture_output=True, text=True, check=False)
    return Path(result.stdout.strip()) if result.returncode == 0 else None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m taskbench.interpreters",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", type=Path, default=Path(DEFAULT_CONFIG))
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="report which configured pythons can run")
    check.add_argument("--path", default=None, help="search path (default: $PATH)")
    link = commands.add_parser("link-pyenv", help="link pyenv's interpreters into DEST")
    link.add_argument("dest", type=Path)
    args = parser.parse_args(argv)

    try:
        names = configured_pythons(load_asv_config(args.config))
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2

    if args.command == "link-pyenv":
        root = pyenv_root()
        if root is None:
            print("pyenv not found: no interpreters linked; asv will search PATH as it is.")
            return 0
        linked = link_pyenv_pythons(args.dest, names, root)
        for name, target in linked.items():
            print(f"linked python{name} -> {target}")
        return 0

    located = [locate(name, args.path) for name in names]
    print(format_report(located))
    return 0 if any(entry.found for entry in located) else 1


if __name__ == "__main__":
    raise SystemExit(main())
