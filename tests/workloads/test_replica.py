"""The replica runs the post's script: counts ascending, one asyncio.run per row."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from taskbench.workloads import replica
from taskbench.workloads.replica import replica_table


def test_every_row_runs_its_own_event_loop_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    loops: list[int] = []
    real_run = asyncio.run

    def recording_run(main: Any, **kwargs: Any) -> Any:
        async def wrapped() -> Any:
            loops.append(id(asyncio.get_running_loop()))
            return await main
        return real_run(wrapped(), **kwargs)

    monkeypatch.setattr(replica.asyncio, "run", recording_run)
    seen: list[int] = []
    rows = replica_table([300, 100, 200], on_row=lambda row: seen.append(row.count))
    assert [row.count for row in rows] == seen == [300, 100, 200]
    assert len(loops) == 3
    assert all(row.tasks_per_second > 0 for row in rows)


def test_page_faults_are_counted_per_task_where_getrusage_exists(
        monkeypatch: pytest.MonkeyPatch) -> None:
    (row,) = replica_table([2_000])
    if replica.resource is None:
        assert row.minor_faults_per_task is None
    else:
        assert row.minor_faults_per_task is not None and row.minor_faults_per_task >= 0
    monkeypatch.setattr(replica, "resource", None)
    (row,) = replica_table([10])
    assert row.minor_faults_per_task is None


def test_bad_counts_are_refused_before_anything_runs() -> None:
    with pytest.raises(ValueError, match="task count"):
        replica_table([100, 0])
