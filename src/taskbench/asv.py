"""``python -m taskbench.asv COMMAND [ARGS ...]``: asv's own commands on this suite, as an asv
user expects them, with what the project's runs need and the committed ``results/`` left alone.

asv does the work; this hands it only what it cannot find by itself (why by hand: asv has no
setting for any of it):

* **the interpreters**: ``.pythons/bin`` (written by ``make pythons``) first on ``PATH``, so
  that ``3.11`` is pyenv's build and ``3.11-debian`` Debian's, as in ``make bench``, never
  whatever ``python3.11`` comes first on the user's ``PATH``. An interpreter that is not there
  is named by asv, which goes on with the rest.
* **the folders**: a copy of ``asv.conf.json`` whose results and site are in ``.asv/hand/``
  (``--folder``): a hand run never lands in ``results/``, and joins it only through the checked
  merge (``python -m taskbench.jobs.merge .asv/hand/results results``). The environments are
  ``make bench``'s own (``.asv/env``), built once.
* **the flags** of the project's runs, for ``run`` and ``continuous`` unless given:
  ``--record-samples``, ``-a rounds=3`` (three processes per figure; not with ``--quick``),
  ``--show-stderr``, and the machine recorded under the name ``make bench`` gives it.
* **the direction**: asv 0.6.6 counts every rise as worse. Every cost here is lower-is-better;
  the task shares and task counts are not costs, so ``continuous`` measures the costs among
  the benchmarks asked for (``--bench``, or all) and ``compare`` is shown only those
  (:mod:`taskbench.asvadapter.costs`); what is left out is named.

Exit status: asv's; 2 for bad arguments of this command or an ``asv.conf.json`` it cannot read;
130 after Ctrl-C (``preview`` runs until then).
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Sequence

from taskbench.asvadapter.config import CONFIG, ConfigError, load_config
from taskbench.asvadapter.costs import costs_only
from taskbench.asvadapter.driver import AsvDriver
from taskbench.catalogue import CATALOGUE, ROUNDS, check_patterns, select
from taskbench.interpreters.provision import DEFAULT_DEST

FOLDER = Path(".asv") / "hand"
USAGE = "usage: python -m taskbench.asv [--folder DIR] COMMAND [ASV ARGUMENTS ...]"
MEASURING = ("run", "continuous")
INTERRUPTED = 130


def _say(text: str) -> None:
    print(f"taskbench.asv: {text}", file=sys.stderr, flush=True)


def _given(arguments: Sequence[str], *options: str) -> list[str]:
    """The values of an option given as ``--opt V``, ``--opt=V`` or ``-o V``."""
    found = []
    for number, argument in enumerate(arguments):
        for option in options:
            if argument == option and number + 1 < len(arguments):
                found.append(arguments[number + 1])
            elif argument.startswith(f"{option}="):
                found.append(argument.split("=", 1)[1])
    return found


def _without(arguments: Sequence[str], *options: str) -> list[str]:
    """``arguments`` without any of ``options`` and their values."""
    kept, skip = [], False
    for argument in arguments:
        if skip:
            skip = False
        elif argument in options:
            skip = True
        elif not any(argument.startswith(f"{option}=") for option in options):
            kept.append(argument)
    return kept


def costs_pattern(patterns: Sequence[str]) -> tuple[str | None, list[str]]:
    """An ``asv --bench`` regex selecting the costs among what ``patterns`` select (all when
    none), and the names of the benchmarks left out as not costs; None when no cost is left.
    ValueError when a pattern is not a regex or selects nothing."""
    problem = check_patterns(patterns)
    if problem:
        raise ValueError(problem)
    chosen = select(patterns)
    left_out = sorted({target.entry.name for target in chosen if target.entry.better is None})
    parts = []
    for entry in CATALOGUE:
        if entry.better is None:
            continue
        calls = [target.call for target in chosen if target.entry is entry]
        if len(calls) == len(list(entry.combinations())):
            parts.append(re.escape(entry.name) + r"(\(.*\))?")
        else:
            parts += [re.escape(call) for call in calls]
    return (f"^({'|'.join(parts)})$" if parts else None), left_out


def measuring(command: str, arguments: list[str], driver: AsvDriver) -> list[str]:
    """``run`` and ``continuous`` with the project's flags and machine, and ``continuous``
    narrowed to the costs; the arguments as given for every other command."""
    extra = [flag for flag in ("--record-samples", "--show-stderr") if flag not in arguments]
    if not any(value.startswith("rounds=") for value in _given(arguments, "-a", "--attribute")) \
            and not {"--quick", "-q"} & set(arguments):
        extra += ["-a", f"rounds={ROUNDS}"]
    if command == "continuous":
        pattern, left_out = costs_pattern(_given(arguments, "--bench", "-b"))
        if pattern is None:
            raise ValueError("continuous compares costs, and the --bench given selects none")
        if left_out:
            _say(f"continuous judges costs only (asv counts every rise as worse); left out, "
                 f"as not costs: {', '.join(left_out)}")
        arguments = _without(arguments, "--bench", "-b") + ["--bench", pattern]
    if not _given(arguments, "--machine", "-m"):
        from taskbench.jobs import machine

        details = machine.details()
        driver.machine(details, capture=True)
        extra.append(f"--machine={details['machine']}")
    return arguments + extra


def _compare(arguments: list[str], driver: AsvDriver, scratch: Path) -> AsvDriver:
    """A driver whose results are a copy of the hand results without what is not a cost."""
    left_out = costs_only(driver.folder("results_dir"), scratch,
                          [entry.name for entry in CATALOGUE if entry.better is not None])
    if left_out:
        _say(f"compare shows costs only (asv counts every rise as worse); left out, as not "
             f"costs: {', '.join(left_out)}")
    return AsvDriver(driver.config, results_dir=scratch, html_dir=driver.html_dir,
                     env=driver.env)


def _split(argv: Sequence[str]) -> tuple[Path, str, list[str]]:
    """(--folder, the asv command, its arguments), or ValueError."""
    arguments = list(argv)
    folder = FOLDER
    if arguments[:1] == ["--folder"]:
        if len(arguments) < 2:
            raise ValueError("--folder needs a folder")
        folder, arguments = Path(arguments[1]), arguments[2:]
    if not arguments or arguments[0].startswith("-"):
        raise ValueError("give an asv command: run, continuous, compare, publish, preview, ...")
    return folder, arguments[0], arguments[1:]


def main(argv: Sequence[str] | None = None) -> int:
    try:
        folder, command, arguments = _split(sys.argv[1:] if argv is None else argv)
        load_config(CONFIG)
    except (ValueError, ConfigError) as error:
        print(f"{USAGE}\nerror: {error}", file=sys.stderr)
        return 2
    interpreters = DEFAULT_DEST.resolve()
    if not interpreters.is_dir():
        _say(f"no {DEFAULT_DEST} here (`make pythons` gathers the interpreters): asv looks "
             "for them on PATH as it is")
    path = os.pathsep.join([str(interpreters), os.environ.get("PATH", "")])
    with AsvDriver(CONFIG, results_dir=folder / "results", html_dir=folder / "html",
                   env={"PATH": path}) as driver, \
            tempfile.TemporaryDirectory(prefix="taskbench-asv-") as scratch:
        try:
            if command in MEASURING:
                arguments = measuring(command, arguments, driver)
            if command == "compare":
                driver = _compare(arguments, driver, Path(scratch) / "results")
        except ValueError as error:
            print(f"{USAGE}\nerror: {error}", file=sys.stderr)
            return 2
        with driver:
            try:
                return driver.call(command, *arguments).returncode
            except KeyboardInterrupt:  # asv, in the same process group, got it too
                return INTERRUPTED


if __name__ == "__main__":
    raise SystemExit(main())
