"""The findings are computed from results/ the way the README says, and the README's copy
matches the committed results."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from taskbench.anatomy import (
    FLOOR,
    PUMP,
    README_BEGIN,
    README_END,
    SPAWN,
    TEXTUAL_SHARE,
    TEXTUAL_TASKS,
    THROUGHPUT,
    WITHOUT_GC,
    figures_by_environment,
    markdown,
)
from taskbench.crossversion import write_page
from taskbench.render import replace_block
from taskbench.results import latest, load_results

ROOT = Path(__file__).resolve().parent.parent
COLUMNS = ["result", "params", "version", "started_at", "duration"]


def _write(folder: Path, python: str, benchmarks: dict[str, tuple[list[list[str]], list[Any]]]
           ) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "machine.json").write_text('{"machine": "box", "version": 1}')
    results = {name: [values, grid, "v", 0, 1.0] for name, (grid, values) in benchmarks.items()}
    (folder / f"abc-virtualenv-py{python}.json").write_text(json.dumps({
        "commit_hash": "abc", "env_name": f"virtualenv-py{python}", "date": 1,
        "python": python, "params": {"python": python}, "requirements": {}, "env_vars": {},
        "result_columns": COLUMNS, "results": results, "durations": {}, "version": 2}))


def _spawn(rates: dict[tuple[str, str], float | None]) -> tuple[list[list[str]], list[Any]]:
    apis = ["'create_task+wait'", "'gather'", "'eager_start'"]
    loops = ["'asyncio'", "'uvloop'"]
    counts = ["1000", "100000"]
    values = [rates.get((api.strip("'"), loop.strip("'"))) if count == "100000" else 1.0
              for api, loop, count in itertools.product(apis, loops, counts)]
    return [apis, loops, counts], values


@pytest.fixture
def results_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "results" / "box"
    _write(folder, "3.13", {
        SPAWN: _spawn({("create_task+wait", "asyncio"): 200_000.0,
                       ("create_task+wait", "uvloop"): 250_000.0,
                       ("gather", "asyncio"): 210_000.0, ("gather", "uvloop"): None,
                       ("eager_start", "asyncio"): None, ("eager_start", "uvloop"): None}),
        THROUGHPUT: ([["1", "1000", "100000", "500000"]],
                     [5.0, 100.0, 160_000.0, 100_000.0]),
        WITHOUT_GC: ([["1000", "100000", "500000"]], [100.0, 200_000.0, 200_000.0]),
        FLOOR: ([["'await'", "'call_soon'"], ["1000", "100000"]],
                [1.0, 10_000_000.0, 1.0, 1_000_000.0]),
        PUMP: ([["1000", "10000"]], [1.0, 40_000.0]),
        TEXTUAL_TASKS: ([["100", "1000"]], [3.1, 3.0]),
        TEXTUAL_SHARE: ([["100", "1000"]], [2.0, 2.5]),
    })
    _write(folder, "3.8", {
        SPAWN: _spawn({("create_task+wait", "asyncio"): 100_000.0}),
        TEXTUAL_TASKS: ([["100", "1000"]], [None, None]),
    })
    return tmp_path / "results"


def test_figures_are_derived_from_rates_measured_in_one_run(results_dir: Path) -> None:
    figures = figures_by_environment(latest(load_results(results_dir).measurements), "box")
    new = figures["3.13"]
    assert new.task_ns == pytest.approx(5_000)
    assert new.await_ns == pytest.approx(100)
    assert new.overhead_ns == pytest.approx(4_900)
    assert new.call_soon_ns == pytest.approx(1_000)
    assert new.gc_share == {"1000": 0.0, "100000": pytest.approx(0.2),
                            "500000": pytest.approx(0.5)}
    assert new.spawn[("gather", "uvloop")] is None
    assert new.textual_tasks_per_widget == 3.0 and new.textual_task_share == 2.5
    old = figures["3.8"]
    assert old.overhead_ns is None and old.textual_tasks_per_widget is None


def test_markdown_shows_every_interpreter_and_n_a_where_nothing_was_measured(
        results_dir: Path) -> None:
    text = markdown(results_dir)
    assert "| 3.8 | 100 / n/a | n/a / n/a | n/a / n/a |" in text
    assert "| 3.13 | 200 / 250 | 210 / n/a | n/a / n/a |" in text
    assert "| 3.13 | 5,000 | 100 | 1,000 | 4,900 | 0% / 20% / 50% | n/a | 40 | 3.0 | 2.5% |" \
        in text
    # The summary sentences: ranges over the interpreters that have each figure.
    assert "- uvloop runs the classic cycle at 1.25 times the tasks/s" in text
    assert "- `gather` makes 1.05 times the tasks/s of `create_task` + `wait`, `TaskGroup` n/a" \
        in text
    assert "- A task costs 4,900 ns more than awaiting its coroutine directly." in text
    assert "takes 50% of the cycle's CPU time at 500,000 tasks." in text
    assert "- Textual starts 3.0 tasks per widget, whose machinery explains 2.5%" in text


def test_the_cross_version_page_carries_the_anatomy(results_dir: Path, tmp_path: Path
                                                     ) -> None:
    html_dir = tmp_path / "html"
    html_dir.mkdir()
    page = write_page(results_dir, html_dir).read_text()
    assert "Why a task costs what it costs" in page
    assert "<td>4,900</td>" in page
    assert "<svg" in (html_dir / "spawn-apis-box.svg").read_text()


def test_a_readme_without_markers_is_refused() -> None:
    with pytest.raises(ValueError, match="findings:begin"):
        replace_block("no markers", README_BEGIN, README_END, "x")
    assert replace_block(f"a{README_BEGIN}old{README_END}b", README_BEGIN, README_END,
                         "new\n") == f"a{README_BEGIN}\nnew\n{README_END}b"


def test_the_readme_findings_match_the_committed_results() -> None:
    readme = (ROOT / "README.md").read_text()
    assert README_BEGIN in readme and README_END in readme, "README.md lost its markers"
    committed = readme.split(README_BEGIN, 1)[1].split(README_END, 1)[0].strip()
    generated = subprocess.run([sys.executable, "-m", "taskbench.anatomy"], cwd=ROOT,
                               capture_output=True, text=True, check=True).stdout
    assert committed == generated.strip(), (
        "README.md's findings are stale: run `make readme` and commit the result")
