from __future__ import annotations

import platform

import pytest

import taskbench.workloads.memory
from taskbench.workloads import Unavailable
from taskbench.workloads.memory import bytes_per_pending_task, memory_is_traceable

cpython_only = pytest.mark.skipif(platform.python_implementation() != "CPython",
                                  reason="tracemalloc exists on CPython only")


@cpython_only
def test_bytes_per_task_is_a_plausible_per_task_figure() -> None:
    # A task, its coroutine, its scheduled callback and bookkeeping: hundreds of bytes,
    # not tens (nothing was counted) and not tens of thousands (the whole list was).
    per_task = bytes_per_pending_task(10_000)
    assert 200 < per_task < 5_000


def test_without_tracemalloc_the_measurement_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(taskbench.workloads.memory, "tracemalloc", None)
    assert not memory_is_traceable()
    with pytest.raises(Unavailable, match="tracemalloc is not available"):
        bytes_per_pending_task(10)
