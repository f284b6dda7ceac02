"""Merge results folders (CI jobs, or a finished run's staging folder) into ``results/``.

Every incoming file is checked before anything is written: a results file must load with
asv's own reader for the machine of the folder it sits in, under the name asv would give
it; ``machine.json`` must name that machine; ``interpreters.jsonl`` must parse; machine names
must be plain folder names. Symbolic links, and anything that would land outside
``results/``, are refused. A results file replaces a committed one only when its run is
newer (asv's commit date, then when the run was made); otherwise the committed one is kept
and the incoming one reported. Everything is first written to a staging folder inside
``results/`` and then renamed into place, so a failure midway leaves ``results/`` as it was,
and a committed file is never cut short.

Usage::

    python -m taskbench.jobs.merge INCOMING [INCOMING ...] RESULTS
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from asv import results as asv_results

from taskbench import arguments
from taskbench.asvadapter.results import load_file, run_stamp
from taskbench.interpreters import facts
from taskbench.jobs.machine import valid_machine_name
from taskbench.jobs.preamble import annotate


@dataclass
class Report:
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"{len(self.added)} added, {len(self.replaced)} replaced, {len(self.kept)} kept "
               f"(the committed file is as new or newer), {len(self.refused)} refused"]
        out += [f"  added: {name}" for name in self.added]
        out += [f"  replaced: {name}" for name in self.replaced]
        out += [f"  kept: {name}" for name in self.kept]
        out += [f"  refused: {reason}" for reason in self.refused]
        return out


def _machine_dirs(incoming: Path, report: Report) -> list[tuple[Path, str]]:
    """Folders holding a machine.json, each with the machine it names (checked)."""
    found = []
    for root, dirs, names in os.walk(incoming, followlinks=False):
        here = Path(root)
        for name in dirs + names:
            if (here / name).is_symlink():
                report.refused.append(f"{here / name}: a symbolic link")
        if "machine.json" not in names:
            orphans = sorted(name for name in names if name != "benchmarks.json" and
                             (name.endswith(".json") or name.endswith(".jsonl")))
            if orphans:
                report.refused.append(f"{here}: {', '.join(orphans)} without a machine.json "
                                      "to say whose they are; left out")
            continue
        if (here / "machine.json").is_symlink():  # refused above, with the other links
            continue
        try:
            data = json.loads((here / "machine.json").read_text(encoding="utf-8"))
            machine = data.get("machine") if isinstance(data, dict) else None
        except (OSError, ValueError) as error:
            report.refused.append(f"{here / 'machine.json'}: not JSON ({error}); its folder is "
                                  "left out")
            continue
        if not isinstance(machine, str) or not valid_machine_name(machine):
            report.refused.append(f"{here}: machine.json names {machine!r}, not a plain "
                                  "folder name; left out")
        elif machine != here.name:
            report.refused.append(f"{here}: machine.json names {machine!r}, but the folder is "
                                  f"{here.name!r}; left out")
        else:
            found.append((here, machine))
    return found


def _plan_machine(source: Path, machine: str, target: Path, staging: Path,
                  report: Report) -> list[tuple[Path, Path]]:
    """Check one incoming machine folder; stage what should land; return (staged, final)."""
    moves: list[tuple[Path, Path]] = []
    out = staging / machine
    out.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.iterdir()):
        label = f"{machine}/{path.name}"
        if path.is_symlink() or not path.is_file():
            continue  # links were refused while walking; folders hold no results
        final = target / path.name
        # Several incoming folders may hold the same machine (one CI job per interpreter):
        # a file an earlier folder staged is what this one is compared with and merged into,
        # and it is moved into place once; staging it twice lost the first copy and made
        # the second rename fail midway.
        staged = out / path.name
        already = staged.exists()
        current = staged if already else final
        if path.name == "machine.json":
            if not final.exists() and not already:
                shutil.copy2(path, staged)
                moves.append((staged, final))
                report.added.append(label)
            continue
        if path.name == facts.FACTS_FILE:
            try:
                incoming = facts.read(path)
                existing = facts.read(current)
            except facts.FactsError as error:
                report.refused.append(f"{error}; build facts left out")
                continue
            merged = facts.merged(existing, incoming.values())
            if merged != existing:
                staged.write_text(facts.render(merged), encoding="utf-8")
                if not already:
                    moves.append((staged, final))
                    (report.replaced if final.exists() else report.added).append(label)
            continue
        if path.suffix != ".json":
            report.refused.append(f"{path}: not a results file; left out")
            continue
        try:
            results = load_file(path, machine)
        except ValueError as error:
            report.refused.append(f"{error}; left out")
            continue
        try:
            # asv's reader checks the columns are there, not their types: a null commit hash
            # or a text date is refused here rather than stop this merge (or a later one).
            expected = Path(asv_results.get_filename(machine, results.commit_hash,
                                                     results.env_name)).name
            stamp = run_stamp(results)
        except (ValueError, TypeError) as error:
            report.refused.append(f"{path}: not asv's results file ({type(error).__name__}: "
                                  f"{error}); left out")
            continue
        if path.name != expected:
            report.refused.append(f"{path}: holds {expected}'s results under another name; "
                                  "left out")
            continue
        if current.exists():
            try:
                committed = run_stamp(load_file(current, machine))
            except (ValueError, TypeError):
                committed = None
            if committed is not None and committed >= stamp:
                report.kept.append(f"{label} (incoming run is not newer)")
                continue
        shutil.copy2(path, staged)
        if not already:
            moves.append((staged, final))
            (report.replaced if final.exists() else report.added).append(label)
    return moves


def _plan_benchmarks(incomings: Sequence[Path], results: Path, staging: Path, report: Report
                     ) -> list[tuple[Path, Path]]:
    """asv's benchmarks.json: the union of every copy, incoming descriptions winning."""
    merged: dict[str, Any] = {}
    final = results / "benchmarks.json"
    sources = [final] if final.is_file() and not final.is_symlink() else []
    for incoming in incomings:
        sources += sorted(path for path in incoming.rglob("benchmarks.json")
                          if not path.is_symlink())
    committed: dict[str, Any] | None = None
    for path in sources:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or not isinstance(data.get("version"), int):
                raise ValueError("not asv's benchmarks.json")
        except (OSError, ValueError) as error:
            report.refused.append(f"{path}: {error}; left out")
            continue
        if path == final:
            committed = data
        merged.update(data)
    # Compared with the copy read above: reading the committed file again raised, and so
    # stopped the whole merge, when that file was the one refused as not JSON.
    if not merged or merged == committed:
        return []
    staged = staging / "benchmarks.json"
    staged.write_text(json.dumps(merged, indent=4, sort_keys=True), encoding="utf-8")
    return [(staged, final)]


def merge(incomings: Sequence[Path], results: Path) -> Report:
    """Merge every machine folder under ``incomings`` into ``results`` (see the docstring)."""
    report = Report()
    results.mkdir(parents=True, exist_ok=True)
    if results.is_symlink():
        raise ValueError(f"{results} is a symbolic link; refusing to write through it")
    root = results.resolve()
    # A merge killed midway leaves its staging folder behind; asv would read the results in
    # it as if they were committed. Merges never overlap (one workflow concurrency group,
    # one main job at a time), so any such folder is a leftover.
    for leftover in results.glob(".merge-*"):
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover)
    with tempfile.TemporaryDirectory(prefix=".merge-", dir=results) as temporary:
        staging = Path(temporary)
        moves: list[tuple[Path, Path]] = []
        for incoming in incomings:
            for source, machine in _machine_dirs(incoming.resolve(), report):
                target = results / machine
                if target.is_symlink() or (target.exists() and
                                           target.resolve().parent != root):
                    report.refused.append(f"{target}: a link or outside {results}; "
                                          f"{source} left out")
                    continue
                moves += _plan_machine(source, machine, target, staging, report)
        moves += _plan_benchmarks([path.resolve() for path in incomings], results, staging,
                                  report)
        # One rename per file; if one fails (a full disk making a folder, a file system
        # error), those done are undone from hard links to the files they replaced, so
        # results/ is left as it was rather than half merged.
        done: list[tuple[Path, Path | None]] = []
        made: list[Path] = []
        try:
            for number, (staged, final) in enumerate(moves):
                if not final.parent.exists():
                    final.parent.mkdir()
                    made.append(final.parent)
                backup = None
                if os.path.lexists(final):
                    backup = staging / f".replaced-{number}"
                    try:
                        os.link(final, backup, follow_symlinks=False)
                    except OSError:  # a file system without hard links
                        shutil.copy2(final, backup, follow_symlinks=False)
                os.replace(staged, final)
                done.append((final, backup))
        except BaseException:
            for final, backup in reversed(done):
                if backup is None:
                    final.unlink()
                else:
                    os.replace(backup, final)
            for folder in reversed(made):
                folder.rmdir()
            raise
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m taskbench.jobs.merge", description=__doc__.split("\n\n")[0],
        epilog="Exit status: 0 when the merge ran (anything refused is listed), 2 when it "
               "could not start.")
    parser.add_argument("paths", nargs="+", type=arguments.path, metavar="INCOMING... RESULTS")
    args = parser.parse_args(argv)
    if len(args.paths) < 2:
        parser.error("give at least one incoming folder and the results folder")
    *incomings, results = args.paths
    missing = [str(path) for path in incomings if not path.is_dir()]
    if missing:
        print(f"error: no such folder: {', '.join(missing)}", file=sys.stderr)
        return 2
    try:
        report = merge(incomings, results)
    except (OSError, ValueError) as error:
        print(f"error: nothing was merged: {error}", file=sys.stderr)
        return 2
    for line in report.lines():
        print(line)
    for reason in report.refused:
        annotate(f"merge refused {reason}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
