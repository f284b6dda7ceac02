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
    REPLICA_KIND,
    SAMPLED,
    SPAWN_API,
    THROUGHPUT,
    Benchmark,
    benchmark,
)

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


def test_the_classic_table_is_the_posts_whole_table_plus_start_up_counts() -> None:
    counts = THROUGHPUT.axes[0].values
    assert counts[-10:] == tuple(range(100_000, 1_000_001, 100_000))
    assert counts[:5] == (1, 10, 100, 1_000, 10_000)


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
        @benchmark(THROUGHPUT)
        class Throughput:
            def track_something_else(self) -> None:
                pass


def test_the_decorator_refuses_methods_with_different_parameters() -> None:
    first = Benchmark("bench_x.Pair.track_a", "a", THROUGHPUT.axes, "s", "lower", "v")
    second = Benchmark("bench_x.Pair.track_b", "b", SPAWN_API.axes, "s", "lower", "v")
    with pytest.raises(TypeError, match="share one set of parameters"):
        @benchmark(first, second)
        class Pair:
            def track_a(self) -> None:
                pass

            def track_b(self) -> None:
                pass
