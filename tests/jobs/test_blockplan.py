"""The block plan: phases by the catalogue, seeded and balanced orders, and the extra blocks
planned from the first ones (re-measuring interference, deciding steps, narrowing wide
figures) within the time cap, in that order of priority."""

from __future__ import annotations

import math
import random
import re

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
    # Each interpreter's five places spread over the order: one in each fifth of it.
    for name in names:
        places = sorted(order.index(name) for order in found)
        assert len({place * 5 // 14 for place in places}) >= 4
    assert blockplan.draw_seed() != blockplan.draw_seed() or blockplan.draw_seed() != \
        blockplan.draw_seed()


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
