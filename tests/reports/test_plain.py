"""The answer in plain words: three sentences from the results and the verdict engine, and
what the figures say of why a step reverses; nothing the tables below them do not say."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import per_block, write_block_log, write_results
from taskbench.catalogue import (
    AIOHTTP_SHARE,
    FIRST_CYCLE,
    INSTRUCTIONS_BY_COUNT,
    TASK_COST,
    TEXTUAL_SHARE,
)
from taskbench.reports.classic import kind_of
from taskbench.reports.plain import (
    clients_sentence,
    cost_sentence,
    reversals,
    sentences,
    steps_sentence,
)
from taskbench.reports.views import Index, read_index

REQUESTS = (AIOHTTP_SHARE.axes[0].values[0],)
WIDGETS = (TEXTUAL_SHARE.axes[0].values[0],)


def _index(results: Path) -> Index:
    write_block_log(results)
    found, problems = read_index(results)
    assert not problems
    return found


def _classic(warm: float, post: float) -> dict[Any, Any]:
    return {TASK_COST: {(100_000,): per_block(warm, n=5)},
            FIRST_CYCLE: {(100_000,): per_block(warm, n=5), (1_000_000,): per_block(post, n=5)}}


@pytest.fixture
def reversing(tmp_path: Path) -> Path:
    """3.8 to 3.12 faster in both settings; 3.12 to 3.13 faster warm, slower in the post's
    setting (3.13 loses a third of its tasks/s from 100,000 to 1,000,000, 3.12 none);
    pypy3.11 the cheapest warm."""
    results = tmp_path / "results"
    for python, warm, post in (("3.8", 2.4e-5, 2.0e-5), ("3.12", 1.2e-5, 1.0e-5),
                               ("3.13", 1.0e-5, 1.2e-5), ("pypy3.11", 0.5e-5, 0.6e-5)):
        write_results(results, _classic(warm, post), python=python)
    return results


def test_the_cost_names_the_cheapest_the_dearest_and_the_other_implementations_cheapest(
        reversing: Path) -> None:
    said = cost_sentence(_index(reversing), "box")
    assert said.startswith("**What a task costs** on `box`: 5.0")
    assert " µs of CPU time on pypy3.11, 10.0" in said
    assert " µs on 3.13 (the cheapest CPython) " in said
    assert "and 24.0" in said and f" µs on 3.8, {kind_of(TASK_COST, 100_000)} at 100,000 tasks;" \
        in said
    assert "µs (pypy3.11) to 20.0" in said and "µs (3.8) in the post's setting" in said


def test_the_steps_are_grouped_by_what_the_engine_says_in_both_settings(
        reversing: Path) -> None:
    said = steps_sentence(_index(reversing), "box")
    assert "faster in both settings, 3.8 → 3.12 (2.00× faster; 2.00× faster)" in said
    assert "**reversed**, 3.12 → 3.13 (1.20× faster; 1.20× slower)" in said
    assert "pypy3.11" not in said  # the first of its family: no step


def test_why_a_step_reverses_is_not_known_without_what_grows_with_n(reversing: Path) -> None:
    said = reversals(_index(reversing), "box")
    assert len(said) == 1 and said[0].startswith("Why 3.12 → 3.13 reverses is not known from "
                                                 "these figures: from 100,000 to 1,000,000 "
                                                 "tasks 3.13 loses 17% (")
    assert "nothing that grows with N was measured" in said[0]


def test_instructions_that_grow_more_where_tasks_per_second_fall_more_are_said(
        reversing: Path) -> None:
    for python, larger in (("3.12", 41_000), ("3.13", 60_000)):
        write_results(reversing, {**_classic(*{"3.12": (1.2e-5, 1.0e-5),
                                               "3.13": (1.0e-5, 1.2e-5)}[python]),
                                  INSTRUCTIONS_BY_COUNT: {("on", 10_000): 40_000,
                                                          ("on", 30_000): larger}},
                      python=python)
    said = reversals(_index(reversing), "box")[0]
    assert said.startswith("Why 3.12 → 3.13 reverses, as far as these figures say:")
    assert "on 3.13 a task's instructions up to 30,000 tasks (+50.0% on 3.13, +2.5% on 3.12) " \
           "is larger." in said


@pytest.mark.parametrize(("share", "answer"), [
    (per_block(6.0, 0.05), "No: in the 2 real programs measured it explains less than half"),
    (per_block(80.0, 0.05), "Yes: it explains more than half of a real program's CPU time, 79."),
    ([10.0, 50.0, 95.0], "Not decided: the largest share, 36.2% (2.0–645.8)"),
])
def test_the_clients_answer_is_yes_no_or_not_decided_with_the_largest_share_and_where(
        tmp_path: Path, share: list[float], answer: str) -> None:
    results = tmp_path / "results"
    write_results(results, {**_classic(1e-5, 1.1e-5), TEXTUAL_SHARE: {WIDGETS: per_block(1.0)},
                            AIOHTTP_SHARE: {REQUESTS: share}}, python="3.12")
    said = clients_sentence(_index(results), "box")
    assert said.startswith("**Is the task machinery what makes real programs slow?** ")
    assert answer in said and "of an aiohttp server's CPU time, on 3.12 (1,000 requests" in said


def test_a_machine_without_results_has_no_sentences(reversing: Path) -> None:
    assert sentences(_index(reversing), "another machine") == []
    assert clients_sentence(_index(reversing), "box") == ""  # no client measured: not said


def test_with_one_setting_measured_the_sentences_say_which_and_what_awaits_a_run(
        tmp_path: Path) -> None:
    results = tmp_path / "results"
    for python, post in (("3.12", 1.2e-5), ("3.13", 1.0e-5)):
        write_results(results, {FIRST_CYCLE: {(1_000_000,): per_block(post, n=5)}},
                      python=python)
    index = _index(results)
    said = cost_sentence(index, "box")
    assert said.startswith("**What a task costs** on `box`: 10.0")
    assert f"at 100,000 tasks awaits a run of its benchmark's present version, " \
           f"`{TASK_COST.version}`." in said
    assert steps_sentence(index, "box") == (
        "**Which version steps are real** (in the post's setting): faster, 3.12 → 3.13 "
        "(1.20× faster) (versions of one build family; the table below also holds each build "
        "against pyenv's and the JIT against its absence).")
    assert reversals(index, "box") == []  # a reversal needs both settings


def test_shares_of_an_earlier_benchmark_version_are_not_said(tmp_path: Path) -> None:
    import json

    results = tmp_path / "results"
    path = write_results(results, {**_classic(1e-5, 1.1e-5),
                                   AIOHTTP_SHARE: {REQUESTS: per_block(6.0)}}, python="3.12")
    data = json.loads(path.read_text())
    data["results"][AIOHTTP_SHARE.name][2] = "aiohttp-server-0"  # an earlier version
    path.write_text(json.dumps(data))
    said = clients_sentence(_index(results), "box")
    assert said == ("**Is the task machinery what makes real programs slow?** Not said here: "
                    "the real programs' task shares await a run of their benchmarks' present "
                    f"versions (`{AIOHTTP_SHARE.version}`).")
