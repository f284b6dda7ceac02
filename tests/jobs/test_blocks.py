"""The blocks carried out (against a stand-in for asv): phases first, the first blocks in
seeded orders, extra blocks only where the plan asks (a burst re-measured, an undecided step
on its two interpreters), the time cap, and a log of how the run was made."""

from __future__ import annotations

import math
import random
import re
from pathlib import Path
from typing import Any, Callable

import pytest

from conftest import write_benchmarks_json, write_results
from taskbench import blocklog
from taskbench.catalogue import CATALOGUE, REPLICA, ROUNDS, TASK_COST, select
from taskbench.jobs import blockplan, blocks, runrecord
from taskbench.jobs.blocks import pattern, run_blocks
from taskbench.jobs.runrecord import record

ENVIRONMENTS = ["virtualenv-py3.12", "virtualenv-py3.13"]
FOUR = ["virtualenv-py3.10", "virtualenv-py3.11", "virtualenv-py3.12", "virtualenv-py3.13"]


def test_selection_by_pattern_by_quick_values_or_everything() -> None:
    everything = select()
    assert len(everything) == sum(len(list(e.combinations())) for e in CATALOGUE)
    chosen = select([r"TaskCost.*\(100000\)$"])
    assert [t.call for t in chosen] == [f"{TASK_COST.name}(100000)"]
    quick = select(quick=True)
    assert all(t.entry.quick and t.combo in set(t.entry.combinations(t.entry.quick))
               for t in quick)
    assert REPLICA.name not in {t.entry.name for t in quick}


def test_a_pattern_selects_exactly_the_targets() -> None:
    targets = select([r"TaskCost.*\((1|10)\)$"])
    compiled = re.compile(pattern([t.call for t in targets]))
    assert compiled.search(f"{TASK_COST.name}(10)")
    assert not compiled.search(f"{TASK_COST.name}(100)")
    assert not compiled.search(f"{TASK_COST.name}(1000)")


class FakeAsv:
    """Stands in for asv: each run writes one value per selected figure and environment (or
    ``rounds`` of them), numbered by the order of the runs."""

    calls: list[dict[str, Any]] = []
    setups: list[list[str]] = []
    value: Callable[[str, str, int], float] = staticmethod(lambda env, call, run: 1e-5)

    def __init__(self, config: Path, results_dir: Path) -> None:
        self.results_dir = results_dir

    def __enter__(self) -> FakeAsv:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def setup(self, environments: list[str]) -> None:
        FakeAsv.setups.append(list(environments))

    def run(self, **options: Any) -> Any:
        number = len(FakeAsv.calls)
        FakeAsv.calls.append({**options, "folder": self.results_dir})
        selected = re.compile(options["bench"][0])
        for env in options["environments"]:
            figures: dict[Any, Any] = {}
            for target in select():
                if selected.search(target.call):
                    samples = [FakeAsv.value(env, target.call, number)
                               for _ in range(options["rounds"])]
                    figures.setdefault(target.entry, {})[target.combo] = (
                        samples if target.entry.kind == "sampled" else samples[0])
            write_results(self.results_dir, figures, machine="box",
                          python=env.removeprefix("virtualenv-py"), started=1_000 + number)
        write_benchmarks_json(self.results_dir)
        return type("Done", (), {"returncode": 0})()


@pytest.fixture
def fake_asv(monkeypatch: pytest.MonkeyPatch) -> type[FakeAsv]:
    FakeAsv.calls = []
    FakeAsv.setups = []
    FakeAsv.value = staticmethod(lambda env, call, run: 1e-5)
    monkeypatch.setattr(blocks, "AsvDriver", FakeAsv)
    readings = iter(1.0 + n / 1000 for n in range(1000))
    monkeypatch.setattr(blocks.host, "reference_seconds", lambda: next(readings))
    return FakeAsv


def test_environments_sharing_a_folder_are_measured_in_one_half() -> None:
    names = ["py3.12", "py3.14", "py3.14-JIT", "py3.15", "py3.15-JIT", "pypy"]
    folders = {name: Path(name.split("-")[0]) for name in names}
    found = blocks.halves(names, folders)
    assert sorted(found[0] + found[1]) == sorted(names)
    for shared in ("py3.14", "py3.15"):
        assert any({shared, f"{shared}-JIT"} <= set(half) for half in found)
    assert abs(len(found[0]) - len(found[1])) <= 1


def _blocks_of(calls: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [call for call in calls if call["folder"].name.startswith("block-")]


def test_the_phases_come_first_and_no_timed_block_holds_their_work(
        fake_asv: type[FakeAsv], tmp_path: Path) -> None:
    targets = select([r"TaskCost.*\(1000\)$", r"MemoryPerTask.*\(1000\)$",
                      r"TextualStartup.track_task_share_percent"])
    run = run_blocks(tmp_path, "box", ENVIRONMENTS, targets, minutes=60, seed=5)
    counts = [c for c in fake_asv.calls if c["folder"].name.startswith("counts")]
    assert sorted(env for c in counts for env in c["environments"]) == sorted(ENVIRONMENTS)
    assert len(counts) == 2  # one half per core, at once
    assert fake_asv.setups == [ENVIRONMENTS]  # every environment created first, in turn
    assert all("MemoryPerTask" in c["bench"][0] for c in counts)
    (clients,) = [c for c in fake_asv.calls if c["folder"].name == "clients"]
    assert clients["rounds"] == ROUNDS and "TextualStartup" in clients["bench"][0]
    timed = _blocks_of(fake_asv.calls)
    assert fake_asv.calls.index(timed[0]) == 3  # after both phases
    assert len(timed) == TASK_COST.blocks.least
    assert all("MemoryPerTask" not in c["bench"][0] and "Textual" not in c["bench"][0]
               and c["rounds"] == 1 and c["launch_method"] == "forkserver" for c in timed)
    assert [c["environments"] for c in timed] == run.orders
    assert run.orders == blockplan.orders(ENVIRONMENTS, TASK_COST.blocks.least, 5)


def test_a_quiet_run_needs_no_extra_block(fake_asv: type[FakeAsv], tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    run = run_blocks(tmp_path, "box", ENVIRONMENTS, select([r"TaskCost.*\(1000\)$"]),
                     minutes=60, seed=1)
    assert run.stages == ["first"] * TASK_COST.blocks.least
    assert "The extra blocks: 0" in capsys.readouterr().out


def test_a_burst_in_one_block_is_measured_again_there_only_with_a_partner(fake_asv: type[FakeAsv],
                                                           tmp_path: Path) -> None:
    draw = random.Random(3)
    levels = {env: 1e-5 * (1 + i / 10) for i, env in enumerate(FOUR)}

    def value(env: str, call: str, number: int) -> float:
        burst = 1.5 if (env, number) == (FOUR[2], 2) else 1.0
        return levels[env] * burst * math.exp(draw.gauss(0, 0.005))

    fake_asv.value = staticmethod(value)
    run = run_blocks(tmp_path, "box", FOUR, select([r"TaskCost.*\(1000\)$"]), minutes=60,
                     seed=2)
    assert run.stages.count("extra") == 1
    (extra,) = [c for c in _blocks_of(fake_asv.calls)][-1:]
    # With a step partner: a value alone in a block adds nothing to a model with a term
    # per block.
    (partner,) = set(extra["environments"]) - {FOUR[2]}
    assert len(extra["environments"]) == 2 and partner in (FOUR[1], FOUR[3])
    assert "(1000\\)" in extra["bench"][0]
    assert run.plan is not None and re.search(r"block 3: \+(49|50|51)%", run.plan.granted[0].why)


def test_an_undecided_step_gets_its_blocks_on_its_two_interpreters(
        fake_asv: type[FakeAsv], tmp_path: Path) -> None:
    draw = random.Random(4)
    # 3.12 → 3.13 is 1% with 1.5% of noise: undecided after the first blocks.
    levels = dict(zip(FOUR, (1.3e-5, 8.6e-6, 7e-6, 7e-6 / 1.01)))
    fake_asv.value = staticmethod(lambda env, call, number: levels[env] * math.exp(
        draw.gauss(0, 0.015)))
    run = run_blocks(tmp_path, "box", FOUR, select([r"TaskCost.*\(100000\)$"]), minutes=60,
                     seed=3)
    extra = [c for c in _blocks_of(fake_asv.calls)][TASK_COST.blocks.least:]
    assert extra and all(sorted(c["environments"]) == sorted(FOUR[2:]) for c in extra)
    assert run.stages == ["first"] * TASK_COST.blocks.least + ["extra"] * len(extra)
    assert TASK_COST.blocks.least + len(extra) <= TASK_COST.blocks.most


def test_extra_blocks_slower_than_planned_stop_before_the_cap(
        fake_asv: type[FakeAsv], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    planned = blockplan.Plan(blocks=[{FOUR[2]: [TASK_COST.call_name((1_000,))],
                                      FOUR[3]: [TASK_COST.call_name((1_000,))]}] * 5)
    monkeypatch.setattr(blockplan, "plan", lambda *args: planned)
    monkeypatch.setattr(blocks.estimate, "pace", lambda *args: 1.0)  # as planned, it says
    clock = iter(range(0, 100_000, 60 * 4))  # yet every block takes four minutes
    monkeypatch.setattr(blocks.time, "monotonic", lambda: float(next(clock)))
    run = run_blocks(tmp_path, "box", FOUR, select([r"TaskCost.*\(1000\)$"]), minutes=21,
                     seed=3)
    assert run.spent() <= 21
    assert 0 < run.stages.count("extra") < 5
    assert "left out: the blocks ran slower than planned" in capsys.readouterr().out


def test_the_cap_leaves_out_what_does_not_fit_and_says_so(
        fake_asv: type[FakeAsv], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    draw = random.Random(4)
    levels = dict(zip(FOUR, (1.3e-5, 8.6e-6, 7e-6, 7e-6 / 1.01)))
    fake_asv.value = staticmethod(lambda env, call, number: levels[env] * math.exp(
        draw.gauss(0, 0.015)))
    clock = iter(range(0, 100_000, 60))  # every reading a minute later
    monkeypatch.setattr(blocks.time, "monotonic", lambda: float(next(clock)))
    run = run_blocks(tmp_path, "box", FOUR, select([r"TaskCost.*\(100000\)$"]), minutes=2,
                     seed=3)
    assert run.stages == ["first"] * TASK_COST.blocks.least
    assert "past the time cap (not measured): 3.12 → 3.13" in capsys.readouterr().out


def test_the_record_says_which_block_each_sample_came_from_and_how_the_run_was_made(
        fake_asv: type[FakeAsv], tmp_path: Path) -> None:
    run = run_blocks(tmp_path / "blocks", "box", ENVIRONMENTS,
                     select([r"TaskCost.*\(1000\)$", r"MemoryPerTask.*\(1000\)$"]),
                     minutes=60, seed=9)
    log = record(run, "box", tmp_path / "combined")
    records = blocklog.read(log)
    (runs,) = [r for (commit, env), r in records.items() if env == ""]
    assert runs["seed"] == 9 and [p["name"] for p in runs["phases"]] == ["counts"]
    assert [b["stage"] for b in runs["blocks"]] == ["first"] * len(run.folders)
    assert [b["order"] for b in runs["blocks"]] == run.orders
    assert [b["reference"] for b in runs["blocks"]] == [
        1.0 + n / 1000 for n in range(TASK_COST.blocks.least)]
    for env in ENVIRONMENTS:
        (entry,) = [r for (commit, name), r in records.items() if name == env]
        # The counts phase's figure is not paired by block; the timed one is, block by block.
        assert entry["figures"] == {f"{TASK_COST.name}(1000)": list(range(len(run.folders)))}


def test_each_block_says_the_time_left_and_that_asvs_percentage_is_no_clock(
        fake_asv: type[FakeAsv], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run_blocks(tmp_path, "box", ENVIRONMENTS, select([r"TaskCost.*\(1000\)$"]), minutes=60,
               seed=1)
    out = capsys.readouterr().out
    least = TASK_COST.blocks.least
    assert "Block orders drawn from seed 1" in out
    assert out.count("asv's [NN%] counts this block's benchmarks, not time") == least
    progress = re.findall(r"^Block (\d+): 2 values in [\d.]+ minutes \([\d.]+ so far; the "
                          r"reference took 1\.00\d s\); (.*)\.$", out, re.MULTILINE)
    assert [int(number) for number, _ in progress] == list(range(1, least + 1))
    assert progress[0][1].startswith(f"{least - 1} more first blocks, then the extra blocks")
    assert progress[-1][1].startswith("no more first blocks, then the extra blocks")


SIX = [f"virtualenv-py3.{minor}" for minor in range(8, 14)]
# TaskCost at 100,000 tasks in the committed runs, µs: a slower step, three faster, one
# near 1.
SIX_LEVELS = dict(zip(SIX, (14.8e-6, 16.0e-6, 13.1e-6, 8.6e-6, 8.6e-6, 7.55e-6)))


def _noisy(burst: set[tuple[str, int]], salt: int) -> Callable[[str, str, int], float]:
    """2% of noise per process, a drift per block, the same in every run of one ``salt``
    for the same interpreter and asv call; 40% slower for the (interpreter, call number) in
    ``burst``."""
    def value(env: str, call: str, number: int) -> float:
        draw = random.Random(f"{salt} {env} {number}")
        drift = random.Random(f"{salt} block {number}").gauss(0, 0.03)
        hit = 1.4 if (env, number) in burst else 1.0
        return SIX_LEVELS[env] * hit * math.exp(drift + draw.gauss(0, 0.02))
    return value


def _verdicts(tmp_path: Path, name: str, burst: set[tuple[str, int]], salt: int
              ) -> dict[str, str]:
    from taskbench.reports.classic import steps_table
    from taskbench.reports.views import read_index

    FakeAsv.calls = []
    FakeAsv.value = staticmethod(_noisy(burst, salt))
    run = run_blocks(tmp_path / name / "blocks", "box", SIX,
                     select([r"TaskCost.*\(100000\)$"]), minutes=600, seed=salt)
    record(run, "box", tmp_path / name / "results")
    index, problems = read_index(tmp_path / name / "results")
    assert not problems
    table = steps_table(index, "box")
    return {row[0].text: re.sub(r"^[\d.]+× ", "", row[2].text.split(" (")[0])
            for row in table.rows}


def test_a_burst_of_interference_leaves_the_verdicts_as_a_quiet_run_gives_them(
        fake_asv: type[FakeAsv], tmp_path: Path) -> None:
    # Two processes 40% slow in two blocks, as bursts of the host do; five
    # runs of other noise and orders. A verdict may fall either side of the margin in one
    # of them (each decides about 80% of the time), never the opposite way.
    differ = 0
    for salt in range(5):
        quiet = _verdicts(tmp_path, f"quiet-{salt}", set(), salt)
        hit = _verdicts(tmp_path, f"burst-{salt}", {(SIX[1], 2), (SIX[3], 1)},
                        salt)
        assert quiet.keys() == hit.keys()
        for step in quiet:
            decided = {quiet[step], hit[step]} - {"undecided"}
            assert len(decided) <= 1, (salt, step, quiet[step], hit[step])
            differ += quiet[step] != hit[step]
        assert sum(words != "undecided" for words in hit.values()) >= 4
    assert differ <= 2


def test_a_figure_that_fails_in_one_block_is_named_and_the_rest_kept(
        fake_asv: type[FakeAsv], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def value(env: str, call: str, number: int) -> float:
        return math.nan if (env, number) == (ENVIRONMENTS[1], 1) else 1e-5

    fake_asv.value = staticmethod(value)
    run = run_blocks(tmp_path, "box", ENVIRONMENTS, select([r"TaskCost.*\(1000\)$"]),
                     minutes=60, seed=1)
    call = TASK_COST.call_name((1_000,))
    blocks = list(range(TASK_COST.blocks.least))
    assert sorted(run.measured[call][ENVIRONMENTS[1]]) == [b for b in blocks if b != 1]
    assert sorted(run.measured[call][ENVIRONMENTS[0]]) == blocks
    assert f"block 2: 3.13 {call}" in capsys.readouterr().out


def test_a_reference_that_cannot_run_is_said_and_the_block_goes_on(
        fake_asv: type[FakeAsv], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    def broken() -> float:
        raise blocks.host.HostError("no interpreter")

    monkeypatch.setattr(blocks.host, "reference_seconds", broken)
    run = run_blocks(tmp_path, "box", ENVIRONMENTS, select([r"TaskCost.*\(1000\)$"]),
                     minutes=60, seed=1)
    assert run.references == [None] * TASK_COST.blocks.least
    assert len(run.folders) == TASK_COST.blocks.least
    assert "the reference workload did not run (no interpreter)" in capsys.readouterr().out


def test_a_quick_try_out_is_one_asv_run_holding_every_figure(
        fake_asv: type[FakeAsv], tmp_path: Path) -> None:
    targets = select([r"TaskCost.*\(1000\)$", r"MemoryPerTask.*\(1000\)$",
                      r"TextualStartup.track_task_share_percent"])
    run = run_blocks(tmp_path, "box", ENVIRONMENTS, targets, minutes=60, quick=True, seed=1)
    (only,) = fake_asv.calls
    assert all(name in only["bench"][0] for name in ("TaskCost", "MemoryPerTask", "Textual"))
    assert fake_asv.setups == [] and run.phases == [] and run.stages == ["first"]


class FailingAsv(FakeAsv):
    """asv that fails before measuring anything, as outside a git checkout."""

    def run(self, **options: Any) -> Any:
        FakeAsv.calls.append({**options, "folder": self.results_dir})
        (self.results_dir / "box").mkdir(parents=True, exist_ok=True)  # asv machine's folder
        return type("Failed", (), {"returncode": 1})()


def test_asv_measuring_nothing_in_block_1_stops_the_run_there(
        fake_asv: type[FakeAsv], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(blocks, "AsvDriver", FailingAsv)
    with pytest.raises(blocks.NothingMeasured, match="status 1.*block 1"):
        run_blocks(tmp_path, "box", ENVIRONMENTS, select([r"TaskCost.*\(1000\)$"]),
                   minutes=60, seed=1)
    assert len(_blocks_of(fake_asv.calls)) == 1  # not the blocks after it, failing alike


def test_blocks_without_asv_catalogue_are_refused_in_words(tmp_path: Path) -> None:
    run = runrecord.BlockRun(folders=[tmp_path / "block-01"])
    (tmp_path / "block-01" / "box").mkdir(parents=True)
    with pytest.raises(ValueError, match="no benchmarks.json"):
        record(run, "box", tmp_path / "combined")
