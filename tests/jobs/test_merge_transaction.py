"""taskbench.jobs.merge is a transaction that other merges and ``kill -9`` cannot break.

A real merge (a subprocess) is killed with SIGKILL at many points, through the merge's own
hook (``TASKBENCH_MERGE_KILL_AT``, see :mod:`taskbench.journal`); then another command
runs (the merge again, ``make readme``'s entry, ``make site``'s entry): ``results/`` must
equal the state before the merge or the state after it, never a mix, and nothing of a merge
may sit inside it, where asv would publish it. Two merges started together: each exits 0 or
names the other, and ``results/`` is one of the outcomes of running them one after the other.

The fast tier kills a small merge at a few points; the slow tier a merge of over 2,000 files
at over 20 points, and races two merges 20 times.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ROOT, run_python, write_results
from taskbench import journal
from taskbench.catalogue import TASK_COST
from taskbench.jobs.merge import merge
from taskbench.lock import MergeBusy, acquire

Tree = dict[str, bytes]


def _tree(folder: Path) -> Tree:
    """Every file (its bytes) and folder under ``folder``, by relative path."""
    return {str(path.relative_to(folder)): path.read_bytes() if path.is_file() else b"/"
            for path in sorted(folder.rglob("*"))}


def _clean(results: Path) -> None:
    """Nothing hidden inside results/; nothing but the lock in the work area beside it."""
    assert sorted(p.name for p in results.rglob(".*")) == []
    work = journal.work_dir(results)
    assert not work.exists() or [p.name for p in work.iterdir()] == ["lock"]


def _many(folder: Path, machine: str, count: int, *, date: int, started: int,
          first: int = 0) -> None:
    """``count`` results files of ``machine`` for commits ``first``... : one written by asv,
    the others the same JSON under another commit (asv names files by commit)."""
    written = write_results(folder, {TASK_COST: {(100_000,): [1e-5, 1.01e-5, 0.99e-5]}},
                            machine=machine, python="3.12", date=date, started=started)
    data = json.loads(written.read_text())
    written.unlink()
    for number in range(first, first + count):
        data["commit_hash"] = f"{number:08x}" + "c" * 32
        (folder / machine / f"{number:08x}-virtualenv-py3.12.json").write_text(json.dumps(data))
    (folder / machine / "interpreters.jsonl").write_text(json.dumps(
        {"python": "3.12", "recorded_at": f"2025-01-0{date}T00:00:00+00:00"}) + "\n")


@dataclass
class Scene:
    incoming: Path
    base: Path  # the committed results, copied for every try
    before: Tree
    after: Tree
    renames: int  # files the merge moves into place


def _scene(root: Path, machines: int, committed: int, incoming: int, new: int) -> Scene:
    """``machines`` machines with ``committed`` files each, and an incoming folder with
    ``incoming`` newer files of each (replacing the committed ones, adding the rest) plus two
    new machines of ``new`` files each."""
    base, job = root / "base" / "results", root / "incoming" / "job"
    for number in range(machines):
        _many(base, f"m{number}", committed, date=1, started=1000)
        _many(job, f"m{number}", incoming, date=2, started=2000)
    for number in range(machines, machines + 2):
        _many(job, f"m{number}", new, date=2, started=2000)
    (base / "benchmarks.json").write_text(json.dumps({"version": 2, "a": {}}))
    (job / "benchmarks.json").write_text(json.dumps({"version": 2, "b": {}}))
    merged = root / "merged" / "results"
    shutil.copytree(base, merged)
    report = merge([job.parent], merged)
    assert report.refused == report.kept == []
    return Scene(job.parent, base, _tree(base), _tree(merged),
                 len(report.added) + len(report.replaced) + 1)


def _copy(base: Path, folder: Path) -> Path:
    """A copy of ``base`` in ``folder``, its files hard links: neither a merge nor its undoing
    writes into a file of results/, they rename files over each other."""
    results = folder / "results"
    shutil.copytree(base, results, copy_function=os.link)
    return results


def _follow_up(kind: str, scene: Scene, results: Path) -> subprocess.CompletedProcess[str]:
    """Another command after the kill: each settles the stopped merge before anything else."""
    if kind == "merge":  # nothing incoming: only the settling
        (results.parent / "empty").mkdir()
        command = ["-m", "taskbench.jobs.merge", str(results.parent / "empty"), str(results)]
        expected = 0
    elif kind == "merge-again":
        command, expected = ["-m", "taskbench.jobs.merge", str(scene.incoming), str(results)], 0
    elif kind == "readme":  # then stops: there is no README here
        command = ["-m", "taskbench.reports.readme", str(results.parent / "README.md"),
                   "--results", str(results)]
        expected = 2
    else:  # make site's entry; then asv publish stops: there is no repository here
        config = results.parent / "asv.conf.json"
        config.write_text(json.dumps({"version": 1, "project": "x", "repo": "no-repository",
                                      "results_dir": results.name, "html_dir": "html"}))
        command, expected = ["-m", "taskbench.site", "--config", str(config)], 1
    done = run_python(*command, cwd=results.parent, timeout=300)
    assert done.returncode == expected, done.stderr
    assert "Traceback" not in done.stderr
    return done


def _kill_and_follow(scene: Scene, folder: Path, point: str, kind: str) -> str:
    """Kill a merge at ``point``, run ``kind``; which state results/ is in afterwards."""
    results = _copy(scene.base, folder)
    killed = run_python("-m", "taskbench.jobs.merge", str(scene.incoming), str(results),
                        env={journal.KILL_AT: point}, timeout=300)
    assert killed.returncode == -signal.SIGKILL, (point, killed.stderr)  # the point was reached
    assert sorted(p.name for p in results.rglob(".*")) == []  # asv sees no staging, even now
    follow = _follow_up(kind, scene, results)
    state = _tree(results)
    assert state in (scene.before, scene.after), f"{point} then {kind}: a mix"
    if kind == "merge-again":
        assert state == scene.after
    _clean(results)
    if point.startswith("rename") or point == "journal:1":  # the journal said: undo
        assert "a merge that stopped midway was rolled back" in follow.stdout + follow.stderr
    return "before" if state == scene.before else "after"


KINDS = ["merge", "readme", "site", "merge-again"]


def _matrix(scene: Scene, root: Path, points: list[str]) -> dict[str, str]:
    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = pool.map(lambda item: _kill_and_follow(
            scene, root / f"point-{item[0]}", item[1], KINDS[item[0] % len(KINDS)]),
            enumerate(points))
        return dict(zip(points, outcomes))


def _points(renames: int, staged: int, replaced: int, rename_points: int) -> list[str]:
    step = max(1, (renames - 1) // (rename_points - 1))
    renaming = sorted({1, renames, *range(1, renames, step)})
    return ([f"stage:{n}" for n in sorted({1, staged // 2, staged})]
            + [f"backup:{n}" for n in sorted({1, replaced})]
            + ["journal:1"] + [f"rename:{n}" for n in renaming] + ["journal:2", "clear:1"])


def test_a_killed_merge_leaves_results_before_or_after(tmp_path: Path) -> None:
    scene = _scene(tmp_path / "scene", machines=2, committed=6, incoming=9, new=4)
    points = ["stage:20", "backup:3", f"rename:{scene.renames // 2}", f"rename:{scene.renames}",
              "journal:2", "clear:1"]

    outcomes = _matrix(scene, tmp_path, points)

    assert set(outcomes.values()) == {"before", "after"}, outcomes
    assert all(outcomes[point] == "after" for point in ["journal:2", "clear:1"])


@pytest.mark.slow
def test_a_merge_of_2000_files_killed_at_20_points_leaves_before_or_after(
        tmp_path: Path) -> None:
    scene = _scene(tmp_path / "scene", machines=4, committed=250, incoming=400, new=220)
    assert scene.renames > 2_000
    staged = 4 * 402 + 2 * 222  # results, build facts and machine.json of every folder
    points = _points(scene.renames, staged=staged, replaced=4 * 251 + 1, rename_points=12)
    assert len(points) >= 20

    outcomes = _matrix(scene, tmp_path, points)

    print(f"\n{len(points)} kill points over a merge of {scene.renames} files: "
          f"{sum(v == 'before' for v in outcomes.values())} left results/ as before, "
          f"{sum(v == 'after' for v in outcomes.values())} as after, 0 mixed")
    assert set(outcomes.values()) == {"before", "after"}


# --- two merges at once ---------------------------------------------------------------------

def _race(incomings: list[Path], results: Path) -> list[subprocess.CompletedProcess[str]]:
    command = [sys.executable, "-m", "taskbench.jobs.merge"]
    children = [subprocess.Popen([*command, str(incoming), str(results)], cwd=ROOT, text=True,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                for incoming in incomings]
    done = []
    for child in children:
        out, err = child.communicate(timeout=300)
        done.append(subprocess.CompletedProcess(child.args, child.returncode, out, err))
    for mine, other in [(0, 1), (1, 0)]:
        if done[mine].returncode != 0:
            assert done[mine].returncode == 2, done[mine].stderr
            assert "another merge into" in done[mine].stderr
            assert f"pid {children[other].pid} " in done[mine].stderr, done[mine].stderr
    assert any(child.returncode == 0 for child in done)
    return done


@pytest.mark.slow
def test_two_merges_started_together_20_times(tmp_path: Path) -> None:
    base = tmp_path / "base" / "results"
    _many(base, "m0", 150, date=1, started=1000)
    one, two = tmp_path / "one", tmp_path / "two"
    _many(one / "job", "m0", 200, date=2, started=2000)  # replaces m0's, adds 50
    _many(one / "job", "m1", 100, date=2, started=2000)
    _many(two / "job", "m0", 200, date=2, started=3000, first=100)  # newer: wins where both
    _many(two / "job", "m2", 100, date=2, started=2000)
    outcomes = []
    for order in ([one], [two], [one, two], [two, one]):
        results = _copy(base, tmp_path / f"order-{len(outcomes)}")
        for incoming in order:
            merge([incoming], results)
        outcomes.append(_tree(results))
    assert outcomes[2] == outcomes[3]  # newest wins: the order of two full merges is moot
    collided = 0

    for number in range(20):
        results = _copy(base, tmp_path / f"race-{number}")
        done = _race([one, two], results)
        collided += any(child.returncode == 2 for child in done)
        assert _tree(results) in outcomes, f"race {number}: not an outcome of the two merges"
        _clean(results)

    print(f"\n20 races: {collided} found the other merge running and named it")
    assert collided > 0  # else the race never happened and nothing was tested


def test_a_merge_finding_another_running_names_it_and_changes_nothing(tmp_path: Path) -> None:
    results = tmp_path / "results"
    write_results(results, {TASK_COST: {(100_000,): [1e-5]}}, python="3.12")
    write_results(tmp_path / "incoming", {TASK_COST: {(100_000,): [2e-5]}}, python="3.13")
    before = _tree(results)
    work = journal.work_dir(results)
    work.mkdir()
    handle = acquire(work / journal.LOCK, results, wait=False)
    try:
        child = run_python("-m", "taskbench.jobs.merge", str(tmp_path / "incoming"),
                           str(results))
    finally:
        os.close(handle)

    assert child.returncode == 2
    assert child.stderr.startswith(f"error: nothing was merged: another merge into {results} "
                                   f"is running (pid {os.getpid()} since ")
    assert "run this one again when it has finished" in child.stderr
    assert _tree(results) == before


def test_a_merge_finding_the_lock_taken_before_its_holder_wrote_waits_for_the_name(
        tmp_path: Path) -> None:
    lock = tmp_path / "lock"
    handle = acquire(lock, tmp_path, wait=False)
    os.ftruncate(handle, 0)  # as in the moment between taking the lock and naming the holder
    try:
        with ThreadPoolExecutor(1) as pool:
            pool.submit(_write_later, lock, "pid 4242 since then: merge one two\n")
            with pytest.raises(MergeBusy) as busy:
                acquire(lock, tmp_path, wait=False)
    finally:
        os.close(handle)
    assert "(pid 4242 since then: merge one two)" in str(busy.value)


def _write_later(lock: Path, record: str) -> None:
    time.sleep(0.3)
    lock.write_text(record, encoding="utf-8")


def test_readme_waits_for_a_running_merge_then_reads(tmp_path: Path) -> None:
    results = tmp_path / "results"
    write_results(results, {TASK_COST: {(100_000,): [1e-5]}}, python="3.12")
    work = journal.work_dir(results)
    (work / journal.STAGING).mkdir(parents=True)  # a merge under way, still staging
    handle = acquire(work / journal.LOCK, results, wait=False)
    child = subprocess.Popen(
        [sys.executable, "-m", "taskbench.reports.readme", str(tmp_path / "README.md"),
         "--results", str(results)], cwd=ROOT, text=True, stderr=subprocess.PIPE)
    try:
        assert child.stderr is not None
        first = child.stderr.readline()  # blocks until the child has met the lock
        assert first.startswith(f"waiting for the merge into {results} to finish (pid "), first
        assert child.poll() is None
    finally:
        os.close(handle)
    _, rest = child.communicate(timeout=120)
    assert child.returncode == 2 and "cannot read" in rest  # went on, to the missing README


# --- recovery on its own ---------------------------------------------------------------------

def test_recover_does_nothing_and_writes_nothing_when_no_merge_ran(tmp_path: Path) -> None:
    write_results(tmp_path / "results", {TASK_COST: {(100_000,): [1e-5]}})
    before = sorted(tmp_path.rglob("*"))
    assert journal.recover(tmp_path / "results") is None
    assert journal.recover(tmp_path / "nowhere") is None
    assert sorted(tmp_path.rglob("*")) == before


def test_an_old_merges_staging_inside_results_is_removed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Merges before the work area beside results/ staged inside it; asv published that."""
    results = tmp_path / "results"
    kept = write_results(results, {TASK_COST: {(100_000,): [1e-5]}})
    write_results(results / ".merge-abc123", {TASK_COST: {(100_000,): [9e-5]}}, machine="ghost")

    assert journal.recover(results) is None

    assert sorted(p.name for p in results.iterdir()) == ["box"]
    assert kept.exists()
    assert ".merge-abc123" in capsys.readouterr().err


def test_an_unreadable_journal_is_named_with_the_way_out(tmp_path: Path) -> None:
    results = tmp_path / "results"
    write_results(results, {TASK_COST: {(100_000,): [1e-5]}})
    work = journal.work_dir(results)
    work.mkdir()
    (work / journal.JOURNAL).write_text('{"paths": ["../../etc/passwd"], "replaced": [], '
                                        '"made": []}')
    before = _tree(results)

    problem = journal.recover(results)

    assert problem is not None
    assert str(work / journal.JOURNAL) in problem and "'../../etc/passwd'" in problem
    assert f"git status {tmp_path}" in problem and f"then delete {work}" in problem
    assert _tree(results) == before
    child = run_python("-m", "taskbench.reports.readme", str(tmp_path / "README.md"),
                       "--results", str(results))
    assert child.returncode == 1 and "journal of a merge that stopped midway" in child.stderr
