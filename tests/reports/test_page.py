"""The cross-version page: the answer first, every interpreter, intervals, escaped text."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import write_block_log, write_results
from taskbench.catalogue import TASK_COST
from taskbench.reports.page import write_page


def test_the_page_answers_first_and_shows_every_interpreter(world: Path, tmp_path: Path
                                                            ) -> None:
    html_dir = tmp_path / "html"
    page = write_page(world, html_dir).read_text()
    sections = page.split('<section id="box">', 1)[1]
    assert sections.index('class="plain"') < sections.index('class="answer"') < \
        sections.index("answer-box.svg") < sections.index("classic-box.svg") < \
        sections.index('class="steps"') < sections.index('class="classic"')
    assert "<strong>What a task costs</strong> on <code>box</code>" in page
    for env in ("3.8", "3.12", "3.13"):
        assert f"<th>{env}</th>" in page
    assert re.search(r"<td class=\"\">100 \(\d+–\d+\)</td>", page)  # a figure and its interval
    assert 'class="older"' in page and 'class="real"' in page and 'class="noise"' in page
    assert 'href="asv.html#/"' in page  # asv's graphs, one click away
    assert "url=index.html" in (html_dir / "crossversion.html").read_text()  # the old address
    for chart in ("answer-box.svg", "classic-box.svg", "spawn-apis-box.svg"):
        svg = (html_dir / chart).read_text()
        assert svg.lstrip().startswith("<?xml") and "<svg" in svg
        assert chart in page
    assert "<code>create_task</code>" in page  # Markdown code spans shown as code


def test_text_from_results_is_escaped(results_writer: object, tmp_path: Path) -> None:
    folder = write_results(tmp_path / "results", {TASK_COST: {(1,): 5.0}},
                           python="3.13", env_vars={"X": "<b>"}).parent.parent
    page = write_page(folder, tmp_path / "html").read_text()
    assert "3.13 X=&lt;b&gt;" in page and "<b>" not in page


def test_problems_are_listed_on_the_page(world: Path, tmp_path: Path) -> None:
    broken = write_results(world, {TASK_COST: {(1,): 1.0}}, python="3.9")
    broken.write_text("[")
    (world / "box" / "interpreters.jsonl").write_text('{"python": \n')
    page = write_page(world, tmp_path / "html").read_text()
    problems = page.split('<ul class="problems">', 1)[1].split("</ul>", 1)[0]
    assert broken.name in problems and "interpreters.jsonl, line 1" in problems


def test_a_machine_measured_in_existing_environments_says_its_rounds_were_not_interleaved(
        tmp_path: Path) -> None:  # issue 21, defect 9: Windows' rounds run back to back
    folder = tmp_path / "results"
    write_results(folder, {TASK_COST: {(1,): [5.0, 6.0]}}, machine="linux-box")
    made = write_results(folder, {TASK_COST: {(1,): [5.0, 6.0]}}, machine="windows-box",
                         python="3.12")
    data = json.loads(made.read_text())
    data["env_name"] = "existing-py3.12"  # as the Windows job names it (taskbench.jobs.ci)
    made.unlink()
    (made.parent / f"{data['commit_hash'][:8]}-existing-py3.12.json").write_text(
        json.dumps(data))
    page = write_page(folder, tmp_path / "html").read_text()
    windows = page.split('<section id="windows-box">', 1)[1].split("</section>", 1)[0]
    linux = page.split('<section id="linux-box">', 1)[1].split("</section>", 1)[0]
    assert "were not interleaved" in windows and "<code>existing</code>" in windows
    assert "were not interleaved" not in linux
    write_block_log(folder, "windows-box")  # issue 31: the Windows job measures in blocks
    page = write_page(folder, tmp_path / "html2").read_text()
    windows = page.split('<section id="windows-box">', 1)[1].split("</section>", 1)[0]
    assert "were not interleaved" not in windows


def test_code_spans_in_table_headings_are_shown_as_code(world: Path, tmp_path: Path) -> None:
    """A heading such as "µs per task (`FirstCycle`)" is Markdown in the README; on the page
    its backticks would show as such."""
    page = write_page(world, tmp_path / "html").read_text()
    headings = re.findall(r"<th[^>]*>(.*?)</th>", page)
    assert any("<code>" in heading for heading in headings)
    assert not [heading for heading in headings if "`" in heading]
