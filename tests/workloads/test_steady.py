"""The warm-up rule: cycles run until the last two agree within 5%, as many as it takes up
to a cap, on cycle times scripted here (no real timing)."""

from __future__ import annotations

from typing import Iterator, Sequence

import pytest

from taskbench.workloads.steady import (
    MAX_WARMUP_CYCLES,
    MAX_WARMUP_SECONDS,
    SETTLE_CYCLES,
    SETTLE_PERCENT,
    NotSteady,
    settled,
    spread_percent,
    warm_up,
)


class Scripted:
    """A cycle of 1,000 units whose CPU seconds are given in advance, one per call."""

    def __init__(self, seconds: Sequence[float]) -> None:
        self.seconds: Iterator[float] = iter(seconds)
        self.calls = 0

    def __call__(self) -> tuple[int, float]:
        self.calls += 1
        return 1_000, next(self.seconds)


def test_the_rule_as_stated() -> None:
    assert (SETTLE_CYCLES, SETTLE_PERCENT) == (2, 5.0)
    assert spread_percent([1.0, 1.05]) == pytest.approx(5.0)
    assert settled([5.0, 1.0, 1.04])  # only the last two count
    assert not settled([1.0, 1.06])
    assert not settled([1.0])  # one cycle has nothing to agree with
    assert settled([1.0, 1.3, 1.2], cycles=3, percent=31) and not settled(
        [1.0, 1.3, 1.2], cycles=3, percent=29)


def test_a_process_steady_from_its_first_cycle_is_warm_after_two() -> None:
    cycle = Scripted([1.00, 1.04, 9.9])
    found = warm_up(cycle)
    assert found.cycles == 2 and cycle.calls == 2
    assert found.times == pytest.approx((1.00e-3, 1.04e-3))
    assert found.cpu_seconds == pytest.approx(2.04)


def test_a_jit_that_settles_at_its_seventh_cycle_warms_up_for_seven() -> None:
    # Each cycle faster than the one before until the seventh, within 4% of the sixth.
    cycle = Scripted([1.6, 0.8, 0.4, 0.2, 0.15, 0.104, 0.1, 9.9])
    found = warm_up(cycle)
    assert found.cycles == 7 and cycle.calls == 7


def test_noisy_cycles_settle_when_their_pairs_agree() -> None:
    # PyPy's 50 ms batches at 1,000 tasks: a collection in every other one. No two in a row
    # agree, but each pair costs the same.
    cycle = Scripted([0.44, 0.054, 0.03, 0.054, 0.03, 0.054, 0.03, 9.9])
    found = warm_up(cycle)
    assert found.cycles == 5 and cycle.calls == 5  # (5.4, 3.0) against (3.0, 5.4)
    assert not settled([5.4, 3.0, 5.4]) and settled([3.0, 5.4, 3.0, 5.4])


def _ever_faster(first: float, count: int) -> list[float]:
    return [first * 0.9 ** cycle for cycle in range(count)]  # 11% faster every cycle


def test_cycles_that_never_settle_stop_at_the_cycle_cap_and_say_so() -> None:
    cycle = Scripted(_ever_faster(1.0, MAX_WARMUP_CYCLES + 1))
    with pytest.raises(NotSteady) as raised:
        warm_up(cycle, max_seconds=1e9)
    message = str(raised.value)
    assert cycle.calls == MAX_WARMUP_CYCLES
    assert f"cap of {MAX_WARMUP_CYCLES} cycles" in message
    assert "differ by 11.1%" in message and "2 within 5%" in message
    # The last cycles, in microseconds per unit.
    assert "8.73, 7.86, 7.07, 6.36, 5.73." in message


def test_a_warm_up_stops_at_the_cpu_seconds_cap() -> None:
    cycle = Scripted(_ever_faster(6.0, 10))
    with pytest.raises(NotSteady, match=f"cap of {MAX_WARMUP_SECONDS:g} CPU seconds"):
        warm_up(cycle)
    assert cycle.calls == 4  # 6 + 5.4 + 4.86 + 4.37 > 20 seconds


@pytest.mark.parametrize("rule", [{"cycles": 1}, {"percent": -1.0}, {"max_cycles": 1},
                                  {"max_seconds": 0.0}])
def test_a_rule_that_cannot_be_met_is_refused(rule: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="warm-up rule"):
        warm_up(Scripted([1.0] * 5), **rule)  # type: ignore[arg-type]
