"""``python -m taskbench.asv``: asv's commands by hand, with the project's interpreters, flags
and folders, and asv's one direction (a rise is worse) applied to the costs only.

asv itself is not run here (``tests/slow/test_asv_by_hand.py`` runs each command once); what
this command hands it is checked."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, run_python, write_results
from taskbench import asv as hand
from taskbench.asvadapter.costs import costs_only
from taskbench.asvadapter.driver import AsvDriver
from taskbench.catalogue import CATALOGUE, ECHO_SHARE, ECHO_TASKS, TASK_COST
from taskbench.jobs import machine

ECHO = (ECHO_SHARE.axes[0].values[0], ECHO_SHARE.axes[1].values[0])
NOT_COSTS = [entry for entry in CATALOGUE if entry.better is None]


def _selected(pattern: str) -> set[str]:
    """The benchmarks (by name) whose calls a --bench pattern selects, as asv matches it."""
    compiled = re.compile(pattern)
    return {entry.name for entry in CATALOGUE for combo in entry.combinations()
            if compiled.search(entry.call_name(combo)) or compiled.search(entry.name)}


def test_continuous_measures_every_cost_and_nothing_that_is_not_one() -> None:
    pattern, left_out = hand.costs_pattern([])
    assert pattern is not None
    assert _selected(pattern) == {entry.name for entry in CATALOGUE if entry.better}
    assert left_out == sorted(entry.name for entry in NOT_COSTS) and left_out


def test_the_benchmarks_asked_for_are_narrowed_to_their_costs() -> None:
    pattern, left_out = hand.costs_pattern([r"TaskCost.*\(1000\)", "EchoTasks"])
    assert pattern is not None
    assert _selected(pattern) == {TASK_COST.name}
    assert re.search(pattern, TASK_COST.call_name((1000,)))
    assert not re.search(pattern, TASK_COST.call_name((100,)))
    assert left_out == [ECHO_TASKS.name]
    assert hand.costs_pattern(["EchoTasks"]) == (None, [ECHO_TASKS.name])
    with pytest.raises(ValueError, match="is not a regular expression"):
        hand.costs_pattern(["("])


class Recorded:
    """A driver that records what it would hand asv."""

    def __init__(self) -> None:
        self.machines: list[dict[str, str]] = []

    def machine(self, details: dict[str, str], **options: Any) -> None:
        self.machines.append(details)


def test_a_run_gets_the_projects_flags_and_machine_unless_given(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(machine, "details", lambda: {"machine": "box", "os": "TestOS"})
    driver = Recorded()
    found = hand.measuring("run", ["HEAD^!", "-E", "virtualenv:3.11"], driver)  # type: ignore
    assert found == ["HEAD^!", "-E", "virtualenv:3.11", "--record-samples", "--show-stderr",
                     "-a", "rounds=3", "--machine=box"]
    assert driver.machines == [{"machine": "box", "os": "TestOS"}]
    given = ["--quick", "--record-samples", "--machine", "mine"]
    assert hand.measuring("run", given, driver) == [*given, "--show-stderr"]  # type: ignore
    assert len(driver.machines) == 1  # a machine given is the user's own
    kept = hand.measuring("run", ["-a", "rounds=5", "-m", "x"], driver)  # type: ignore
    assert kept.count("-a") == 1


def test_continuous_replaces_the_bench_given_by_its_costs(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(machine, "details", lambda: {"machine": "box"})
    found = hand.measuring("continuous", ["main", "HEAD", "--bench", "EchoTasks|TaskCost",
                                          "--quick"], Recorded())  # type: ignore
    assert found.count("--bench") == 1 and "EchoTasks|TaskCost" not in found
    assert _selected(found[found.index("--bench") + 1]) == {TASK_COST.name}
    assert f"left out, as not costs: {ECHO_TASKS.name}" in capsys.readouterr().err
    with pytest.raises(ValueError, match="selects none"):
        hand.measuring("continuous", ["--bench", "EchoTasks"], Recorded())  # type: ignore


def test_compare_is_handed_the_results_without_what_is_not_a_cost(tmp_path: Path) -> None:
    results = tmp_path / "results"
    write_results(results, {TASK_COST: {(1000,): [4e-6, 4.1e-6]}, ECHO_TASKS: {ECHO: 2.0},
                            ECHO_SHARE: {ECHO: [1.0, 1.2]}})
    (results / "benchmarks.json").write_text(json.dumps({"version": 2}))
    left_out = costs_only(results, tmp_path / "copy", [TASK_COST.name])
    assert left_out == sorted([ECHO_TASKS.name, ECHO_SHARE.name])
    copied = json.loads(next((tmp_path / "copy" / "box").glob("*-virtualenv-*.json")).read_text())
    assert list(copied["results"]) == [TASK_COST.name]
    assert (tmp_path / "copy" / "box" / "machine.json").is_file()
    assert (tmp_path / "copy" / "benchmarks.json").is_file()
    original = json.loads(next((results / "box").glob("*-virtualenv-*.json")).read_text())
    assert len(original["results"]) == 3  # the hand results themselves are left as they are


def test_the_hand_folders_are_apart_from_the_committed_results() -> None:
    with AsvDriver(ROOT / "asv.conf.json", results_dir=ROOT / hand.FOLDER / "results",
                   html_dir=ROOT / hand.FOLDER / "html") as driver:
        settings = json.loads(driver.config_file().read_text())
    assert settings["results_dir"] == str(ROOT / ".asv" / "hand" / "results")
    assert settings["env_dir"] == str(ROOT / ".asv" / "env")  # make bench's, built once


@pytest.mark.parametrize(("arguments", "message"), [
    ([], "give an asv command"),
    (["--folder"], "--folder needs a folder"),
    (["--quick"], "give an asv command"),
])
def test_bad_arguments_say_what_is_expected(arguments: list[str], message: str) -> None:
    result = run_python("-m", "taskbench.asv", *arguments)
    assert result.returncode == 2 and message in result.stderr
    assert "usage: python -m taskbench.asv" in result.stderr and "Traceback" not in result.stderr


def test_outside_the_repository_it_says_where_to_run_it(tmp_path: Path) -> None:
    result = run_python("-m", "taskbench.asv", "publish", cwd=tmp_path)
    assert result.returncode == 2 and "run this from the repository root" in result.stderr
