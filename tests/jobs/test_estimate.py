"""How long ``make bench`` expects to take: the blocks priced from the catalogue between every
figure's least and most, within the cap; the last full run's blocks where the log has one;
the set-up steps added; the time left scaled by the pace of the blocks done."""

from __future__ import annotations

from pathlib import Path

import pytest

from taskbench import blocklog
from taskbench.catalogue import MEMORY, TASK_COST, select
from taskbench.jobs import estimate
from taskbench.units import duration_text

ONE = [r"TaskCost.*\(1000\)$"]


def test_a_figure_is_priced_from_its_least_blocks_to_its_most() -> None:
    targets = select(ONE)
    block = 3 * (estimate.ENV_SECONDS + TASK_COST.seconds)  # three environments
    assert estimate.plan(targets, 3) == [block] * TASK_COST.blocks.least
    assert estimate.plan(targets, 3, noisy=estimate.EVERY) == [block] * TASK_COST.blocks.most
    # Past its least, no block starts that would end past the cap.
    capped = estimate.plan(targets, 3, noisy=estimate.EVERY,
                           cap=block * (TASK_COST.blocks.least + 1.5))
    assert len(capped) == TASK_COST.blocks.least + 1
    # The blocks every figure is owed are priced whatever the cap.
    assert len(estimate.plan(targets, 3, cap=block / 2)) == TASK_COST.blocks.least


def test_figures_measured_once_are_in_the_first_block_only() -> None:
    targets = select(ONE + [r"MemoryPerTask.*\(1000\)$"])
    first, *rest = estimate.plan(targets, 1)
    assert first - rest[0] == pytest.approx(MEMORY.seconds)
    assert len(rest) == TASK_COST.blocks.least - 1


def test_a_first_run_is_a_rough_guess_with_its_set_up() -> None:
    said = estimate.up_front(select(ONE), 14, 2, quick=False, present=True, cap_minutes=40,
                             last=None, machine="box")
    setup = 2 * estimate.BUILD_SECONDS + estimate.PRESENT_SECONDS
    low = sum(estimate.plan(select(ONE), 14, cap=40 * 60)) + setup
    high = sum(estimate.plan(select(ONE), 14, cap=40 * 60, noisy=estimate.EVERY)) + setup
    assert said.startswith(f"Expect {estimate.range_text(low, high)} for 14 environments (2 "
                           "asv environments to build first and the merge, the README and "
                           f"the site after: {duration_text(setup)} of it): a rough "
                           "first-run guess from the catalogue")
    quick = estimate.up_front(select(quick=True), 14, 0, quick=True, present=False,
                              cap_minutes=40, last=None, machine="box")
    one_block = estimate.plan(select(quick=True), 14, quick=True)
    assert len(one_block) == 1
    assert quick.startswith(f"Expect {duration_text(one_block[0])} for 14 environments: a "
                            "rough first-run guess")


def test_the_last_full_run_is_the_expectation(tmp_path: Path) -> None:
    log = tmp_path / "box" / blocklog.BLOCKS_FILE
    assert estimate.last_run(log) is None
    blocklog.write(log, [
        {"commit": "a" * 40, "env_name": "", "run": 1, "blocks": [{"minutes": 9.0}]},
        {"commit": "b" * 40, "env_name": "", "run": 2,
         "blocks": [{"order": [], "minutes": 30.0}, {"order": [], "minutes": 10.5}]},
        {"commit": "b" * 40, "env_name": "virtualenv-py3.12", "run": 2, "figures": {}}])
    last = estimate.last_run(log)
    assert last == [30.0, 10.5]
    said = estimate.up_front(select(ONE), 14, 0, quick=False, present=True, cap_minutes=40,
                             last=last, machine="box")
    assert said == (f"Expect {duration_text(40.5 * 60 + estimate.PRESENT_SECONDS)} (the merge, "
                    f"the README and the site after: {duration_text(estimate.PRESENT_SECONDS)} "
                    "of it): the last full run on box measured 2 blocks in 40 minutes.")


def test_the_time_left_goes_at_the_pace_of_the_blocks_done() -> None:
    targets = select(ONE)
    block = 14 * (estimate.ENV_SECONDS + TASK_COST.seconds)
    twice = [2 * block / 60]  # the first block took twice its guess
    wide = {targets[0].call}
    least, most = TASK_COST.blocks.least, TASK_COST.blocks.most
    left = estimate.time_left(targets, 14, 1, twice, [block], 600, wide=wide)
    assert left == (f"{least - 1} to {most - 1} more blocks, "
                    f"{estimate.range_text(2 * block * (least - 1), 2 * block * (most - 1))} "
                    "left")
    # Within its target, a figure past its least is done; the cap leaves only owed blocks.
    done = estimate.time_left(targets, 14, least, twice * least, [block] * least, 600,
                              wide=set())
    assert done == "no more blocks"
    capped = estimate.time_left(targets, 14, 1, twice, [block], twice[0] * 2, wide=wide)
    assert capped.startswith(f"{least - 1} more blocks, ")


def test_past_the_cap_no_block_but_an_owed_one_is_left() -> None:
    """After its least blocks, a run past its cap stops (the blocks' loop does not start
    another), so the time left must not promise one, however wide a figure still is."""
    targets = select(ONE)
    block = 14 * (estimate.ENV_SECONDS + TASK_COST.seconds)
    least = TASK_COST.blocks.least
    minutes = [block / 60] * least
    cap = sum(minutes) - 1  # the least blocks alone went past the cap
    left = estimate.time_left(targets, 14, least, minutes, [block] * least, cap,
                              wide={targets[0].call})
    assert left == "no more blocks"
