"""Gather every configured interpreter into ``.pythons/bin`` and say what each one is.

For every name in ``pythons`` the matching source (:mod:`taskbench.interpreters.sources`)
puts a named executable in the directory, and the interpreter is then started once to print
its build facts (:mod:`taskbench.workloads.buildinfo`): one probe that both proves it runs and
says how it was built. An executable whose interpreter cannot start is removed again, since
asv would only fail on it later. Nothing here touches the system's apt setup.

Usage::

    python -m taskbench.interpreters [--dest .pythons/bin] [--cache DIR] [--offline]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any, Sequence

from taskbench import arguments, host
from taskbench.asvadapter.config import CONFIG, ConfigError, configured_pythons, load_config
from taskbench.interpreters import sources
from taskbench.interpreters.facts import stamped
from taskbench.interpreters.names import parse_name
from taskbench.interpreters.sources import Outcome

DEFAULT_DEST = Path(".pythons") / "bin"
BUILDINFO = Path(__file__).resolve().parent.parent / "workloads" / "buildinfo.py"


def default_cache() -> Path:
    return host.cache_dir("pythons")


def build_facts(executable: Path) -> dict[str, Any] | str:
    """The build facts of ``executable`` (see :mod:`taskbench.workloads.buildinfo`), or a
    sentence saying why it could not report them."""
    try:
        result = subprocess.run([str(executable), str(BUILDINFO)], capture_output=True,
                                text=True, timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"did not start: {error}"
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or [f"exit status {result.returncode}"])[-1]
        return f"does not run: {last}"
    try:
        facts = json.loads(result.stdout)
    except ValueError:
        return f"printed no build facts: {result.stdout.strip()[:200]!r}"
    if not isinstance(facts, dict):
        return "printed no build facts"
    return facts


def with_facts(outcome: Outcome, family: str) -> Outcome:
    """``outcome`` with its interpreter's build facts, or with the reason it cannot run."""
    if outcome.executable is None:
        return outcome
    facts = build_facts(outcome.executable)
    if isinstance(facts, str):
        return Outcome(outcome.name, outcome.source, problem=f"{outcome.executable} {facts}")
    facts = stamped({**facts, "source": outcome.source})
    if family == "debian":
        # Debian's changelog: "Enable LTO/PGO builds" (amd64, arm64), and "Don't propagate
        # lto flags to the _sysconfigdata module": sysconfig cannot show them.
        facts["pgo"] = facts["lto"] = "yes (Debian's packaging)"
    return Outcome(outcome.name, outcome.source, outcome.executable, None, facts)


def provision(names: Sequence[str], dest: Path, cache: Path,
              offline: bool = False) -> list[Outcome]:
    """Put an executable for each name into ``dest``; one outcome per name, in order."""
    dest = dest.resolve()  # run by absolute path: a relative one could read as an option
    dest.mkdir(parents=True, exist_ok=True)
    root = sources.pyenv_root()
    outcomes = []
    for name in names:
        try:
            wanted = parse_name(name)
        except ValueError as error:
            outcomes.append(Outcome(name, "?", problem=str(error)))
            continue
        if wanted.family == "pyenv":
            outcome = sources.from_pyenv(wanted, dest, root)
        elif wanted.family == "debian":
            outcome = sources.from_debian(wanted, dest, cache, offline)
        elif wanted.family == "pypy":
            outcome = sources.from_pypy(wanted, dest, cache, offline)
        else:
            outcome = sources.from_path(wanted, dest)
        outcome = with_facts(outcome, wanted.family)
        if outcome.problem is not None:
            # An executable whose interpreter cannot start would only fail later, in asv.
            (dest / wanted.executable_name).unlink(missing_ok=True)
        outcomes.append(outcome)
    return outcomes


def _build(facts: dict[str, Any]) -> str:
    flags = [str(facts.get("optimisation", ""))]
    flags += [flag.upper() for flag in ("pgo", "lto") if str(facts.get(flag, "")).startswith("yes")]
    if str(facts.get("jit", "")).startswith(("available", "on")):
        flags.append("JIT")
    return " ".join(flag for flag in flags if flag)


def format_table(outcomes: Sequence[Outcome]) -> str:
    """One row per configured name, then a plain sentence naming what is not available."""
    lines = [f"{'python':<13} {'version':<9} {'build':<22} {'source':<34} status"]
    for outcome in outcomes:
        facts = outcome.facts or {}
        status = "ok" if outcome.problem is None else f"NOT AVAILABLE: {outcome.problem}"
        lines.append(f"{outcome.name:<13} {str(facts.get('version', '-')):<9} "
                     f"{_build(facts):<22} {outcome.source:<34} {status}")
    missing = [outcome.name for outcome in outcomes if outcome.problem is not None]
    if missing:
        lines.append(f"{len(missing)} of {len(outcomes)} configured interpreters are not "
                     f"available and will have no results: {', '.join(missing)}.")
    else:
        lines.append(f"All {len(outcomes)} configured interpreters are available.")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m taskbench.interpreters", description=__doc__.split("\n\n")[0],
        epilog="Exit status: 0 when at least one interpreter is available, 1 when none is, "
               "2 for a configuration that cannot be read.")
    parser.add_argument("--config", type=arguments.path, default=CONFIG)
    parser.add_argument("--dest", type=arguments.path, default=DEFAULT_DEST)
    parser.add_argument("--cache", type=arguments.path, default=None,
                        help="where downloads are unpacked (default: ~/.cache/taskbench/pythons)")
    parser.add_argument("--offline", action="store_true",
                        help="use only what is installed or cached; download nothing")
    args = parser.parse_args(argv)
    try:
        names = configured_pythons(load_config(args.config))
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    outcomes = provision(names, args.dest, args.cache or default_cache(), args.offline)
    print(format_table(outcomes))
    if not any(outcome.facts for outcome in outcomes):
        print("error: none of the configured interpreters can run here (the table says why)",
              file=sys.stderr)
        return 1
    return 0
