"""Gather every configured interpreter into ``.pythons/bin`` and say what each one is.

For every name in ``pythons`` the matching source (:mod:`taskbench.interpreters.sources`)
puts a named executable in the directory, and the interpreter is then started once to print
its build facts (:mod:`taskbench.workloads.buildinfo`): one probe that proves it runs, that it
is the version and implementation its name says (a 3.11 in 3.14's place is refused), and says
how it was built. An executable whose interpreter cannot start, or is not what its name says,
is removed again, since asv would only fail on it or mislabel it later; when it came from the
download cache, that cache entry is cleared too, so that the next run fetches it afresh
instead of failing on the same copy for ever. An OS error (a read-only ``.pythons/bin`` or
cache, a file where a folder should be) is the reason of that interpreter's row, naming the
path. Nothing here touches the system's apt setup.

Usage::

    python -m taskbench.interpreters [--dest .pythons/bin] [--cache DIR] [--offline]
"""

from __future__ import annotations

import argparse
import errno
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any, Sequence

from taskbench import arguments, host
from taskbench.asvadapter.config import CONFIG, ConfigError, configured_pythons, load_config
from taskbench.interpreters import debian, sources
from taskbench.interpreters.facts import stamped
from taskbench.interpreters.families import BY_KEY
from taskbench.interpreters.names import Wanted, parse_name
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
        return replace(outcome, executable=None, problem=f"{outcome.executable} {facts}")
    facts = stamped({**facts, "source": outcome.source, **dict(BY_KEY[family].stated_facts)})
    return replace(outcome, facts=facts)


def checked_identity(outcome: Outcome, wanted: Wanted) -> Outcome:
    """``outcome``, refused when its interpreter is not the version and implementation its
    name says: asv would file its results under the name, and every view mislabel them."""
    if outcome.facts is None:
        return outcome
    version = str(outcome.facts.get("version", ""))
    implementation = str(outcome.facts.get("implementation", ""))
    expected = wanted.record.implementation
    if implementation == expected and (version + ".").startswith(wanted.version + "."):
        return outcome
    return replace(outcome, executable=None, facts=None, problem=(
        f"{outcome.executable} reports {implementation} {version}, not {wanted.version}"))


def os_problem(error: OSError, option: str) -> str:
    """An OS error as one line naming the path, with what to do when it cannot be written."""
    path = error.filename if error.filename is not None else "?"
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        folder = Path(path).parent
        return (f"cannot write {path}: {error.strerror} (make {folder} writable, or give "
                f"another {option})")
    return f"{path}: {error.strerror or error}"


def _forget(outcome: Outcome) -> Outcome:
    """A failed interpreter's cache entry cleared, so that the next run fetches it again."""
    if outcome.cache is None or outcome.problem is None:
        return outcome
    root = outcome.cache.root
    try:
        debian.forget(outcome.cache)
    except OSError as error:
        return replace(outcome, problem=f"{outcome.problem}; its cached copy in {root} could "
                                        f"not be cleared ({error.filename}: {error.strerror})"
                                        f": delete {root}, and the next `make pythons` "
                                        "downloads it again")
    return replace(outcome, problem=f"{outcome.problem}; its cached copy in {root} was "
                                    "cleared: the next `make pythons` downloads and unpacks it "
                                    "again")


def _from_source(wanted: Wanted, dest: Path, cache: Path, root: Path | None,
                 offline: bool) -> Outcome:
    provide = getattr(sources, wanted.record.source)
    return provide(wanted, dest, cache=cache, root=root, offline=offline)  # type: ignore


def _provide(wanted: Wanted, dest: Path, cache: Path, root: Path | None,
             offline: bool) -> Outcome:
    """One name's executable in ``dest``, checked, or why there is none (never OSError)."""
    source = "?"
    try:
        outcome = _from_source(wanted, dest, cache, root, offline)
        source = outcome.source
        outcome = checked_identity(with_facts(outcome, wanted.family), wanted)
        if outcome.problem is not None:
            # An executable whose interpreter cannot start would only fail later, in asv.
            (dest / wanted.executable_name).unlink(missing_ok=True)
            outcome = _forget(outcome)
    except OSError as error:
        return Outcome(wanted.name, source, problem=os_problem(
            error, "--dest" if Path(error.filename or "").parent == dest else "--cache"))
    return outcome


def provision(names: Sequence[str], dest: Path, cache: Path,
              offline: bool = False) -> list[Outcome]:
    """Put an executable for each name into ``dest``; one outcome per name, in order."""
    dest = dest.resolve()  # run by absolute path: a relative one could read as an option
    try:
        dest.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        return [Outcome(name, "?", problem=os_problem(error, "--dest")) for name in names]
    root = sources.pyenv_root()
    outcomes = []
    for name in names:
        try:
            wanted = parse_name(name)
        except ValueError as error:
            outcomes.append(Outcome(name, "?", problem=str(error)))
            continue
        outcomes.append(_provide(wanted, dest, cache, root, offline))
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
