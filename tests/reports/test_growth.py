"""Why tasks/s fall as N grows: the fall beside what grows, and findings that say which."""

from __future__ import annotations

from pathlib import Path

from taskbench.asvadapter.results import latest, load
from taskbench.reports import growth, markdown
from taskbench.reports.views import Index


def _index(world: Path) -> Index:
    return Index(latest(load(world).figures))


def test_the_table_puts_the_fall_beside_instructions_gc_and_page_faults(world: Path) -> None:
    table = growth.growth_table(_index(world), "box")
    row = next(row for row in table.rows if row[0].text == "3.12")
    assert row[1].text.startswith("20% (")  # 1M makes 0.8 times the tasks/s of 100K
    assert row[2].text == "48,000" and row[3].text == "+20.0%" and row[4].text == "+0.0%"
    assert row[7].text == "0.50" and row[8].text == "0.75"
    # An older result: the fall without an interval, marked as such.
    assert "| 3.8 | 11%† |" in markdown.table(table)


def test_the_findings_name_the_collector_when_only_it_grows(world: Path) -> None:
    lines = "\n".join(growth.sentences(_index(world), "box"))
    assert "grow by +20.0% with the collector on and change by +0.0% with it off" in lines
    assert "0.50 at 100,000 tasks, 0.75 at 1,000,000" in lines


def test_instructions_are_shown_exact_by_api_and_loop(world: Path) -> None:
    table = growth.instructions_table(_index(world), "box")
    header = table.header
    row = next(row for row in table.rows if row[0].text == "3.12")
    assert row[header.index("create_task+wait (asyncio)")].text == "40,000"
    assert row[header.index("gather (uvloop)")].text == "25,000"
    assert row[header.index("TaskGroup (asyncio)")].text == "n/a"
