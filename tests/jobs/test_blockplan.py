"""The block plan: phases by the catalogue, seeded and balanced orders, and the extra blocks
planned from the first ones (re-measuring interference, deciding steps, narrowing wide
figures) within the time cap, in that order of priority."""

from __future__ import annotations

import math
import random
import re

import pytest

from taskbench.catalogue import (
    AIOHTTP_SHARE,
    BLOCKS,
    CLIENTS,
    COUNTS,
    FIRST_CYCLE,
    INSTRUCTIONS,
    MEMORY,
    REPLICA,
    REPLICA_PHASE,
    SPAWN_API,
    TASK_COST,
    TEXTUAL_SHARE,
    Target,
    select,
)
from taskbench.jobs import blockplan
from taskbench.jobs.blockplan import DECIDE, PRECISION, REMEASURE, Need, layout, needs, plan
from taskbench.reports.classic import steps


def test_every_figure_has_its_phase() -> None:
    assert TASK_COST.measured_in == FIRST_CYCLE.measured_in == SPAWN_API.measured_in == BLOCKS
    assert INSTRUCTIONS.measured_in == MEMORY.measured_in == COUNTS
    assert TEXTUAL_SHARE.measured_in == AIOHTTP_SHARE.measured_in == CLIENTS
    assert REPLICA.measured_in == REPLICA_PHASE
    targets = select()
    assert {t.entry.measured_in for t in blockplan.in_phase(targets, COUNTS)} == {COUNTS}
    assert blockplan.first_blocks(targets) == max(
        t.entry.blocks.least for t in targets if t.entry.measured_in == BLOCKS)
    assert blockplan.first_blocks(select(quick=True), quick=True) == 1


def test_a_figure_is_in_the_first_blocks_up_to_its_least_and_nothing_else_is() -> None:
    task = Target(TASK_COST, (100_000,))
    spawn = Target(SPAWN_API, ("gather", "asyncio", 100_000))
    counted = Target(INSTRUCTIONS, ("gather", "asyncio"))
    assert [blockplan.in_first_block(task, b) for b in range(6)] == \
        [b < TASK_COST.blocks.least for b in range(6)]
    assert [blockplan.in_first_block(spawn, b) for b in range(4)] == \
        [b < SPAWN_API.blocks.least for b in range(4)]
    assert not any(blockplan.in_first_block(counted, b) for b in range(5))


def test_orders_are_drawn_from_the_seed_and_balanced_across_positions() -> None:
    names = [f"env{n}" for n in range(14)]
    found = blockplan.orders(names, 5, seed=11)
    assert all(sorted(order) == sorted(names) for order in found)
    assert blockplan.orders(names, 5, seed=11) == found
    assert blockplan.orders(names, 5, seed=12) != found
    # Each interpreter's places spread over the order: in both halves of it, and on
    # average within one place of its middle (a fixed order puts the first at 0, the last
    # at 13).
    for blocks in (3, 5):
        for name in names:
            places = [order.index(name) for order in blockplan.orders(names, blocks, 11)]
            assert {place * 2 // 14 for place in places} == {0, 1}
            assert abs(sum(places) / blocks - 6.5) <= 1.0
    assert blockplan.draw_seed() != blockplan.draw_seed() or blockplan.draw_seed() != \
        blockplan.draw_seed()


@pytest.mark.parametrize("size", [2, 5, 13, 14])
def test_the_williams_rows_put_every_interpreter_at_every_place_with_other_neighbours(
        size: int) -> None:
    sequence = blockplan.williams_sequence(size)
    rows = [[(item + shift) % size for item in sequence] for shift in range(size)]
    for place in range(size):
        assert sorted(row[place] for row in rows) == list(range(size))
    if size % 2 == 0:  # Williams: every ordered pair side by side exactly once
        pairs = [(row[i], row[i + 1]) for row in rows for i in range(size - 1)]
        assert len(pairs) == len(set(pairs)) == size * (size - 1)


@pytest.mark.parametrize(("size", "blocks"), [(2, 4), (3, 6), (4, 8), (14, 3)])
def test_more_blocks_than_interpreters_still_put_each_first_equally_often(size: int,
                                                                         blocks: int) -> None:
    names = [f"env{n}" for n in range(size)]
    firsts = [order[0] for order in blockplan.orders(names, blocks, seed=1)]
    counts = [firsts.count(name) for name in names]
    assert max(counts) - min(counts) <= 1


def test_the_first_blocks_seldom_repeat_a_neighbour_pair() -> None:
    names = [f"env{n}" for n in range(14)]
    found = blockplan.orders(names, 3, seed=4)
    adjacent = [{frozenset(pair) for pair in zip(order, order[1:])} for order in found]
    shared = (adjacent[0] & adjacent[1]) | (adjacent[1] & adjacent[2]) | (
        adjacent[0] & adjacent[2])
    assert len(shared) <= 3  # a rotation of one order would share 12 of 13 in each pair


def _measured(levels: dict[str, float], blocks: int, noise: float, seed: int
              ) -> dict[str, dict[int, float]]:
    draw = random.Random(seed)
    shifts = [draw.gauss(0, 0.05) for _ in range(blocks)]
    return {f"virtualenv-py{name}": {b: level * math.exp(shifts[b] + draw.gauss(0, noise))
                                      for b in range(blocks)}
            for name, level in levels.items()}


CALL = TASK_COST.call_name((100_000,))
NAMES = {f"virtualenv-py{v}": v for v in ("3.10", "3.11", "3.12", "3.13")}
JUDGED = [Target(TASK_COST, (100_000,))]


def test_a_burst_is_measured_again_on_that_interpreter_and_figure_only() -> None:
    by_env = _measured({"3.10": 1.3e-5, "3.11": 8.6e-6, "3.12": 7e-6, "3.13": 5.5e-6}, 5,
                       0.005, seed=1)
    by_env["virtualenv-py3.12"][3] *= 1.4
    unreachable: list[str] = []
    found = needs({CALL: by_env}, NAMES, JUDGED, JUDGED, steps, unreachable)
    again = [n for n in found if n.reason == REMEASURE]
    assert [(n.env_name, n.call, n.more) for n in again] == [("virtualenv-py3.12", CALL, 1)]
    assert "block 4" in again[0].why and re.search(r"\+(39|40)%", again[0].why)


def test_an_undecided_step_asks_for_the_blocks_that_decide_it_on_both_sides() -> None:
    # 3.12 and 3.13 1.5% apart with 1.2% of noise: undecided after 5 blocks, within 16.
    by_env = _measured({"3.10": 1.3e-5, "3.11": 8.6e-6, "3.12": 7e-6, "3.13": 7e-6 / 1.015},
                       5, 0.012, seed=2)
    unreachable: list[str] = []
    found = [n for n in needs({CALL: by_env}, NAMES, JUDGED, JUDGED, steps, unreachable)
             if n.reason == DECIDE]
    step = [n for n in found if "3.12 → 3.13" in n.why]
    assert {n.env_name for n in step} == {"virtualenv-py3.12", "virtualenv-py3.13"}
    assert all(0 < n.more <= TASK_COST.blocks.most - 5 for n in step) and not unreachable


def test_a_step_beyond_the_most_blocks_is_named_not_planned() -> None:
    by_env = _measured({"3.12": 7e-6, "3.13": 7e-6 * 1.029}, 5, 0.06, seed=3)
    names = {k: v for k, v in NAMES.items() if v in ("3.12", "3.13")}
    unreachable: list[str] = []
    found = needs({CALL: by_env}, names, JUDGED, JUDGED, steps, unreachable)
    assert not [n for n in found if n.reason == DECIDE]
    assert len(unreachable) == 1 and unreachable[0].startswith("3.12 → 3.13")


def test_a_wide_cpython_figure_asks_for_blocks_up_to_its_most() -> None:
    by_env = _measured({"3.12": 7e-6, "3.13": 5e-6, "3.11": 9e-6}, 5, 0.04, seed=4)
    names = {k: v for k, v in NAMES.items() if v in ("3.11", "3.12", "3.13")}
    small = TASK_COST.call_name((1_000,))
    found = [n for n in needs({CALL: by_env, small: by_env}, names,
                              JUDGED + [Target(TASK_COST, (1_000,))], [], steps, [])
             if n.reason == PRECISION]
    assert found and all(n.more <= TASK_COST.blocks.most - 5 for n in found)
    # Only the headline figure is held to the target: 1,000 tasks is as wide, and left be.
    assert {n.call for n in found} == {CALL}


def test_extra_blocks_hold_only_what_needs_them() -> None:
    granted = [Need("a", "x", 3, DECIDE, "a → b"), Need("b", "x", 3, DECIDE, "a → b"),
               Need("c", "y", 1, REMEASURE, "c y in block 2"),
               Need("a", "x", 1, REMEASURE, "a x in block 1")]
    assert layout(granted) == [{"a": ["x"], "b": ["x"], "c": ["y"]}, {"a": ["x"], "b": ["x"]},
                               {"a": ["x"], "b": ["x"]}]


def test_the_time_cap_grants_needs_in_priority_order_and_pairs_together() -> None:
    candidates = [Need("a", "x", 4, DECIDE, "a → b"), Need("b", "x", 4, DECIDE, "a → b"),
                  Need("c", "y", 1, REMEASURE, "c y in block 2"),
                  Need("d", "x", 2, PRECISION, "d x wide")]

    def price(blocks: list[dict[str, list[str]]]) -> float:  # a second per figure
        return float(sum(len(calls) for block in blocks for calls in block.values()))

    found = plan(candidates, price, seconds_left=3)
    assert [n.why for n in found.granted] == ["c y in block 2", "d x wide"]
    assert {n.why for n in found.refused} == {"a → b"}
    assert found.blocks == layout(found.granted)
    everything = plan(candidates, price, seconds_left=100)
    assert not everything.refused and len(everything.blocks) == 4


def test_the_plan_judges_the_steps_the_views_show_whatever_order_the_model_keeps() -> None:
    # The model keeps its interpreters sorted as text (3.10 before 3.9); the steps are by
    # version: 3.9 → 3.10, never 3.10 → 3.8 or 3.13 → 3.8.
    names = {f"virtualenv-py{v}": v for v in ("3.8", "3.9", "3.10")}
    # 3.9 → 3.10 1.5% apart with 1.2% of noise: undecided after 5 blocks, within 16.
    by_env = _measured({"3.8": 1.3e-5, "3.9": 1e-5, "3.10": 1e-5 / 1.015}, 5, 0.012, seed=2)
    unreachable: list[str] = []
    found = needs({CALL: by_env}, names, JUDGED, JUDGED, steps, unreachable)
    said = {n.why.split(" at ")[0] for n in found if n.reason == DECIDE} | {
        why.split(" at ")[0] for why in unreachable}
    assert said and said <= {"3.8 → 3.9", "3.9 → 3.10"} and "3.9 → 3.10" in said
    assert steps(["3.10", "3.8", "3.9", "pypy3.11", "pypy3.9"]) == steps(
        ["3.8", "3.9", "3.10", "pypy3.9", "pypy3.11"])


def test_a_figure_is_never_alone_on_one_interpreter_in_an_extra_block() -> None:
    granted = [Need("a", "x", 1, REMEASURE, "a x in block 2", ("b", "c")),
               Need("c", "x", 3, PRECISION, "c x wide", ("b", "a")),
               Need("d", "y", 2, DECIDE, "d → e", ("e",)),
               Need("e", "y", 2, DECIDE, "d → e", ("d",))]
    found = layout(granted)
    assert found[0] == {"a": ["x"], "c": ["x"], "d": ["y"], "e": ["y"]}
    assert found[1] == {"b": ["x"], "c": ["x"], "d": ["y"], "e": ["y"]}  # c's partner, b
    assert found[2] == {"b": ["x"], "c": ["x"]}
    # Values set aside add up, the largest of other needs counts.
    assert len(layout([Need("a", "x", 1, REMEASURE, "1", ("b",)),
                       Need("a", "x", 1, REMEASURE, "2", ("b",)),
                       Need("a", "x", 1, DECIDE, "a → b", ("b",)),
                       Need("b", "x", 1, DECIDE, "a → b", ("a",))])) == 2


def test_an_extra_blocks_order_is_drawn_from_the_runs_seed_and_its_number() -> None:
    names = [f"env{n}" for n in range(8)]
    found = blockplan.extra_order(names, 5, 4)
    assert sorted(found) == names
    assert blockplan.extra_order(list(reversed(names)), 5, 4) == found
    assert len({tuple(blockplan.extra_order(names, seed, 4)) for seed in range(6)}) > 1
    assert len({tuple(blockplan.extra_order(names, 5, block)) for block in range(6)}) > 1
