"""What asv's graphs are drawn from: a copy of ``results/`` holding only what the catalogue
declares now, written outside the repository for ``asv publish``.

``results/`` keeps every run ever merged, retired benchmarks and earlier versions included:
it is the record. asv publishes whatever ``results/benchmarks.json`` describes, and that file
describes the suite as it last ran, so a run of an older suite fills the grid, the graphs and
the regressions with benchmarks nobody measures any more. :func:`publishable` therefore
copies, through asv's own ``Results`` (load, ``remove_result``, save), every figure whose
benchmark the catalogue declares at the version it declares, and leaves out

* benchmarks the catalogue no longer declares, and versions it does not declare (named in
  :attr:`Published.left_out`, with how many results files hold them);
* a benchmark without a single value in a file (an interpreter that cannot measure it, as
  PyPy and tracemalloc): asv would draw an empty line for it;
* a results file, and a machine, left with nothing.

A results file from before hosts were recorded (asv's ``cpu`` names no host,
:func:`taskbench.host.named_host`) is published with ``cpu`` saying so
(:data:`taskbench.host.UNKNOWN_HOST`): asv draws a line per distinct ``cpu``, so such runs stay
on a line of their own, as they were measured, and are never joined to a host's line.

``benchmarks.json`` is copied with the benchmarks that kept a figure, so that every benchmark
in asv's grid has a graph. Before anything is copied, every ``machine.json`` and results file
is read and every name asv turns into a graph file name is checked against the file system's
limit: a file that cannot be published is a :class:`SiteError` naming it and what to do.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from taskbench import files
from taskbench.asvadapter.results import (
    MACHINE_FILE,
    finite,
    graph_file_part,
    load_file,
    machine_problems,
    result_paths,
)
from taskbench.catalogue import BY_NAME, CATALOGUE
from taskbench.host import UNKNOWN_HOST, named_host
from taskbench.site.vendor import SiteError

BENCHMARKS_FILE = "benchmarks.json"
NAME_MAX = 255  # bytes in one file name (ext4, APFS, NTFS): asv makes one per graph parameter


def restore(path: Path) -> str:
    """What to do about a file that cannot be published."""
    return f"restore it from git (git checkout -- {path}) or delete it"


@dataclass
class Published:
    """The copy asv publishes from, and what was left out of it."""

    folder: Path
    files: int = 0  # results files copied
    left_out: Counter[str] = field(default_factory=Counter)  # why -> results files
    unknown_host: int = 0  # results files published as from an unknown host
    commits: set[str] = field(default_factory=set)  # of the results copied
    undrawn: list[str] = field(default_factory=list)  # commits asv's history does not hold

    def summary(self) -> str:
        lines = []
        if self.left_out:
            reasons = "".join(f"\n  {why} ({count} results file{'s' if count > 1 else ''})"
                              for why, count in sorted(self.left_out.items()))
            lines.append("asv's graphs leave out what the catalogue does not declare now (it "
                         f"stays in results/):{reasons}")
        else:
            lines.append("asv's graphs show every benchmark in results/.")
        if self.unknown_host:
            many = self.unknown_host > 1
            lines.append(f"{self.unknown_host} results file{'s are' if many else ' is'} from "
                         "before hosts were recorded: drawn on lines of their own, marked "
                         f"{UNKNOWN_HOST!r}.")
        if self.undrawn:
            lines.append(
                f"asv's graphs leave out the results of {len(self.undrawn)} commit"
                f"{'s' if len(self.undrawn) > 1 else ''} not on the configured branch's "
                f"first-parent history ({', '.join(c[:8] for c in self.undrawn)}); the front "
                "page's tables show them. asv draws a commit only there: merge such a branch "
                "by fast-forward, or measure on the branch itself.")
        return "\n".join(lines)


def described(results_dir: Path) -> dict[str, Any]:
    """asv's description of the suite (``benchmarks.json``), or SiteError naming the file."""
    path = results_dir / BENCHMARKS_FILE
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        raise SiteError(f"{path} is missing: asv writes it on every run (make bench)") from None
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise SiteError(f"{path} cannot be read ({error}): {restore(path)}") from None
    if not isinstance(data, dict):
        raise SiteError(f"{path} holds no benchmarks: {restore(path)}")
    return data


def why_left_out(name: str, version: str | None, suite: dict[str, Any]) -> str | None:
    """Why a figure of ``name`` at ``version`` is not published, or None when it is."""
    entry = BY_NAME.get(name)
    if entry is None:
        return f"{name} (retired: not in the catalogue)"
    if version != entry.version:
        return f"{name} at version {version} (the catalogue's is {entry.version})"
    info = suite.get(name)
    if not isinstance(info, dict) or info.get("version") != entry.version:
        return (f"{name} at version {version} (results/{BENCHMARKS_FILE} does not describe "
                "it: a run of the suite as it is now rewrites it)")
    return None


def _has_value(results: Any, key: str) -> bool:
    grid = results.get_result_params(key) or []
    return any(finite(value) is not None for value in results.get_result_value(key, grid))


def long_names(results: Any, path: Path) -> list[str]:
    """The graph parameters of ``results`` too long for a file name, named with their file."""
    found: list[str] = []
    params = {**results.params, **{f"env-{k}": v for k, v in results.env_vars.items()}}
    for key, value in params.items():
        size = len(graph_file_part(key, value).encode("utf-8"))
        if size > NAME_MAX:
            where = path.parent / MACHINE_FILE if key == "machine" else path
            found.append(f"{where}: its {key} is {len(str(value))} characters long; asv names "
                         f"a graph file after it, and a file name holds at most {NAME_MAX} "
                         "bytes: shorten it (machine: rename the folder and its machine.json) "
                         "or delete it")
    return found


def _copy_file(path: Path, machine: str, suite: dict[str, Any], published: Published
               ) -> tuple[Any, set[str]]:
    """One results file as asv's Results, with only what is published; the names kept."""
    results = load_file(path, machine)
    if named_host(results.params.get("cpu")) is None:
        results.params["cpu"] = UNKNOWN_HOST  # the copy's only: a line apart from any host's
    kept: set[str] = set()
    for key in list(results.get_all_result_keys()):
        reason = why_left_out(key, results.benchmark_version.get(key), suite)
        if reason is not None:
            published.left_out[reason] += 1
        if reason is not None or not _has_value(results, key):
            results.remove_result(key)
        else:
            kept.add(key)
    return results, kept


def publishable(results_dir: Path, target: Path) -> Published:
    """Copy what asv may publish from ``results_dir`` into ``target`` (see the module
    docstring); SiteError names every file that stops it, and nothing is copied then."""
    problems = machine_problems(results_dir)
    if problems:
        raise SiteError(_cannot(results_dir, problems))
    suite = described(results_dir)
    published = Published(target)
    copies: list[tuple[Any, Path]] = []
    names: set[str] = set()
    for path, machine in result_paths(results_dir, problems):
        try:
            results, kept = _copy_file(path, machine, suite, published)
        except ValueError as error:
            problems.append(f"{error}: {restore(path)}")
            continue
        problems += long_names(results, path)
        if kept:
            copies.append((results, path))
            published.unknown_host += results.params["cpu"] == UNKNOWN_HOST
            published.commits.add(results.commit_hash)
            names |= kept
    if problems:
        raise SiteError(_cannot(results_dir, problems))
    for results, path in copies:
        results.save(str(target))
        files.copy(path.parent / MACHINE_FILE, target / path.parent.name / MACHINE_FILE)
    published.files = len(copies)
    kept_suite = {key: value for key, value in suite.items() if key in names}
    files.write_text(target / BENCHMARKS_FILE, json.dumps({**kept_suite, "version": suite.get(
        "version", 2)}, indent=1))
    return published


def _cannot(results_dir: Path, problems: list[str]) -> str:
    return (f"{results_dir} cannot be published as it is:\n  " + "\n  ".join(problems))


def without_regressions() -> dict[str, None]:
    """asv's ``regressions_first_commits`` for every benchmark that is not a cost, lower is
    better: asv calls every rise a regression, which for those is not one (None: no
    detection for the names the pattern matches, ``name`` or ``name(params)``)."""
    return {f"^{re.escape(entry.name)}(\\(|@|$)": None for entry in CATALOGUE
            if entry.better != "lower"}

