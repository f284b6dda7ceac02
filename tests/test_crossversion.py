"""The cross-version view and the README table, from results/."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from taskbench.crossversion import (
    README_BEGIN,
    README_END,
    THROUGHPUT,
    interpreter_order,
    markdown_table,
    write_page,
)
from taskbench.results import load_results

ROOT = Path(__file__).resolve().parent.parent


def _result_file(folder: Path, env: str, python: str, values: list[float | None],
                 env_vars: dict[str, str] | None = None) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "machine.json").write_text('{"machine": "box", "version": 1}')
    columns = ["result", "params", "version", "started_at", "duration", "stats_ci_99_a",
               "stats_ci_99_b", "stats_q_25", "stats_q_75", "stats_number", "stats_repeat",
               "samples", "profile"]
    row = [values, [["100000", "1000000"]], "v", 0, 1.0, None, None, None, None, None, None,
           None, None]
    (folder / f"abc-{env}.json").write_text(json.dumps({
        "commit_hash": "abc", "env_name": env, "date": 1, "python": python,
        "params": {"python": python}, "requirements": {}, "env_vars": env_vars or {},
        "result_columns": columns, "results": {THROUGHPUT: row}, "durations": {},
        "version": 2}))


def test_interpreters_sort_by_version_then_family() -> None:
    names = ["pypy3.9", "3.14-debian PYTHON_JIT=1", "3.10", "3.14-debian", "3.9",
             "3.11-debian", "3.11"]
    assert sorted(names, key=interpreter_order) == [
        "3.9", "3.10", "3.11", "3.11-debian", "3.14-debian", "3.14-debian PYTHON_JIT=1",
        "pypy3.9"]


def test_markdown_table_has_a_column_per_interpreter(tmp_path: Path) -> None:
    _result_file(tmp_path / "box", "virtualenv-py3.8", "3.8", [90_000.0, 80_000.0])
    _result_file(tmp_path / "box", "virtualenv-py3.14-debian-PYTHON_JIT1", "3.14-debian",
                 [250_000.0, None], {"PYTHON_JIT": "1"})
    table = markdown_table(tmp_path)
    assert "| count | 3.8 | 3.14-debian PYTHON_JIT=1 |" in table
    assert "| 100,000 | 90K | 250K |" in table
    assert "| 1,000,000 | 80K | n/a |" in table


def test_a_corrupt_results_file_is_named_and_the_rest_still_read(tmp_path: Path) -> None:
    _result_file(tmp_path / "box", "virtualenv-py3.8", "3.8", [90_000.0, 80_000.0])
    (tmp_path / "box" / "abc-virtualenv-py3.9.json").write_text('{"commit_hash": ')
    results = load_results(tmp_path)
    assert len(results.measurements) == 2
    (problem,) = results.problems
    assert "abc-virtualenv-py3.9.json: cannot be read" in problem
    assert "rerun asv" in problem


def test_the_page_lists_every_interpreter_and_its_chart(tmp_path: Path) -> None:
    _result_file(tmp_path / "results" / "box", "virtualenv-py3.8", "3.8", [9e4, 8e4])
    _result_file(tmp_path / "results" / "box", "virtualenv-py3.13", "3.13", [2e5, 1.2e5])
    html_dir = tmp_path / "html"
    html_dir.mkdir()
    page = write_page(tmp_path / "results", html_dir).read_text()
    assert "<th>3.8</th>" in page and "<th>3.13</th>" in page
    assert '<a href="index.html">' in page
    svg = (html_dir / "crossversion-box.svg").read_text()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg


def test_the_readme_table_matches_the_committed_results() -> None:
    readme = (ROOT / "README.md").read_text()
    assert README_BEGIN in readme and README_END in readme, "README.md lost its markers"
    committed = readme.split(README_BEGIN, 1)[1].split(README_END, 1)[0].strip()
    generated = subprocess.run([sys.executable, "-m", "taskbench.crossversion", "--markdown"],
                               cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert committed == generated.strip(), (
        "README.md's table is stale: run `make readme` and commit the result")


def test_a_row_the_newest_run_no_longer_measures_is_not_shown(tmp_path: Path) -> None:
    folder = tmp_path / "box"
    _result_file(folder, "virtualenv-py3.8", "3.8", [90_000.0, 80_000.0])
    newer = json.loads((folder / "abc-virtualenv-py3.8.json").read_text())
    newer.update(commit_hash="def", date=2)
    newer["results"][THROUGHPUT][:2] = [[95_000.0], [["100000"]]]
    (folder / "def-virtualenv-py3.8.json").write_text(json.dumps(newer))
    table = markdown_table(tmp_path)
    assert "| 100,000 | 95K |" in table
    assert "1,000,000" not in table


def test_a_figure_whose_batches_spread_wide_is_flagged(tmp_path: Path) -> None:
    from taskbench.anatomy import SPREAD

    folder = tmp_path / "results" / "box"
    _result_file(folder, "virtualenv-py3.8", "3.8", [90_000.0, 80_000.0])
    data = json.loads((folder / "abc-virtualenv-py3.8.json").read_text())
    row = list(data["results"][THROUGHPUT])
    row[0] = [1.5, 7.25]
    data["results"][SPREAD] = row
    (folder / "abc-virtualenv-py3.8.json").write_text(json.dumps(data))
    table = markdown_table(tmp_path / "results")
    assert "| 100,000 | 90K |" in table
    assert "| 1,000,000 | 80K* |" in table
    html_dir = tmp_path / "html"
    html_dir.mkdir()
    page = write_page(tmp_path / "results", html_dir).read_text()
    assert "spread 1.5%</small>" in page
    assert 'class="noisy"' in page and "spread 7.2% &#9888;" in page
