"""How long ``make bench`` expects to take: the phases and the first blocks priced from the
catalogue, the extra blocks up to the cap; the last full run's phases and blocks where the
log has one; the set-up steps added; the time left scaled by the pace of the blocks done."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from taskbench import blocklog
from taskbench.catalogue import CLIENTS, COUNTS, MEMORY, ROUNDS, TASK_COST, TEXTUAL_SHARE, select
from taskbench.jobs import estimate
from taskbench.units import duration_text

ONE = [r"TaskCost.*\(1000\)$"]


def test_the_first_blocks_are_priced_up_to_each_figures_least() -> None:
    block = 3 * (estimate.ENV_SECONDS + TASK_COST.seconds)  # three environments
    assert estimate.first_blocks(select(ONE), 3) == [block] * TASK_COST.blocks.least
    assert estimate.first_blocks(select(ONE), 3, quick=True) == [block]


def test_the_counts_take_the_larger_half_and_the_clients_their_rounds() -> None:
    targets = select(ONE + [r"MemoryPerTask.*\(1000\)$", r"TextualStartup.track_task"])
    assert estimate.phase_guess(targets, COUNTS, 5) == pytest.approx(
        math.ceil(5 / 2) * (estimate.ENV_SECONDS + MEMORY.seconds))
    assert estimate.phase_guess(targets, CLIENTS, 5) == pytest.approx(
        5 * (estimate.ENV_SECONDS + ROUNDS * TEXTUAL_SHARE.seconds))


def test_a_first_run_is_a_rough_guess_with_its_set_up() -> None:
    said = estimate.up_front(select(ONE), 14, 2, quick=False, present=True, cap_minutes=40,
                             last=None, machine="box")
    setup = 2 * estimate.BUILD_SECONDS + estimate.PRESENT_SECONDS
    low = sum(estimate.first_blocks(select(ONE), 14)) + setup
    assert said.startswith(f"Expect {estimate.range_text(low, 40 * 60 + setup)} for 14 "
                           "environments (2 asv environments to build first and the merge, "
                           f"the README and the site after: {duration_text(setup)} of it): a "
                           "rough first-run guess from the catalogue (the extra blocks")
    quick = estimate.up_front(select(quick=True), 14, 0, quick=True, present=False,
                              cap_minutes=40, last=None, machine="box")
    one_block = estimate.first_blocks(select(quick=True), 14, quick=True)
    phases = sum(estimate.phase_guess(select(quick=True), phase, 14, quick=True)
                 for phase in ("counts", "clients", "replica"))
    assert len(one_block) == 1
    assert quick.startswith(f"Expect {duration_text(one_block[0] + phases)} for 14 "
                            "environments: a rough first-run guess")


def test_the_last_full_run_is_the_expectation(tmp_path: Path) -> None:
    log = tmp_path / "box" / blocklog.BLOCKS_FILE
    assert estimate.last_run(log) is None
    blocklog.write(log, [
        {"commit": "a" * 40, "env_name": "", "run": 1, "blocks": [{"minutes": 9.0}]},
        {"commit": "b" * 40, "env_name": "", "run": 2,
         "phases": [{"name": "counts", "minutes": 4.5}],
         "blocks": [{"order": [], "minutes": 26.0}, {"order": [], "minutes": 10.0}]},
        {"commit": "b" * 40, "env_name": "virtualenv-py3.12", "run": 2, "figures": {}}])
    last = estimate.last_run(log)
    assert last == [4.5, 26.0, 10.0]
    said = estimate.up_front(select(ONE), 14, 0, quick=False, present=True, cap_minutes=40,
                             last=last, machine="box")
    assert said == (f"Expect {duration_text(40.5 * 60 + estimate.PRESENT_SECONDS)} (the merge, "
                    f"the README and the site after: {duration_text(estimate.PRESENT_SECONDS)} "
                    "of it): the last full run on box measured in 40 minutes.")


def test_the_time_left_counts_the_first_blocks_and_then_the_cap() -> None:
    block = 60.0
    left = estimate.time_left([block, block], 10.0, 40.0, 2.0, extra_possible=True)
    assert left == (f"2 more first blocks, then the extra blocks the plan asks for, "
                    f"{estimate.range_text(4 * block, 30 * 60)} left")
    quick = estimate.time_left([], 1.0, 40.0, 1.0, extra_possible=False)
    assert quick == "no more blocks"
    over = estimate.time_left([block], 50.0, 40.0, 1.0, extra_possible=True)
    assert over.endswith(f"{estimate.range_text(block, block)} left")


def test_extra_blocks_are_priced_per_interpreter_and_figure_at_the_pace_seen() -> None:
    blocks = [{"a": ["x", "y"], "b": ["x"]}, {"a": ["x"]}]
    seconds = {"x": 2.0, "y": 3.0}
    plain = 3 * estimate.ENV_SECONDS + 2 + 3 + 2 + 2
    assert estimate.price(blocks, seconds) == pytest.approx(plain)
    assert estimate.price(blocks, seconds, 1.5) == pytest.approx(1.5 * plain)
    assert estimate.pace([2.0], [60.0]) == pytest.approx(2.0)
