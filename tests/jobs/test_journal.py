"""The merge's journal and lock when things go wrong around them: a journal of the wrong shape
is named with the way out (never a traceback), no failure leaves the lock's handle open, and
an undo that is itself interrupted is finished by the next one, however often."""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from conftest import run_python, write_results
from taskbench import journal
from taskbench.catalogue import TASK_COST
from taskbench.lock import MergeBusy, acquire


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() if path.is_file() else b"/"
            for path in sorted(folder.rglob("*"))}


def _open_handles() -> int:
    return len(os.listdir(f"/proc/{os.getpid()}/fd"))


@pytest.fixture
def handles() -> Iterator[Callable[[], int]]:
    """How many handles this process has opened since the test began."""
    if not Path(f"/proc/{os.getpid()}/fd").is_dir():
        pytest.skip("counts open handles through /proc")
    before = _open_handles()
    yield lambda: _open_handles() - before


@pytest.mark.parametrize(("text", "reason"), [
    ("[]", "not a JSON object"),
    ('["paths"]', "not a JSON object"),
    ('{"paths": "box/x.json", "replaced": [], "made": []}', "a list of paths is expected"),
    ('{"paths": [1], "replaced": [], "made": []}', "a list of paths is expected"),
    ('{"paths": [], "replaced": {}, "made": []}', "a list of paths is expected"),
    ('{"paths": []}', "a list of paths is expected"),
    ("null", "not a JSON object"),
    ('{"paths": [', "Expecting value"),
], ids=["list", "list-of-text", "paths-text", "paths-numbers", "replaced-object",
        "no-replaced", "null", "cut"])
def test_a_journal_of_the_wrong_shape_is_named_with_the_way_out(
        tmp_path: Path, handles: Callable[[], int], text: str, reason: str) -> None:
    results = tmp_path / "results"
    write_results(results, {TASK_COST: {(100_000,): [1e-5]}})
    work = journal.work_dir(results)
    work.mkdir()
    (work / journal.JOURNAL).write_text(text)
    before = _tree(results)

    problem = journal.recover(results)

    assert problem is not None and reason in problem
    assert f"then delete {work}" in problem and "\n" not in problem
    assert _tree(results) == before
    assert handles() == 0
    (tmp_path / "incoming").mkdir()
    child = run_python("-m", "taskbench.jobs.merge", str(tmp_path / "incoming"),
                       str(results))
    assert child.returncode == 2 and "Traceback" not in child.stderr
    assert reason in child.stderr


def test_a_merge_finding_the_lock_taken_closes_its_handle(
        tmp_path: Path, handles: Callable[[], int]) -> None:
    lock = tmp_path / "lock"
    held = acquire(lock, tmp_path, wait=False)
    try:
        for _ in range(3):
            with pytest.raises(MergeBusy):
                acquire(lock, tmp_path, wait=False)
        assert handles() == 1  # the holder's own
    finally:
        os.close(held)
    assert handles() == 0


def test_a_transaction_that_cannot_start_closes_its_handle(
        tmp_path: Path, handles: Callable[[], int]) -> None:
    results = tmp_path / "results"
    write_results(results, {TASK_COST: {(100_000,): [1e-5]}})
    work = journal.work_dir(results)
    work.mkdir()
    (work / journal.JOURNAL).write_text("[]")

    with pytest.raises(journal.JournalError), journal.Transaction(results):
        pass  # never reached
    assert handles() == 0


def test_a_transaction_closes_its_handle_however_it_ends(
        tmp_path: Path, handles: Callable[[], int]) -> None:
    results = tmp_path / "results"
    results.mkdir()
    with journal.Transaction(results):
        assert handles() == 1
    with pytest.raises(RuntimeError), journal.Transaction(results):
        raise RuntimeError("midway")
    assert handles() == 0


def _killed_merge(tmp_path: Path, point: str) -> tuple[Path, dict[str, bytes]]:
    """results/ with two committed runs, and a newer merge of both killed at ``point``."""
    results = tmp_path / "results"
    for python in ["3.12", "3.13"]:
        write_results(results, {TASK_COST: {(100_000,): [1e-5]}}, python=python, date=1,
                      started=1000)
        write_results(tmp_path / "incoming", {TASK_COST: {(100_000,): [2e-5]}},
                      python=python, date=2, started=2000)
    write_results(tmp_path / "incoming", {TASK_COST: {(100_000,): [2e-5]}}, python="3.14",
                  date=2, started=2000)
    before = _tree(results)
    killed = run_python("-m", "taskbench.jobs.merge", str(tmp_path / "incoming"),
                        str(results), env={journal.KILL_AT: point})
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert _tree(results) != before  # files had moved
    return results, before


def test_an_interrupted_undo_is_finished_by_the_next_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, handles: Callable[[], int]) -> None:
    results, before = _killed_merge(tmp_path, "rename:3")
    real_replace, calls = os.replace, []

    def fails_second(source: Any, target: Any) -> None:
        calls.append(target)
        if len(calls) == 2:
            raise OSError(5, "Input/output error")
        real_replace(source, target)

    monkeypatch.setattr(journal.os, "replace", fails_second)
    problem = journal.recover(results)
    monkeypatch.undo()

    assert problem is not None and "Input/output error" in problem
    assert len(calls) == 2 and _tree(results) != before  # one file back, one not
    assert journal.recover(results) is None  # the same undo, run again, finishes
    assert _tree(results) == before
    assert journal.recover(results) is None  # and a third time changes nothing
    assert _tree(results) == before
    assert sorted(p.name for p in journal.work_dir(results).iterdir()) == [journal.LOCK]
    assert handles() == 0
