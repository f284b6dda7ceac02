"""The answer chart: one point per interpreter and setting with its interval, the table's own
figures, interpreters down the chart by build family in version order, each in its look of
every chart, and the same SVG for the same figures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from matplotlib.colors import to_hex

from conftest import per_block, write_block_log, write_results
from taskbench.catalogue import FIRST_CYCLE, TASK_COST
from taskbench.reports.answerchart import answer_chart, answer_figure
from taskbench.reports.chartstyle import look
from taskbench.reports.views import Index, read_index

# Written out of order, so that the chart's order is its own.
MEASURED = {"pypy3.11": 4e-6, "3.13-debian": 6e-6, "3.12": 9e-6, "3.8": 1.5e-5,
            "3.11-debian": 7e-6, "3.13": 8e-6}


@pytest.fixture
def index(tmp_path: Path) -> Index:
    results = tmp_path / "results"
    for env, seconds in MEASURED.items():
        figures: dict[Any, Any] = {TASK_COST: {(100_000,): per_block(seconds, n=5)}}
        if env != "3.8":  # 3.8: no first cycle, so one point only
            figures[FIRST_CYCLE] = {(1_000_000,): per_block(seconds * 1.3, n=5)}
        write_results(results, figures, python=env)
    write_block_log(results)
    found, problems = read_index(results)
    assert not problems
    return found


def _points(index: Index) -> dict[tuple[str, bool], tuple[float, str, bool]]:
    """Every point drawn: (interpreter, hollow) -> (µs, colour, has a bar)."""
    figure = answer_figure(index, "box")
    axes = figure.axes[0]
    names = {round(tick): label.get_text()
             for tick, label in zip(axes.get_yticks(), axes.get_yticklabels())}
    found = {}
    for container in axes.containers:
        line, _, bars = container.lines
        (x,), (y,) = line.get_xdata(), line.get_ydata()
        hollow = line.get_markerfacecolor() == "white"
        found[(names[round(y)], hollow)] = (x, to_hex(line.get_color()), bool(bars))
    return found


def test_one_point_per_interpreter_and_setting_at_the_tables_figure(index: Index) -> None:
    points = _points(index)
    assert len(points) == 2 * len(MEASURED) - 1  # 3.8 has no first cycle
    for env, seconds in MEASURED.items():
        warm, _, bar = points[(env, False)]
        assert warm == pytest.approx(index.estimate("box", env, TASK_COST, 100_000).value * 1e6)
        assert bar and abs(warm - seconds * 1e6) < 0.02 * seconds * 1e6
        if env != "3.8":
            assert points[(env, True)][0] == pytest.approx(1.3 * warm, rel=0.02)


def test_interpreters_run_down_by_build_family_in_version_order(index: Index) -> None:
    axes = answer_figure(index, "box").axes[0]
    top_down = [label.get_text() for label in reversed(axes.get_yticklabels())]
    assert top_down == ["3.8", "3.12", "3.13", "3.11-debian", "3.13-debian", "pypy3.11"]
    families = [text.get_text() for text in axes.texts]
    assert families[:3] == ["pyenv's build", "Debian's build", "PyPy"]


def test_each_interpreter_keeps_its_look_and_the_missing_point_is_named(index: Index) -> None:
    points = _points(index)
    for env in MEASURED:
        assert points[(env, False)][1] == to_hex(look(env).colour)
    svg = answer_chart(index, "box")
    assert "no point at first cycle, 1,000,000 tasks (the post's setting): 3.8" in svg


def test_the_same_figures_give_the_same_svg(index: Index) -> None:
    assert answer_chart(index, "box") == answer_chart(index, "box")
