"""What one merge stages and reports: the files bound for ``results/`` and what became of the
rest (:mod:`taskbench.jobs.merge` walks the incoming folders and decides).

A checkout on macOS or Windows holds names that differ only by case as one file, so the plan
refuses a path that differs only by case from one in ``results/`` or one already staged
(:meth:`Plan.clash`): ``Casebox`` beside ``casebox`` would have one overwrite the other there.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from taskbench.asvadapter.results import expected_name, load_file, run_stamp


def _one_line(text: str) -> str:
    return text.replace("\r", "\\r").replace("\n", "\\n")


@dataclass
class Report:
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # an earlier merge, rolled back first

    def lines(self) -> list[str]:
        """The report, one line per file or refusal (a line break in a name or a message,
        shown as ``\\n``, cannot split one in two)."""
        out = [f"{len(self.added)} added, {len(self.replaced)} replaced, {len(self.kept)} kept "
               f"(the committed record stays: nothing newer and as complete came), "
               f"{len(self.refused)} refused"]
        out += [f"  added: {_one_line(name)}" for name in self.added]
        out += [f"  replaced: {_one_line(name)}" for name in self.replaced]
        out += [f"  kept: {_one_line(name)}" for name in self.kept]
        out += [f"  refused: {_one_line(reason)}" for reason in self.refused]
        if self.refused:
            out.append("What was refused is left out and results/ keeps its own files: fix "
                       "or measure it again (make bench), then merge again.")
        out += [f"note: {note}" for note in self.notes]
        return out


@dataclass
class Plan:
    """What one merge stages: files under ``staging`` at their paths relative to ``results``."""

    staging: Path
    results: Path
    report: Report
    step: Callable[[str], None]
    paths: dict[str, None] = field(default_factory=dict)  # ordered, and found in one step
    _listings: dict[Path, list[str]] = field(default_factory=dict)
    _runs: dict[str, int | None] = field(default_factory=dict)

    def current(self, relative: str) -> Path:
        """The copy an incoming file is compared with: one an earlier folder staged (several
        incoming folders may hold one machine: one CI job per interpreter), else the
        committed one."""
        return (self.staging / relative if relative in self.paths
                else self.results / relative)

    def target(self, relative: str) -> Path:
        (self.staging / relative).parent.mkdir(parents=True, exist_ok=True)
        self.paths[relative] = None  # staged: it lands, in landing order
        self._runs.pop(relative, None)
        return self.staging / relative

    def _listing(self, folder: Path) -> list[str]:
        if folder not in self._listings:
            self._listings[folder] = sorted(os.listdir(folder)) if folder.is_dir() else []
        return self._listings[folder]

    def clash(self, relative: str) -> str | None:
        """A path of ``results/``, or one staged, that differs from ``relative`` only by
        case (one file on macOS and Windows), or None."""
        parts = relative.split("/")
        for other in self.paths:
            theirs = other.split("/")
            for depth, (mine, their) in enumerate(zip(parts, theirs)):
                if mine != their:
                    if mine.casefold() == their.casefold():
                        return "/".join(theirs[:depth + 1])
                    break
        folder = self.results
        for depth, part in enumerate(parts):
            for entry in self._listing(folder):
                if entry != part and entry.casefold() == part.casefold():
                    return "/".join([*parts[:depth], entry])
            folder = folder / part
        return None

    def holds_commit(self, machine: str, commit: str) -> bool:
        """Whether ``results/`` holds, after this merge, a results file of ``commit`` on
        ``machine`` (asv names each by the commit's first 8 characters)."""
        prefix = f"{machine}/{commit[:8]}-"
        return any(path.startswith(prefix) for path in self.paths) or any(
            name.startswith(prefix.split("/")[1]) and name.endswith(".json")
            for name in self._listing(self.results / machine))

    def run_of(self, machine: str, commit: str, env_name: str) -> int | None:
        """The run (newest ``started_at``) of the results file of ``commit`` and
        ``env_name`` that ``results/`` holds after this merge; None when it holds none."""
        relative = expected_name(machine, commit, env_name).replace(os.sep, "/")
        if relative not in self._runs:
            path = self.current(relative)
            try:
                self._runs[relative] = run_stamp(load_file(path, machine))[1] \
                    if path.is_file() else None
            except (ValueError, TypeError):
                self._runs[relative] = None
        return self._runs[relative]
