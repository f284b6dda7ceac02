"""The catalogue is the one declaration of every benchmark: asv discovers exactly these."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest

from taskbench.catalogue import (
    CATALOGUE,
    EXACT,
    FIRST_CYCLE,
    REPLICA,
    REPLICA_KIND,
    SAMPLED,
    SPAWN_API,
    TASK_COST,
    Benchmark,
    benchmark,
    check_patterns,
    quick_patterns,
)
from taskbench.workloads.timing import FIRST, WARM

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def discovered() -> dict[str, Any]:
    """What asv's own discovery finds in benchmarks/, by name."""
    from asv_runner.discovery import disc_benchmarks

    sys.path.insert(0, str(ROOT))
    try:
        return {bench.name: bench for bench in disc_benchmarks(str(ROOT / "benchmarks"))}
    finally:
        sys.path.remove(str(ROOT))


def test_asv_discovers_exactly_the_declared_benchmarks(discovered: dict[str, Any]) -> None:
    assert set(discovered) == {entry.name for entry in CATALOGUE}


@pytest.mark.parametrize("entry", CATALOGUE, ids=lambda entry: entry.name)
def test_each_benchmark_carries_its_declaration(entry: Benchmark,
                                                discovered: dict[str, Any]) -> None:
    found = discovered[entry.name]
    assert found.unit == entry.unit
    assert found.version == entry.version
    assert found.param_names == entry.param_names
    assert found.params == [[repr(value) for value in axis.values] for axis in entry.axes]
    assert entry.kind in (SAMPLED, EXACT, REPLICA_KIND)
    assert entry.better in ("higher", "lower", None)


def test_the_classic_cycle_is_measured_from_one_task_to_the_posts_first_and_last_rows(
        ) -> None:
    assert TASK_COST.axes[0].values == (1, 10, 100, 1_000, 10_000, 100_000)
    assert FIRST_CYCLE.axes[0].values == (100_000, 1_000_000)
    assert REPLICA.axes[0].values == tuple(range(100_000, 1_000_001, 100_000))


def test_every_timed_figure_is_a_time_lower_being_better_of_one_declared_kind() -> None:
    for entry in CATALOGUE:
        if entry.kind == SAMPLED and entry.unit != "%":
            assert (entry.unit, entry.better) == ("seconds", "lower"), entry.name
    assert {TASK_COST.cycle_at(100_000), FIRST_CYCLE.cycle_at(100_000)} == {WARM, FIRST}
    assert SPAWN_API.cycle_at(1_000) == WARM and SPAWN_API.cycle_at(100_000) == FIRST


def test_figures_with_a_width_target_may_take_more_blocks_than_their_least() -> None:
    for entry in CATALOGUE:
        blocks = entry.blocks
        assert 1 <= blocks.least <= blocks.most, entry.name
        assert (blocks.percent is None) == (blocks.least == blocks.most), entry.name


def _asv_selects(pattern: str, entry: Benchmark) -> list[tuple[Any, ...]]:
    """The combinations asv's --bench would select (asv matches ``name(p1, p2)``)."""
    return [combo for combo in entry.combinations()
            if re.search(pattern, f"{entry.name}({', '.join(map(repr, combo))})")]


@pytest.mark.parametrize("entry", [e for e in CATALOGUE if e.quick], ids=lambda e: e.name)
def test_a_quick_pattern_selects_only_the_quick_parameters(entry: Benchmark) -> None:
    pattern = entry.quick_pattern()
    assert pattern is not None
    assert _asv_selects(pattern, entry) == list(entry.combinations(entry.quick))
    for other in CATALOGUE:
        if other is not entry:
            assert not _asv_selects(pattern, other), other.name


def test_quick_patterns_select_spawn_apis_at_the_small_count_only() -> None:
    selected = _asv_selects(SPAWN_API.quick_pattern() or "", SPAWN_API)
    assert {combo[2] for combo in selected} == {1_000}
    assert len(selected) == len(SPAWN_API.axes[0].values) * len(SPAWN_API.axes[1].values)


def test_the_decorator_refuses_a_class_without_the_declared_method() -> None:
    with pytest.raises(TypeError, match="has no method for"):
        @benchmark(TASK_COST)
        class Throughput:
            def track_something_else(self) -> None:
                pass


def test_the_decorator_refuses_methods_with_different_parameters() -> None:
    first = Benchmark("bench_x.Pair.track_a", "a", TASK_COST.axes, "s", "lower", "v")
    second = Benchmark("bench_x.Pair.track_b", "b", SPAWN_API.axes, "s", "lower", "v")
    with pytest.raises(TypeError, match="share one set of parameters"):
        @benchmark(first, second)
        class Pair:
            def track_a(self) -> None:
                pass

            def track_b(self) -> None:
                pass


def test_patterns_asv_accepts_are_accepted() -> None:
    # Inherited methods, parameter combinations and bare class names all select something.
    assert check_patterns(["TaskCost", r"SpawnAPI.*\('gather'", "TextualTasks",
                           r"Replica\.track_minor"]) is None


@pytest.mark.parametrize(("pattern", "message"), [
    ("", "would select every benchmark"), ("(", "is not a regular expression"),
    ("NoSuchBenchmark", "no benchmark matches --bench 'NoSuchBenchmark'")])
def test_patterns_that_select_nothing_or_everything_are_named(pattern: str,
                                                              message: str) -> None:
    problem = check_patterns([pattern])
    assert problem is not None and message in problem


def test_quick_patterns_cover_every_benchmark_that_declares_quick_values() -> None:
    assert len(quick_patterns()) == len([entry for entry in CATALOGUE if entry.quick])
