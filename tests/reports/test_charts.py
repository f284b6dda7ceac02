"""The answer chart: every interpreter told apart and named at its line's end, the same look
wherever it is drawn, first cycles and the post told from warm figures, the title inside the
picture, counts on a log axis, and the same SVG for the same figures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from matplotlib.text import Text

from conftest import per_block, write_results
from taskbench.catalogue import FIRST_CYCLE, TASK_COST
from taskbench.reports import charts
from taskbench.reports.anatomy import anatomies
from taskbench.reports.chartstyle import look, spread
from taskbench.reports.reference import POST_LABEL
from taskbench.reports.views import Index, read_index

MACHINE = "debian12-x86_64-2cpu"  # a real machine's name: long enough to crowd a title
FOURTEEN = ["3.8", "3.9", "3.10", "3.11", "3.11-debian", "3.12", "3.13", "3.13-debian",
            "3.14-debian", "3.14-debian PYTHON_JIT=1", "3.15-debian",
            "3.15-debian PYTHON_JIT=1", "pypy3.9", "pypy3.11"]


def _write(folder: Path, environments: list[str]) -> Index:
    """Results of ``environments``: warm figures from 1 to 100,000 tasks and first cycles,
    several of them equal at 1,000,000 so their names must be moved apart."""
    for env in environments:
        n = FOURTEEN.index(env)
        python, _, settings = env.partition(" ")
        name, _, value = settings.partition("=")
        seconds = 1e-5 / (1 + n / 5)  # per task
        write_results(folder, {
            TASK_COST: {(count,): per_block(seconds * (1 + 1 / count))
                        for count in TASK_COST.axes[0].values},
            FIRST_CYCLE: {(100_000,): per_block(seconds * 1.2, n=5),
                          (1_000_000,): per_block(5e-6 if n % 2 else 6e-6, n=5)},
        }, machine=MACHINE, python=python, env_vars={name: value} if settings else None)
    index, problems = read_index(folder)
    assert not problems and index.environments(MACHINE) == sorted(
        environments, key=FOURTEEN.index)
    return index


@pytest.fixture
def fourteen(tmp_path: Path) -> Index:
    return _write(tmp_path / "results", FOURTEEN)


def _lines(figure: Any) -> dict[str, Any]:
    """The chart's lines by their labels."""
    return {line.get_label(): line for line in figure.axes[0].get_lines()}


def _drawn_look(line: Any) -> tuple[str, str, str]:
    return line.get_color(), line.get_linestyle(), line.get_marker()


def test_fourteen_interpreters_get_fourteen_distinct_colour_and_style_pairs(
        fourteen: Index) -> None:
    assert len({(look(env).colour, look(env).linestyle) for env in FOURTEEN}) == 14
    lines = _lines(charts.classic_figure(fourteen, MACHINE))
    drawn = {env: _drawn_look(lines[env]) for env in FOURTEEN}
    assert len(set(drawn.values())) == 14
    for env in FOURTEEN:
        assert drawn[env][0] == look(env).colour and drawn[env][2] == look(env).marker


def test_an_interpreter_looks_the_same_whatever_else_is_drawn(fourteen: Index,
                                                             tmp_path: Path) -> None:
    few = _write(tmp_path / "few", ["pypy3.11", "3.15-debian PYTHON_JIT=1", "3.12"])
    everyone = _lines(charts.classic_figure(fourteen, MACHINE))
    some = _lines(charts.classic_figure(few, MACHINE))
    for env in ("pypy3.11", "3.15-debian PYTHON_JIT=1", "3.12"):
        assert _drawn_look(some[env]) == _drawn_look(everyone[env])
        first = f"{env}, first cycle"
        assert _drawn_look(some[first]) == _drawn_look(everyone[first])


def test_build_families_differ_in_style_and_versions_in_colour() -> None:
    assert look("3.14").colour == look("3.14-debian").colour != look("3.13").colour
    styles = {look(env).linestyle for env in ("3.14", "3.14-debian",
                                              "3.14-debian PYTHON_JIT=1", "pypy3.11")}
    assert len(styles) == 4
    assert look("3.14-debian PYTHON_JIT=1").build == "Debian's build, PYTHON_JIT=1"


def test_every_interpreter_is_named_at_its_line_end_apart_and_inside(fourteen: Index) -> None:
    figure = charts.classic_figure(fourteen, MACHINE)
    axes = figure.axes[0]
    figure.draw_without_rendering()
    names = {text.get_text(): Text.get_window_extent(text) for text in axes.texts}  # no leader
    assert set(names) == set(FOURTEEN)
    boxes = list(names.values())
    for i, box in enumerate(boxes):
        assert figure.bbox.contains(box.x0, box.y0) and figure.bbox.contains(box.x1, box.y1)
        assert box.x0 >= axes.bbox.x1  # right of the plot, never over a line
        assert not any(box.overlaps(other) for other in boxes[i + 1:])
    svg = charts.classic_chart(fourteen, MACHINE)
    for env in FOURTEEN:
        assert f"<!-- {env} -->" in svg  # matplotlib writes each text beside its outline


def test_the_title_says_what_the_interval_is_and_lies_inside_the_picture(
        fourteen: Index) -> None:
    figure = charts.classic_figure(fourteen, MACHINE)
    axes = figure.axes[0]
    figure.draw_without_rendering()
    title = axes.title
    assert MACHINE in title.get_text() and "95% confidence" in title.get_text()
    assert "geometric mean" in title.get_text()
    for text in (title, axes.xaxis.label, axes.yaxis.label, figure.legends[0]):
        box = text.get_window_extent()
        assert figure.bbox.x0 <= box.x0 and box.x1 <= figure.bbox.x1
        assert figure.bbox.y0 <= box.y0 and box.y1 <= figure.bbox.y1


def test_counts_lie_on_a_log_axis_and_rates_are_thousands_per_second(fourteen: Index) -> None:
    figure = charts.classic_figure(fourteen, MACHINE)
    axes = figure.axes[0]
    assert axes.get_xscale() == "log"
    low, high = axes.get_xlim()
    assert low < 1 and high > 1_000_000
    warm = _lines(figure)["3.8"]
    assert list(warm.get_xdata()) == list(TASK_COST.axes[0].values)
    # 3.8 takes 1e-5 s per task at 100,000 tasks (times 1.00001): 100 thousand tasks/s.
    assert warm.get_ydata()[-1] == pytest.approx(100, rel=1e-3)


def test_first_cycles_are_hollow_and_the_post_is_a_black_reference(fourteen: Index) -> None:
    lines = _lines(charts.classic_figure(fourteen, MACHINE))
    warm, first = lines["3.13"], lines["3.13, first cycle"]
    assert list(first.get_xdata()) == list(FIRST_CYCLE.axes[0].values)
    assert first.get_color() == warm.get_color()
    assert first.get_markerfacecolor() == "white" != warm.get_markerfacecolor()
    post = lines[POST_LABEL]
    assert post.get_color() == "black" and len(post.get_xdata()) == 10


def test_the_same_figures_give_the_same_svg(fourteen: Index, tmp_path: Path) -> None:
    again = _write(tmp_path / "again", list(reversed(FOURTEEN)))
    svg = charts.classic_chart(fourteen, MACHINE)
    assert svg == charts.classic_chart(again, MACHINE)
    assert "<dc:date>" not in svg


def test_figures_it_cannot_draw_as_measured_are_named_on_the_chart(world: Path) -> None:
    index, _ = read_index(world)
    figure = charts.classic_figure(index, "box")
    texts = "\n".join(text.get_text() for text in figure.axes[0].texts)
    assert "not drawn, measured by an earlier version of the benchmark: 3.8" in texts
    assert "no bar, one process: 3.8" in texts  # its first cycle at 1,000,000 tasks
    lines = _lines(figure)
    assert "3.8" not in lines and list(lines["3.8, first cycle"].get_xdata()) == [1_000_000]


def test_the_spawn_chart_uses_the_same_units_and_interval_words(world: Path) -> None:
    index, _ = read_index(world)
    svg = charts.spawn_chart(anatomies(index, "box"), "box")
    assert f"<!-- {charts.INTERVAL_WORDS} -->" in svg
    assert "higher is faster" in svg


def test_crowded_names_are_spread_around_where_they_want_to_be() -> None:
    assert spread([5.0, 1.0, 9.0], 1.0, 0.0, 10.0) == [5.0, 1.0, 9.0]  # room: unmoved
    placed = spread([5.0, 5.0, 5.0], 1.0, 0.0, 10.0)
    assert sorted(placed) == [4.0, 5.0, 6.0]  # centred on where they all want to be
    assert spread([9.8, 9.9, 10.0], 1.0, 0.0, 10.0) == [8.0, 9.0, 10.0]  # held under the top
    assert spread([0.0, 0.0], 1.0, 0.5, 10.0) == [0.5, 1.5]  # and above the bottom
    placed = spread([3.0, 1.0, 3.0, 1.0], 2.0, 0.0, 100.0)
    assert placed[1] < placed[3] < placed[0] < placed[2]  # order kept, ties by position
    ordered = sorted(placed)
    assert all(b - a >= 2.0 - 1e-9 for a, b in zip(ordered, ordered[1:]))
