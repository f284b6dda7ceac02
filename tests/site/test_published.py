"""taskbench.site.published: asv publishes only what the catalogue declares now; results/ keeps
everything, and a file that cannot be published is named with what to do."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

from conftest import samples_around, write_results
from taskbench.asvadapter.results import load
from taskbench.catalogue import CATALOGUE, MEMORY, TASK_COST, TEXTUAL_SHARE, Axis, Benchmark
from taskbench.site.published import Published, publishable, without_regressions
from taskbench.site.vendor import SiteError

# A benchmark the catalogue no longer declares, higher-is-better, as the old suite had them.
RETIRED = Benchmark("bench_create_wait.Throughput.track_tasks_per_second", "tasks per second",
                    (Axis("count", (1_000, 100_000)),), "tasks/s", "higher", "throughput-5")
OLD_TASK_COST = dataclasses.replace(TASK_COST, version="task-cost-0")


def describe(results_dir: Path, entries: list[Benchmark]) -> None:
    """asv's benchmarks.json for ``entries``, with every field asv publish reads."""
    results_dir.mkdir(parents=True, exist_ok=True)
    (results_dir / "benchmarks.json").write_text(json.dumps({"version": 2, **{
        entry.name: {"name": entry.name, "version": entry.version, "unit": entry.unit,
                     "type": "track", "code": "", "timeout": 60,
                     "param_names": entry.param_names,
                     "params": [[repr(v) for v in axis.values] for axis in entry.axes]}
        for entry in entries}}))


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def results(tmp_path: Path) -> Path:
    folder = tmp_path / "results"
    task = {(count,): samples_around(1e-5) for count in TASK_COST.axes[0].values}
    write_results(folder, {TASK_COST: task, MEMORY: {(1_000,): 700.0, (100_000,): 690.0},
                           RETIRED: {(1_000,): 5e4}}, python="3.12")
    write_results(folder, {TASK_COST: task, MEMORY: {}}, python="pypy3.11")  # MEMORY n/a
    write_results(folder, {OLD_TASK_COST: task, RETIRED: {(1_000,): 4e4}}, python="3.8")
    describe(folder, [*CATALOGUE, RETIRED])
    return folder


def test_only_the_catalogues_benchmarks_at_its_versions_are_copied(results: Path,
                                                                   tmp_path: Path) -> None:
    before = tree(results)

    published = publishable(results, tmp_path / "copy")

    figures = load(tmp_path / "copy").figures
    assert {(f.benchmark, f.version) for f in figures} == {
        (TASK_COST.name, TASK_COST.version), (MEMORY.name, MEMORY.version)}
    assert {f.python for f in figures if f.benchmark == MEMORY.name} == {"3.12"}
    assert {f.python for f in figures} == {"3.12", "pypy3.11"}  # 3.8 held nothing current
    assert published.files == 2
    suite = json.loads((tmp_path / "copy" / "benchmarks.json").read_text())
    assert sorted(key for key in suite if key != "version") == sorted(
        [TASK_COST.name, MEMORY.name])
    assert (tmp_path / "copy" / "box" / "machine.json").is_file()
    assert tree(results) == before  # the record is never touched


def test_what_is_left_out_is_said_with_the_reason_and_how_often(results: Path,
                                                                tmp_path: Path) -> None:
    summary = publishable(results, tmp_path / "copy").summary()

    assert f"{RETIRED.name} (retired: not in the catalogue) (2 results files)" in summary
    assert (f"{TASK_COST.name} at version task-cost-0 (the catalogue's is "
            f"{TASK_COST.version}) (1 results file)") in summary
    assert "(it stays in results/)" in summary


def test_a_version_benchmarks_json_does_not_describe_is_left_out(results: Path,
                                                                 tmp_path: Path) -> None:
    describe(results, [dataclasses.replace(MEMORY, version="memory-per-task-9"), TASK_COST])

    published = publishable(results, tmp_path / "copy")

    assert {f.benchmark for f in load(tmp_path / "copy").figures} == {TASK_COST.name}
    assert any(MEMORY.name in why and "does not describe" in why for why in published.left_out)


@pytest.mark.parametrize("content", [b'{"machine": "box", "os": "\xff\xfe"}', b"{",
                                     b'{"os": "x"}'])
def test_an_unreadable_machine_json_is_named_and_nothing_is_copied(
        results: Path, tmp_path: Path, content: bytes) -> None:
    machine_json = results / "box" / "machine.json"
    machine_json.write_bytes(content)

    with pytest.raises(SiteError) as error:
        publishable(results, tmp_path / "copy")

    assert f"{machine_json} cannot be read" in str(error.value)
    assert "restore it from git" in str(error.value)
    assert not (tmp_path / "copy").exists()


def test_an_unreadable_results_file_is_named(results: Path, tmp_path: Path) -> None:
    broken = next((results / "box").glob("*-virtualenv-py3.12.json"))
    broken.write_text("[")

    with pytest.raises(SiteError, match=re.escape(str(broken))):
        publishable(results, tmp_path / "copy")
    assert not (tmp_path / "copy").exists()


def test_a_machine_name_too_long_for_a_file_name_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "results"
    machine = "m" * 250
    write_results(folder, {TASK_COST: {(1_000,): samples_around(1e-5)}}, machine=machine)
    describe(folder, list(CATALOGUE))

    with pytest.raises(SiteError) as error:
        publishable(folder, tmp_path / "copy")

    assert str(folder / machine / "machine.json") in str(error.value)
    assert "250 characters" in str(error.value)


def test_a_missing_benchmarks_json_is_named(results: Path, tmp_path: Path) -> None:
    (results / "benchmarks.json").unlink()

    with pytest.raises(SiteError, match=r"benchmarks\.json is missing"):
        publishable(results, tmp_path / "copy")


def test_regression_detection_is_off_exactly_for_what_is_not_a_cost() -> None:
    patterns = without_regressions()

    def detected(name: str) -> bool:
        return not any(re.match(pattern, name) for pattern in patterns)

    for entry in CATALOGUE:
        for suffix in ("", "(1000)", "@main", "(1000)@main"):
            assert detected(entry.name + suffix) == (entry.better == "lower"), entry.name
    assert TEXTUAL_SHARE.better is None and not detected(TEXTUAL_SHARE.name)
    assert all(value is None for value in patterns.values())


def test_the_summary_names_commits_asvs_graphs_cannot_draw(tmp_path: Path) -> None:
    published = Published(tmp_path, undrawn=["0bcf81ed" + "0" * 32])
    said = published.summary()
    assert "asv's graphs show every benchmark in results/." in said
    assert "1 commit not on the configured branch's first-parent history (0bcf81ed)" in said
    assert "fast-forward" in said
    assert "first-parent" not in Published(tmp_path).summary()


def test_a_run_from_before_hosts_were_recorded_is_published_as_from_an_unknown_host(
        tmp_path: Path) -> None:
    from taskbench.host import UNKNOWN_HOST

    folder = tmp_path / "results"
    task = {(count,): samples_around(1e-5) for count in TASK_COST.axes[0].values}
    named = "AMD EPYC (host h0123abcd)"
    write_results(folder, {TASK_COST: task}, python="3.12", commit="a" * 40)
    write_results(folder, {TASK_COST: task}, python="3.12", commit="b" * 40, cpu=named)
    write_results(folder, {TASK_COST: task}, python="3.12", commit="c" * 40,
                  cpu="varies by host (a GitHub-hosted runner): see each interpreter's build "
                      "facts")  # what runners recorded before: no host either
    describe(folder, list(CATALOGUE))
    before = tree(folder)

    published = publishable(folder, tmp_path / "copy")

    by_commit = {f.commit[0]: f.cpu for f in load(tmp_path / "copy").figures}
    assert by_commit == {"a": UNKNOWN_HOST, "b": named, "c": UNKNOWN_HOST}
    assert published.unknown_host == 2
    assert "2 results files are from before hosts were recorded" in published.summary()
    assert tree(folder) == before  # marked in the copy only
