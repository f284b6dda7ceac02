"""The precision record: ratios of two back-to-back runs, summarised, and the README's copy."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from taskbench.precision import (
    README_BEGIN,
    README_END,
    PrecisionError,
    markdown,
    read_records,
    summarise,
)

ROOT = Path(__file__).resolve().parent.parent


def _pair(count: str, first: float, second: float) -> dict[str, object]:
    return {"interpreter": "3.13", "count": count, "first": first, "second": second}


def test_identical_runs_have_no_spread() -> None:
    pairs = [_pair("100000", 1e5, 1e5), _pair("1000000", 9e4, 9e4)]
    assert summarise(pairs) == {"figures": 2, "median_percent": 0.0, "worst_percent": 0.0}


def test_the_summary_is_over_headline_counts_only() -> None:
    pairs = [_pair("100000", 100.0, 101.0), _pair("500000", 100.0, 97.0),
             _pair("1000000", 100.0, 100.5), _pair("10", 100.0, 150.0)]
    assert summarise(pairs) == {"figures": 3, "median_percent": 1.0, "worst_percent": 3.0}


def test_the_section_states_median_worst_and_the_verdict(tmp_path: Path) -> None:
    record = {"machine": "box", "commits": ["0123456789abcdef"], "benchmark": "b",
              "pythons": ["3.13"], "pairs": [_pair("100000", 100.0, 103.0)]}
    (tmp_path / "box.json").write_text(json.dumps(record))
    text = markdown(tmp_path)
    assert "median of 3.0% and at worst 3.0%; the median is outside ±2%" in text
    assert "| 3.13 | 1.030 | - | - |" in text


def test_a_corrupt_record_is_named(tmp_path: Path) -> None:
    (tmp_path / "box.json").write_text('{"machine": ')
    with pytest.raises(PrecisionError, match="box.json cannot be read"):
        read_records(tmp_path)


def test_the_command_needs_something_to_do() -> None:
    result = subprocess.run([sys.executable, "-m", "taskbench.precision"], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert "--python" in result.stderr


def test_the_readme_section_matches_the_committed_record() -> None:
    readme = (ROOT / "README.md").read_text()
    assert README_BEGIN in readme and README_END in readme, "README.md lost its markers"
    committed = readme.split(README_BEGIN, 1)[1].split(README_END, 1)[0].strip()
    assert list((ROOT / "precision").glob("*.json")), "no precision record is committed"
    generated = subprocess.run([sys.executable, "-m", "taskbench.precision", "--markdown"],
                               cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert committed == generated.strip(), (
        "README.md's precision section is stale: run `make readme` and commit the result")


def test_two_runs_in_results_are_paired_figure_by_figure(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from taskbench.anatomy import THROUGHPUT
    from taskbench.precision import from_results

    folder = tmp_path / "results" / "box"
    folder.mkdir(parents=True)
    (folder / "machine.json").write_text('{"machine": "box", "version": 1}')
    for commit, date, values in (("aaa111", 1, [200.0, 100.0, 90.0]),
                                 ("bbb222", 2, [204.0, 99.0, 90.0])):
        (folder / f"{commit}-virtualenv-py3.13.json").write_text(json.dumps({
            "commit_hash": commit, "env_name": "virtualenv-py3.13", "date": date,
            "python": "3.13", "params": {"python": "3.13"}, "requirements": {},
            "env_vars": {}, "result_columns": ["result", "params"],
            "results": {THROUGHPUT: [values, [["1000", "100000", "1000000"]]]},
            "durations": {}, "version": 2}))
    monkeypatch.chdir(tmp_path)
    record = json.loads(from_results(tmp_path / "results", "aaa", "bbb").read_text())
    assert record["commits"] == ["aaa", "bbb"] and record["pythons"] == ["3.13"]
    assert [(pair["count"], pair["first"], pair["second"]) for pair in record["pairs"]] == [
        ("1000", 200.0, 204.0), ("100000", 100.0, 99.0), ("1000000", 90.0, 90.0)]
    assert record["summary"] == {"figures": 2, "median_percent": 0.5, "worst_percent": 1.0}


def test_an_unknown_interpreter_is_named_before_anything_runs() -> None:
    result = subprocess.run([sys.executable, "-m", "taskbench.precision", "--python", "3.99"],
                            cwd=ROOT, capture_output=True, text=True, check=False, timeout=60)
    assert result.returncode == 2
    assert "'3.99' not in asv.conf.json's pythons; known: 3.8" in result.stderr
