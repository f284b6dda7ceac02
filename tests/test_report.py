from __future__ import annotations

from pathlib import Path

import pytest

from taskbench.report import ResultsError, read_facts


def test_a_corrupt_facts_file_is_named_with_its_line(tmp_path: Path) -> None:
    results = tmp_path / "results"
    (results / "box").mkdir(parents=True)
    (results / "box" / "interpreters.jsonl").write_text('{"python": "3.8"}\n{"python": \n')
    with pytest.raises(ResultsError, match=r"box/interpreters.jsonl, line 2: not JSON"):
        read_facts(results)


def test_facts_are_read_per_machine(tmp_path: Path) -> None:
    results = tmp_path / "results"
    for machine, names in [("box-a", ["3.11", "3.11-debian"]), ("box-b", ["pypy3.9"])]:
        (results / machine).mkdir(parents=True)
        (results / machine / "interpreters.jsonl").write_text(
            "".join(f'{{"python": "{name}", "version": "x"}}\n' for name in names) + "\n")
    facts = read_facts(results)
    assert {machine: [r["python"] for r in records] for machine, records in facts.items()} == {
        "box-a": ["3.11", "3.11-debian"], "box-b": ["pypy3.9"]}
