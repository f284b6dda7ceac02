"""Interleaved blocks: every interpreter once per block in an order that changes, a figure in
the next block only while its catalogue asks for more, measured-once figures in the first
block only, a time cap, and a log of which block each sample came from."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable

import pytest

from conftest import write_benchmarks_json, write_results
from taskbench import blocklog
from taskbench.catalogue import CATALOGUE, MEMORY, REPLICA, TASK_COST, Target, select
from taskbench.jobs import blocks
from taskbench.jobs.blocks import order, pattern, record, run_blocks, wanted

ENVIRONMENTS = ["virtualenv-py3.12", "virtualenv-py3.13"]


def test_selection_by_pattern_by_quick_values_or_everything() -> None:
    everything = select()
    assert len(everything) == sum(len(list(e.combinations())) for e in CATALOGUE)
    chosen = select([r"TaskCost.*\(100000\)$"])
    assert [t.call for t in chosen] == [f"{TASK_COST.name}(100000)"]
    quick = select(quick=True)
    assert all(t.entry.quick and t.combo in set(t.entry.combinations(t.entry.quick))
               for t in quick)
    assert REPLICA.name not in {t.entry.name for t in quick}


def test_the_order_changes_from_block_to_block_and_is_reproducible() -> None:
    names = [f"env{n}" for n in range(14)]
    orders = [order(names, block) for block in range(6)]
    assert all(sorted(found) == sorted(names) for found in orders)
    assert len({tuple(found) for found in orders}) == 6
    assert order(names, 3) == orders[3]


def test_a_pattern_selects_exactly_the_targets() -> None:
    targets = select([r"TaskCost.*\((1|10)\)$"])
    compiled = re.compile(pattern(targets))
    assert compiled.search(f"{TASK_COST.name}(10)")
    assert not compiled.search(f"{TASK_COST.name}(100)")
    assert not compiled.search(f"{TASK_COST.name}(1000)")


def test_wanted_follows_the_catalogues_blocks() -> None:
    target = Target(TASK_COST, (1_000,))
    policy = TASK_COST.blocks
    quiet = {env: {b: 1e-5 for b in range(policy.least)} for env in ENVIRONMENTS}
    assert all(wanted(target, block, {}) for block in range(policy.least))
    assert not wanted(target, policy.least, {target.call: quiet})
    noisy = {env: {b: 1e-5 * (1 + 0.2 * (-1) ** b) for b in range(policy.least)}
             for env in ENVIRONMENTS}
    assert wanted(target, policy.least, {target.call: noisy})
    assert not wanted(target, policy.most, {target.call: noisy})
    once = Target(MEMORY, (1_000,))
    assert wanted(once, 0, {}) and not wanted(once, 1, {})


def test_a_noisy_pypy_does_not_prolong_the_run_but_a_noisy_cpython_does() -> None:
    target = Target(TASK_COST, (1_000,))
    least = TASK_COST.blocks.least
    quiet = {b: 1e-5 for b in range(least)}
    noisy = {b: 1e-5 * (1 + 0.2 * (-1) ** b) for b in range(least)}
    pypy_noisy = {"virtualenv-py3.12": quiet, "virtualenv-pypy3.11": noisy}
    assert not wanted(target, least, {target.call: pypy_noisy})
    cpython_noisy = {"virtualenv-py3.12": noisy, "virtualenv-pypy3.11": quiet}
    assert wanted(target, least, {target.call: cpython_noisy})


class FakeAsv:
    """Stands in for asv: each run writes one value per selected figure and environment."""

    calls: list[dict[str, Any]] = []
    value: Callable[[str, str, int], float] = staticmethod(lambda env, call, block: 1e-5)

    def __init__(self, config: Path, results_dir: Path) -> None:
        self.results_dir = results_dir

    def __enter__(self) -> FakeAsv:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def run(self, **options: Any) -> Any:
        block = len(FakeAsv.calls)
        FakeAsv.calls.append(options)
        selected = re.compile(options["bench"][0])
        for env in options["environments"]:
            figures: dict[Any, Any] = {}
            for target in select():
                if selected.search(target.call):
                    sample = FakeAsv.value(env, target.call, block)
                    figures.setdefault(target.entry, {})[target.combo] = (
                        [sample] if target.entry.kind == "sampled" else sample)
            write_results(self.results_dir, figures, machine="box",
                          python=env.removeprefix("virtualenv-py"), started=1_000 + block)
        write_benchmarks_json(self.results_dir)
        return type("Done", (), {"returncode": 0})()


@pytest.fixture
def fake_asv(monkeypatch: pytest.MonkeyPatch) -> type[FakeAsv]:
    FakeAsv.calls = []
    FakeAsv.value = staticmethod(lambda env, call, block: 1e-5)
    monkeypatch.setattr(blocks, "AsvDriver", FakeAsv)
    return FakeAsv


def test_a_quiet_figure_stops_at_its_least_and_exact_ones_run_once(
        fake_asv: type[FakeAsv], tmp_path: Path) -> None:
    targets = select([r"TaskCost.*\(1000\)$", r"MemoryPerTask.*\(1000\)$"])
    run = run_blocks(tmp_path, "box", ENVIRONMENTS, targets, minutes=60)
    assert len(run.folders) == TASK_COST.blocks.least
    assert [call["environments"] for call in fake_asv.calls] == run.orders
    assert "MemoryPerTask" in fake_asv.calls[0]["bench"][0]
    assert all("MemoryPerTask" not in call["bench"][0] for call in fake_asv.calls[1:])
    assert all(call["rounds"] == 1 and call["launch_method"] == "forkserver"
               for call in fake_asv.calls)


def test_a_noisy_figure_takes_blocks_up_to_its_most(fake_asv: type[FakeAsv],
                                                    tmp_path: Path) -> None:
    fake_asv.value = staticmethod(lambda env, call, block: 1e-5 * (1 + 0.3 * (-1) ** block))
    run = run_blocks(tmp_path, "box", ENVIRONMENTS, select([r"TaskCost.*\(1000\)$"]),
                     minutes=60)
    assert len(run.folders) == TASK_COST.blocks.most


def test_past_every_least_no_block_starts_that_would_end_past_the_cap(
        fake_asv: type[FakeAsv], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    fake_asv.value = staticmethod(lambda env, call, block: 1e-5 * (1 + 0.3 * (-1) ** block))
    clock = iter(range(0, 10_000, 120))  # every reading two minutes later
    monkeypatch.setattr(blocks.time, "monotonic", lambda: float(next(clock)))
    run = run_blocks(tmp_path, "box", ENVIRONMENTS, select([r"TaskCost.*\(1000\)$"]),
                     minutes=9)
    # The least blocks are owed whatever the cap; the noise asks for more, the cap refuses.
    assert len(run.folders) == TASK_COST.blocks.least
    assert "would end past the 9-minute cap" in capsys.readouterr().out


def test_the_record_says_which_block_each_sample_came_from(fake_asv: type[FakeAsv],
                                                           tmp_path: Path) -> None:
    run = run_blocks(tmp_path / "blocks", "box", ENVIRONMENTS,
                     select([r"TaskCost.*\(1000\)$"]), minutes=60)
    log = record(run, "box", tmp_path / "combined")
    records = blocklog.read(log)
    runs = [r for (commit, env), r in records.items() if env == ""]
    assert len(runs) == 1 and len(runs[0]["blocks"]) == len(run.folders)
    for env in ENVIRONMENTS:
        (entry,) = [r for (commit, name), r in records.items() if name == env]
        assert entry["figures"] == {f"{TASK_COST.name}(1000)": list(range(len(run.folders)))}


def test_each_block_says_the_time_left_and_that_asvs_percentage_is_no_clock(
        fake_asv: type[FakeAsv], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run_blocks(tmp_path, "box", ENVIRONMENTS, select([r"TaskCost.*\(1000\)$"]), minutes=60)
    out = capsys.readouterr().out
    least, most = TASK_COST.blocks.least, TASK_COST.blocks.most
    assert out.count("asv's [NN%] counts this block's benchmarks, not time") == least
    progress = re.findall(r"^Block (\d+): 2 values in [\d.]+ minutes \([\d.]+ so far\); "
                          r"(.*)\.$", out, re.MULTILINE)
    assert [int(number) for number, _ in progress] == list(range(1, least + 1))
    # Until its least, a figure may yet need its most; a quiet one then needs no more.
    assert progress[0][1].startswith(f"{least - 1} to {most - 1} more blocks, about ")
    assert progress[0][1].endswith(" left")
    assert progress[-1][1] == "no more blocks"
