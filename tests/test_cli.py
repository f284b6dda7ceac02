"""``python -m taskbench`` prints the classic table: one row per count."""

from __future__ import annotations

import re

from conftest import run_python

ROW = re.compile(r"^\s*([\d,]+)\s+([\d,]+)$")


def test_one_row_per_count_in_order() -> None:
    result = run_python("-m", "taskbench", "--counts", "1,100,20_000")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1].split() == ["count", "tasks/s"]
    rows = [ROW.match(line) for line in lines[2:]]
    assert all(rows), lines
    assert [int(row.group(1).replace(",", "")) for row in rows if row] == [1, 100, 20_000]
    assert all(int(row.group(2).replace(",", "")) > 0 for row in rows if row)


def test_default_is_the_original_sweep() -> None:
    from taskbench.cli import build_parser

    assert build_parser().parse_args([]).counts == [n * 100_000 for n in range(1, 11)]


def test_bad_counts_end_with_a_message_naming_the_entry() -> None:
    for bad, message in [("0", "at least 1, not 0"), ("-3", "at least 1, not -3"),
                         ("10,ten", "'ten' is not a whole number"),
                         ("", "'' is not a whole number")]:
        result = run_python("-m", "taskbench", "--counts", bad)
        assert result.returncode == 2
        assert message in result.stderr
        assert "Traceback" not in result.stderr
