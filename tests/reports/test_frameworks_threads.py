"""The frameworks, rloop and threads in the views: each held against the classic cycle (or
one thread) with its verdict, n/a where not measured, and a machine that measured only the
threads (a free-threaded CI job) still shows them."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import per_block, write_block_log, write_results
from taskbench.catalogue import (
    FRAMEWORKS,
    GIL_ENABLED,
    OTHER_LOOP_SPAWN,
    SPAWN_API,
    THREADS_CPU,
    THREADS_USED,
    THREADS_WALL,
)
from taskbench.reports import markdown
from taskbench.reports.anatomy import anatomies
from taskbench.reports.anatomy_tables import frameworks_table, speedup_table
from taskbench.reports.bodies import findings
from taskbench.reports.cells import Table
from taskbench.reports.classic import kind_of
from taskbench.reports.findings import sentences
from taskbench.reports.sections import sections
from taskbench.reports.threads import threads_table
from taskbench.reports.views import Index, read_index
from taskbench.workloads.threads import PER_CPU

TASK = 1e-5  # seconds per task of the classic cycle
WALL = 2e-6  # elapsed seconds per task of one thread


def _threads(scaling: float, gil: float) -> dict:
    """Threads figures: two threads ``scaling`` times one thread's tasks/s; no eager factory."""
    return {
        THREADS_WALL: {("create_task+wait", 1, 10_000): per_block(WALL, n=3),
                       ("create_task+wait", 2, 10_000): per_block(WALL / scaling, 0.004, n=3),
                       ("create_task+wait", PER_CPU, 10_000): per_block(WALL / 3.5, n=3)},
        THREADS_CPU: {("create_task+wait", threads, 10_000): per_block(WALL, n=3)
                      for threads in (1, 2, PER_CPU)},
        GIL_ENABLED: {(threads,): gil for threads in (1, 2, PER_CPU)},
        THREADS_USED: {(1,): 1.0, (2,): 2.0, (PER_CPU,): 4.0}}


@pytest.fixture
def world(tmp_path: Path) -> Path:
    folder = tmp_path / "results"
    write_results(folder, {
        # The frameworks are held against the classic cycle at their own count, rloop at the
        # anatomy's (whose classic cycle here is twice as dear: a mix-up shows).
        SPAWN_API: {("create_task+wait", "asyncio", 100_000): per_block(2 * TASK, n=3),
                    ("create_task+wait", "asyncio", 1_000): per_block(TASK, n=3)},
        OTHER_LOOP_SPAWN: {("create_task+wait", "rloop", 100_000): per_block(TASK / 0.7, n=3)},
        FRAMEWORKS: {("trio", 1_000): per_block(TASK * 1.5, n=3),
                     ("anyio-asyncio", 1_000): per_block(TASK / 1.01, 0.05, n=3)},
        **_threads(1.0, 1.0)}, python="3.13")
    # A free-threaded CI runner measures the threads alone, on a machine of its own.
    write_results(folder, _threads(1.9, 0.0), python="3.14t", machine="ci")
    for machine in ("box", "ci"):
        write_block_log(folder, machine)
    return folder


@pytest.fixture
def index(world: Path) -> Index:
    found, problems = read_index(world)
    assert not problems
    return found


def _cells(table: Table, row: int = 0) -> dict[str, str]:
    return {heading: cell.kind + ":" + cell.text
            for heading, cell in zip(table.header, table.rows[row])}


def test_frameworks_and_rloop_are_held_against_create_task_and_wait(index: Index) -> None:
    found = anatomies(index, "box")
    cells = _cells(frameworks_table(found, "box"))
    assert cells["create_task + wait, µs"].startswith(":10.02 (")
    assert cells["trio, µs"].startswith(":15.02 (")
    # One model of the family: Trio's exact 1.5× takes the spread the others' noise gives.
    assert cells["trio, × create_task + wait"].startswith("real:1.50× slower (1.4")
    assert cells["anyio-asyncio, × create_task + wait"].startswith("noise:undecided (")
    assert cells["anyio-trio, µs"] == cells["anyio-trio, × create_task + wait"] == "na:n/a"
    spawn = _cells(speedup_table(found, "box"))
    assert spawn["create_task+wait (rloop)"].startswith("real:1.40× faster (")
    assert spawn["gather (rloop)"] == "na:n/a"
    said = "\n".join(sentences(found))
    assert "rloop runs the classic cycle at 1.40 times" in said
    assert "At 1,000 tasks, Trio's nursery (`start_soon`) makes tasks at 0.67 times" in said
    assert "AnyIO's task group makes tasks on asyncio at 1.00 times" in said
    assert "on Trio" not in said  # not measured: nothing said


def test_threads_show_the_speedup_over_one_thread_with_the_gil_state(index: Index) -> None:
    table = threads_table(index, "box")
    assert table is not None and len(table.rows) == 2  # one row per API
    cells = _cells(table)
    assert cells["API"] == ":create_task+wait" and cells["GIL"] == ":on"
    # The same elapsed time per task with two threads: no speed-up, and so judged.
    assert cells["speed-up, 2 threads"].startswith("noise:same within ±3% (")
    assert cells["speed-up, one per CPU (4 threads)"].startswith("real:3.5")
    assert cells["CPU µs per task, 1 thread"].startswith(":2.00 (")
    assert set(_cells(table, 1).values()) - {"label:3.13", ":eager_task_factory", ":on"} == {
        "na:n/a"}
    free = threads_table(index, "ci")
    assert free is not None
    cells = _cells(free)
    assert cells["interpreter"] == "label:3.14t" and cells["GIL"] == ":off"
    assert cells["speed-up, 2 threads"].startswith("real:1.90× faster (")


def test_a_machine_with_only_threads_still_shows_them(index: Index) -> None:
    found = {section.machine: section for section in sections(index)}
    assert found["ci"].anatomy is None and found["ci"].threads is not None
    text = findings(list(found.values()))
    assert "Tasks across threads on `ci`" in text and "Tasks across threads on `box`" in text
    assert f"Frameworks on `box` at 1,000 tasks ({kind_of(FRAMEWORKS, 1_000)})" in text
    assert "| 3.14t | create_task+wait | off | 1.90× faster (" in text
    assert markdown.table(found["box"].anatomy.frameworks).count("| 3.13 |") == 1  # type: ignore[union-attr]


def test_the_page_shows_the_same_tables(world: Path, tmp_path: Path) -> None:
    from taskbench.reports.page import write_page

    page = write_page(world, tmp_path / "html").read_text(encoding="utf-8")
    assert 'id="frameworks-box"' in page and 'id="threads-box"' in page
    assert 'id="threads-ci"' in page  # the threads alone, on a machine of their own
    assert '<td class="real">1.90× faster (' in page
