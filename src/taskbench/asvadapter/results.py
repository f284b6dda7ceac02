"""``results/`` walked and read through asv's own modules, as figures the views can use.

The folders are walked by asv's ``iter_results_paths`` (what ``asv publish`` walks) and every
file is opened with ``asv.results.Results.load``, which checks asv's format and the machine.
A file or folder that cannot be read is named in ``problems`` with what to do, and the others
are still read; a folder asv would publish that is not a machine's own (its machine.json
naming another) is named too. Nothing under ``results/`` is written here.

A :class:`Figure` is one benchmark at one parameter combination, in one environment, at one
commit: asv's value (for sampled benchmarks, the median of the samples), asv's 99% confidence
interval of that median and the samples themselves where asv kept them. Parameters are turned
back into the numbers and strings they were (asv stores their ``repr``).
"""

from __future__ import annotations

import ast
import itertools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Tuple

from taskbench.catalogue import BY_NAME
from taskbench.validity import number

Params = Tuple[Any, ...]
RunStamp = Tuple[int, int]  # asv's commit date, then when the run started (ms since epoch)
MACHINE_FILE = "machine.json"


@dataclass(frozen=True)
class Figure:
    machine: str
    python: str
    env_name: str
    env_vars: tuple[tuple[str, str], ...]
    commit: str
    date: int
    run_started: int  # the newest started_at of the file: when this run was made
    benchmark: str
    version: str | None
    params: Params
    value: float | None
    interval: tuple[float, float] | None = None  # asv's 99% confidence interval of the median
    samples: tuple[float, ...] | None = None
    cpu: str = ""  # asv's cpu field: the host, where the run recorded it (taskbench.host)
    # Set by the views (taskbench.reports.views.Index): measured in an earlier run than the
    # newest of its machine, so shown marked.
    earlier_run: bool = False

    @property
    def environment(self) -> str:
        """The interpreter as views show it: python name plus any matrix variables."""
        return self.python + "".join(f" {key}={value}" for key, value in self.env_vars)

    @property
    def current(self) -> bool:
        """Whether the figure was measured by the benchmark as the catalogue declares it now."""
        entry = BY_NAME.get(self.benchmark)
        return entry is not None and entry.version == self.version


@dataclass
class Loaded:
    figures: list[Figure] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def parameter(text: str) -> Any:
    """asv's stored ``repr`` of a parameter, as the value it was (``"'gather'"`` → ``gather``)."""
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def finite(value: Any) -> float | None:
    """``value`` as a float when it is a finite number, else None (asv's n/a is NaN; an
    integer too large for a float is none either)."""
    return number(value)


def run_stamp(results: Any) -> RunStamp:
    """When a run was made, as asv orders runs: commit date, then the newest start."""
    started = [value for value in results.started_at.values() if isinstance(value, int)]
    return int(results.date or 0), max(started, default=0)


def _interval(stats: dict[str, Any] | None) -> tuple[float, float] | None:
    if not stats:
        return None
    low, high = finite(stats.get("ci_99_a")), finite(stats.get("ci_99_b"))
    return (low, high) if low is not None and high is not None else None


def _figures(results: Any, machine: str) -> Iterator[Figure]:
    date, started = run_stamp(results)
    common = dict(machine=machine, python=str(results.params.get("python", "?")),
                  env_name=results.env_name,
                  env_vars=tuple(sorted((str(k), str(v)) for k, v in results.env_vars.items())),
                  commit=results.commit_hash, date=date, run_started=started,
                  cpu=str(results.params.get("cpu") or ""))
    for key in results.get_all_result_keys():
        grid = results.get_result_params(key) or []
        values = results.get_result_value(key, grid)
        stats = results.get_result_stats(key, grid)
        samples = results.get_result_samples(key, grid)
        for index, combo in enumerate(itertools.product(*grid)):
            sample = samples[index] if index < len(samples) else None
            yield Figure(
                benchmark=key, version=results.benchmark_version.get(key),
                params=tuple(parameter(p) for p in combo),
                value=finite(values[index]) if index < len(values) else None,
                interval=_interval(stats[index] if index < len(stats) else None),
                samples=tuple(float(s) for s in sample if finite(s) is not None)
                if sample else None, **common)


def expected_name(machine: str, commit: str, env_name: str) -> str:
    """Where asv files one environment's results of one commit: ``machine/<file>.json``."""
    from asv.results import get_filename

    return str(get_filename(machine, commit, env_name))


def load_file(path: Path, machine: str) -> Any:
    """``asv.results.Results`` of one file, or ValueError saying why it cannot be read."""
    from asv import results, util

    try:
        return results.Results.load(str(path), machine_name=machine)
    except (util.UserError, OSError, KeyError, TypeError, ValueError, AttributeError) as error:
        raise ValueError(f"{path}: cannot be read ({type(error).__name__}: {error})") from None


def result_paths(results_dir: Path, problems: list[str]) -> list[tuple[Path, str]]:
    """Every results file asv would publish, with its machine; what it would not, and every
    folder that is not a machine's own, is added to ``problems``."""
    from asv.results import iter_results_paths

    found: list[tuple[Path, str]] = []
    walked: set[Path] = set()
    for root, filename, machine in iter_results_paths(str(results_dir)):
        folder = Path(root)
        walked.add(folder)
        if folder.parent != results_dir:
            problems.append(f"{folder} is not a machine folder of {results_dir}, yet asv "
                            "would publish its results; they are skipped here: delete the "
                            "folder, or merge it (python -m taskbench.jobs.merge)")
            continue
        if folder.name != machine:
            problems.append(f"{folder / 'machine.json'} names machine {machine!r}, not the "
                            f"folder's {folder.name!r}; its results are skipped")
            continue
        found.append((folder / filename, machine))
    for folder in sorted(p for p in results_dir.iterdir() if p.is_dir() and p not in walked):
        if any(name.suffix == ".json" and name.name != "machine.json"
               for name in folder.iterdir()):
            problems.append(f"{folder / 'machine.json'} is missing or cannot be read; its "
                            "results are skipped. Restore it from git or rerun asv.")
    problems += _folders_for_files(results_dir)
    return sorted(found)


def _folders_for_files(results_dir: Path) -> list[str]:
    """A folder where a machine's results file or log belongs (``X.json/``): asv walks past
    it without a word, and the views would fall back to an older run."""
    return [f"{path} is a folder where a results file belongs: its results cannot be read. "
            f"Restore the file from git (git checkout -- {path}) or rerun asv."
            for machine in sorted(results_dir.iterdir()) if machine.is_dir()
            for path in sorted(machine.iterdir())
            if path.suffix in (".json", ".jsonl") and path.is_dir() and not path.is_symlink()]


def machine_problems(results_dir: Path) -> list[str]:
    """Every ``machine.json`` under ``results_dir`` that asv could not read as its own."""
    problems: list[str] = []
    for path in sorted(results_dir.rglob(MACHINE_FILE)):
        try:
            data = json.loads(path.read_bytes().decode("utf-8"))
            name = data.get("machine") if isinstance(data, dict) else None
            if not isinstance(name, str) or not name:
                raise ValueError('it names no "machine"')
        except (OSError, UnicodeDecodeError, ValueError) as error:
            reason = "not UTF-8" if isinstance(error, UnicodeDecodeError) else str(error)
            problems.append(f"{path} cannot be read ({reason}): restore it from git (git "
                            f"checkout -- {path}), or delete its folder {path.parent}")
    return problems


def setup_cache_owners(results_dir: Path) -> dict[str, list[str]]:
    """asv's ``setup_cache`` keys (``module:line``) -> the benchmark classes sharing each, as
    ``benchmarks.json`` describes the suite now; {} when it cannot be read."""
    try:
        suite = json.loads((results_dir / "benchmarks.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return {}
    owners: dict[str, set[str]] = {}
    for name, described in suite.items() if isinstance(suite, dict) else ():
        key = described.get("setup_cache_key") if isinstance(described, dict) else None
        if isinstance(key, str) and name.count(".") >= 2:
            owners.setdefault(key, set()).add(name.split(".")[1])
    return {key: sorted(classes) for key, classes in owners.items()}


def graph_file_part(key: str, value: Any) -> str:
    """The part of a graph file's name that asv makes from one parameter of a result."""
    from asv.util import sanitize_filename

    return str(sanitize_filename(f"{key}-{value}" if value else str(key)))


def load(results_dir: Path) -> Loaded:
    """Every figure under ``results_dir``; files that cannot be read are named in problems."""
    loaded = Loaded()
    if not results_dir.is_dir():
        loaded.problems.append(f"{results_dir} does not exist: run this from the repository "
                               "root, or measure first (make bench)")
        return loaded
    for path, machine in result_paths(results_dir, loaded.problems):
        try:
            loaded.figures.extend(_figures(load_file(path, machine), machine))
        except ValueError as error:
            loaded.problems.append(f"{error}; skipped. Restore it from git or rerun asv.")
    return loaded


def latest(figures: Iterable[Figure]) -> list[Figure]:
    """For each machine, environment and benchmark: the figures of its newest run.

    A whole run is taken, not the newest value of each parameter, so that a parameter a later
    run no longer measures does not linger beside the new ones.
    """
    figures = list(figures)
    newest: dict[tuple[str, str, str], tuple[int, int, str]] = {}
    for f in figures:
        key = (f.machine, f.env_name, f.benchmark)
        stamp = (f.date, f.run_started, f.commit)
        if key not in newest or stamp > newest[key]:
            newest[key] = stamp
    return [f for f in figures
            if newest[(f.machine, f.env_name, f.benchmark)] == (f.date, f.run_started, f.commit)]


def graph_file(html_dir: Path, params: Mapping[str, Any], benchmark: str) -> Path:
    """The file ``asv publish`` writes one graph of ``benchmark`` to, for the graph
    parameters ``params`` (machine, python, environment variables...), as asv names it."""
    from asv.graph import Graph

    name: str = Graph.get_file_path(dict(params), benchmark)
    return html_dir / (name + ".json")
