"""A merge into ``results/`` as one transaction: a lock, a staging area beside ``results/`` and
a journal, so that other merges and ``kill -9`` leave ``results/`` as it was before or after.

asv reads every folder under ``results/``, so nothing of a merge sits there until it lands:
for ``results/`` at ``R``, a merge works in ``.R.merge/`` beside it (on the same file system,
so that a rename moves a file in one step), which holds

* ``lock``: locked for a merge's whole run (:mod:`taskbench.lock`), naming its holder;
* ``staging/``: every file to land, under its path in ``R``, checked and written before
  anything in ``R`` changes;
* ``backup/``: a hard link to (or a copy of) every file of ``R`` a staged one replaces;
* ``journal``: written once staging and backups are complete (the files to move, in order,
  the folders to make) and marked done once every file has moved.

A merge that stops midway, killed or failing, is settled by the next one before it does
anything else, and by :func:`recover`, which ``make site`` and ``make readme`` call before
reading ``R``: under a journal not marked done, every file that moved (its staged copy is
gone) gets its backup back or is removed, and the folders made are removed; then the work
area is emptied, the journal first. So ``R`` is always the state before a merge or after it.

Fault injection for the tests: ``TASKBENCH_MERGE_KILL_AT=STEP:N`` makes a merge kill itself
(SIGKILL) at its Nth ``STEP``: ``stage`` (one incoming file checked and staged), ``backup``,
``journal`` (1: written, 2: marked done), ``rename`` or ``clear`` (the work area emptied at
the end, its journal gone). It is read once per merge, and each step costs a comparison when
it is unset.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import sys
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath
from types import TracebackType

from taskbench import files
from taskbench.lock import acquire

LOCK, STAGING, BACKUP, JOURNAL = "lock", "staging", "backup", "journal"
KILL_AT = "TASKBENCH_MERGE_KILL_AT"

def _acquire(work: Path, results: Path, *, wait: bool) -> int:
    work.mkdir(exist_ok=True)
    return acquire(work / LOCK, results, wait=wait)


class JournalError(ValueError):
    """The journal of an interrupted merge cannot be read; the message says what to do."""


def work_dir(results: Path) -> Path:
    """The merge's work area for ``results``: a hidden folder beside it."""
    results = results.resolve()
    return results.parent / f".{results.name}.merge"


@dataclass
class Journal:
    """The moves of one merge: paths relative to ``results/`` (and to ``staging/``)."""

    paths: list[str]
    replaced: list[str]
    made: list[str]
    done: bool = False


def _checked_paths(values: object) -> list[str]:
    if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
        raise ValueError("a list of paths is expected")
    for value in values:
        parts = PurePosixPath(value).parts
        if (not parts or PurePosixPath(value).is_absolute() or "\\" in value
                or any(part in ("..", ".") for part in parts)):
            raise ValueError(f"{value!r} is not a path inside results/")
    return [str(value) for value in values]


def _read_journal(work: Path) -> Journal | None:
    path = work / JOURNAL
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        journal = Journal(_checked_paths(data.get("paths")),
                          _checked_paths(data.get("replaced")),
                          _checked_paths(data.get("made")), data.get("done") is True)
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        raise JournalError(
            f"{path}, the journal of a merge that stopped midway, cannot be read ({error}), so "
            f"the merge cannot be undone: see what it changed with `git status "
            f"{work.parent}`, restore it (`git checkout -- <path>`, `git clean <path>`), "
            f"then delete {work}") from None
    return journal


def _write_journal(work: Path, journal: Journal) -> None:
    files.write_text(work / JOURNAL, json.dumps(asdict(journal), indent=1))


def _undo(results: Path, work: Path, journal: Journal) -> int:
    """Put back every file the journal's merge moved; return how many. Safe to repeat."""
    undone = 0
    replaced = set(journal.replaced)
    for relative in reversed(journal.paths):
        if os.path.lexists(work / STAGING / relative):
            continue  # never moved
        target, backup = results / relative, work / BACKUP / relative
        if relative in replaced:
            if os.path.lexists(backup):  # else put back by an earlier, interrupted undo
                os.replace(backup, target)
                undone += 1
        elif os.path.lexists(target):
            target.unlink()
            undone += 1
    for folder in sorted(journal.made, key=lambda path: path.count("/"), reverse=True):
        try:
            (results / folder).rmdir()
        except OSError as error:
            if error.errno not in (errno.ENOENT, errno.ENOTEMPTY, errno.EEXIST):
                raise
    return undone


def _clear(work: Path, steps: Steps | None) -> None:
    """Empty the work area, keeping the lock; the journal goes first."""
    (work / JOURNAL).unlink(missing_ok=True)
    if steps is not None:
        steps("clear")
    for entry in work.iterdir():
        if entry.name == LOCK:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def _settle(results: Path, work: Path, steps: Steps | None = None) -> list[str]:
    """Roll back a merge that stopped midway, then empty the work area; say what was done."""
    journal = _read_journal(work)
    notes = []
    if journal is not None and not journal.done:
        undone = _undo(results, work, journal)
        notes.append(f"{results}: a merge that stopped midway was rolled back ({undone} of "
                     f"its {len(journal.paths)} files had landed and were put back)")
    _clear(work, steps)
    return notes


class Steps:
    """Counts a merge's steps, and kills it at the one ``TASKBENCH_MERGE_KILL_AT`` names."""

    def __init__(self) -> None:
        name, _, number = os.environ.get(KILL_AT, "").partition(":")
        self.kill_at = (name, int(number)) if number.isdigit() else None
        self.counts: dict[str, int] = {}

    def __call__(self, name: str) -> None:
        if self.kill_at is None:
            return
        self.counts[name] = self.counts.get(name, 0) + 1
        if (name, self.counts[name]) == self.kill_at:
            os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))


class Transaction:
    """One merge's lock, staging folder and journal. Entered, it holds the lock
    (:class:`MergeBusy` when another merge does), settles a merge that stopped midway and
    gives an empty :attr:`staging`; :meth:`commit` moves what was staged into ``results``;
    leaving undoes an unfinished commit and empties the work area."""

    def __init__(self, results: Path) -> None:
        self.results = results
        self.work = work_dir(results)
        self.staging = self.work / STAGING
        self.step = Steps()
        self.notes: list[str] = []
        self._handle: int | None = None

    def __enter__(self) -> Transaction:
        self._handle = _acquire(self.work, self.results, wait=False)
        try:
            if os.stat(self.work).st_dev != os.stat(self.results).st_dev:
                raise ValueError(f"{self.work} and {self.results} are on different file "
                                 "systems; a merge renames its files from one into the other")
            self.notes = _settle(self.results, self.work)
            self.staging.mkdir()
        except BaseException:
            os.close(self._handle)
            raise
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        try:
            _settle(self.results, self.work, self.step)
        finally:
            if self._handle is not None:
                os.close(self._handle)

    def commit(self, paths: list[str]) -> None:
        """Move the staged files (paths relative to ``results``) into place, in order."""
        if not paths:
            return
        replaced = [path for path in paths if os.path.lexists(self.results / path)]
        for path in replaced:
            self.step("backup")
            _backup(self.results / path, self.work / BACKUP / path)
        made = sorted({str(PurePosixPath(path).parent) for path in paths} - {"."})
        journal = Journal(paths, replaced, [f for f in made if not (self.results / f).exists()])
        _write_journal(self.work, journal)
        self.step("journal")
        for path in paths:
            target = self.results / path
            if not target.parent.is_dir():
                target.parent.mkdir()
            self.step("rename")
            os.replace(self.staging / path, target)
        journal.done = True
        _write_journal(self.work, journal)
        self.step("journal")


def _backup(target: Path, backup: Path) -> None:
    backup.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(target, backup, follow_symlinks=False)
    except OSError:  # a file system without hard links
        shutil.copy2(target, backup, follow_symlinks=False)


def _old_staging(results: Path) -> list[Path]:
    """Staging folders that merges before this layout left inside ``results/``."""
    if not results.is_dir():
        return []
    return [path for path in results.glob(".merge-*") if path.is_dir() and not path.is_symlink()]


def recover(results_dir: Path) -> str | None:
    """Settle a merge into ``results_dir`` that stopped midway, before anything reads it.

    Waits for a merge that is running; prints what it did to stderr. Returns None when
    ``results_dir`` is whole (the usual case: the work area holds no more than its lock, and
    nothing is written), else a sentence saying why it could not be made so, and what fixes
    it.
    """
    work, old = work_dir(results_dir), _old_staging(results_dir)
    if not old and (not work.is_dir() or {path.name for path in work.iterdir()} <= {LOCK}):
        return None  # no merge has staged anything (a read-only checkout reads on)
    try:
        handle = _acquire(work, results_dir, wait=True)
        try:
            notes = _settle(results_dir, work)
            for leftover in old:
                shutil.rmtree(leftover)
                notes.append(f"removed {leftover}, an unfinished merge's copies, so that "
                             "asv does not publish them")
        finally:
            os.close(handle)
    except (OSError, JournalError) as error:
        return f"{results_dir} may hold an unfinished merge: {error}"
    for note in notes:
        print(note, file=sys.stderr)
    return None
