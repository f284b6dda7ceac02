"""Instruction counts: they repeat exactly, per task is a difference of two phases, and where
valgrind cannot count the reason says what to do."""

from __future__ import annotations

import shutil
import sys

import pytest

from conftest import needs
from taskbench.workloads import instructions
from taskbench.workloads.instructions import (
    available,
    count_phases,
    per_task,
    run_phases,
    why_not_counted,
)


def test_without_valgrind_the_reason_says_to_install_it(monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    monkeypatch.setattr(instructions.shutil, "which", lambda name: None)
    assert "install valgrind" in (why_not_counted() or "")


def test_off_linux_the_reason_names_the_platform(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(instructions.sys, "platform", "darwin")
    assert "Linux only" in (why_not_counted() or "")


def test_a_missing_api_is_named_and_the_baseline_is_always_there() -> None:
    assert available("create_task+wait", "asyncio") is None
    if sys.version_info < (3, 14):
        assert "eager_start" in (available("eager_start", "asyncio") or "")


def _events(ir: int, l1: int, ll: int) -> dict[str, int]:
    return {"Ir": ir, "I1mr": l1 // 2, "D1mr": l1 - l1 // 2, "D1mw": 0,
            "ILmr": 0, "DLmr": ll, "DLmw": 0}


def test_per_task_is_the_difference_over_the_difference_of_counts() -> None:
    cost = per_task(_events(1_000_000, 2_000, 30), _events(10_000_000, 20_000, 120),
                    1_000, 10_000)
    assert (cost.instructions, cost.l1_misses, cost.ll_misses) == (1_000, 2, 0.01)
    # One cycle an instruction, ten a first-level miss, a hundred a last-level one.
    assert cost.estimated_cycles == pytest.approx(1_000 + 20 + 1)


def test_the_phases_run_in_children_and_a_failed_phase_is_named() -> None:
    reply = run_phases([("create_task+wait", "asyncio", 10, "on")])
    assert len(reply["pids"]) == 2  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown spawn API"):
        run_phases([("no-such-api", "asyncio", 10, "on")])


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("valgrind") is None, reason=needs("valgrind"))
def test_two_counts_are_identical_and_per_task_grows_with_the_count() -> None:
    phases = [("create_task+wait", "asyncio", count, "on") for count in (500, 1_000, 3_000)]
    first, second = count_phases(phases), count_phases(phases)
    assert first == second  # not close: identical, cache misses included
    small = per_task(first[0], first[1], 500, 1_000)
    large = per_task(first[1], first[2], 1_000, 3_000)
    # Thousands of instructions per task (a task, its step, its completion), the same order
    # of magnitude at both counts; fewer misses than instructions, more cycles than either.
    assert 5_000 < small.instructions < 200_000
    assert 0.5 < large.instructions / small.instructions < 2
    assert 0 < small.l1_misses < small.instructions
    assert small.estimated_cycles > small.instructions


def test_the_fixed_environment_keeps_what_changes_the_interpreter(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHON_JIT", "1")
    monkeypatch.setenv("HOME", "/somewhere")
    env = instructions._environment("/cache")
    assert env["PYTHON_JIT"] == "1" and "HOME" not in env
    assert env["PYTHONHASHSEED"] == "0" and env["PYTHONPYCACHEPREFIX"] == "/cache"
