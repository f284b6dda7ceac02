"""The README and docs/ agree with each other and with the one place each fact is declared:
every figure or name they repeat reads the same wherever it appears.

The generated blocks agree by construction (one section model, one verdict engine); what is
checked here is what a page writes in its own words beside them, and the links between the
pages. Each check names every place that disagrees, with its page and line."""

from __future__ import annotations

import re
from collections import defaultdict

from conftest import ROOT
from taskbench import blocklog
from taskbench.asvadapter.config import configured_pythons, load_config
from taskbench.catalogue import CATALOGUE, TASK_COST
from taskbench.jobs.main import MINUTES
from taskbench.reports import needs
from taskbench.reports.reference import POST_TASKS_PER_SECOND

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def _sentences() -> list[tuple[str, str]]:
    """Every sentence of every page, with where it is (``docs/running.md:45``)."""
    found = []
    for page in PAGES:
        name = page.relative_to(ROOT)
        for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
            found += [(f"{name}:{number}", part) for part in re.split(r"(?<=\.) ", line)]
    return found


def _joined() -> list[tuple[str, str]]:
    """Every paragraph's sentences with their lines joined (a figure may wrap)."""
    found = []
    for page in PAGES:
        name = page.relative_to(ROOT)
        for number, paragraph in _paragraphs(page.read_text(encoding="utf-8")):
            found += [(f"{name}:{number}", part)
                      for part in re.split(r"(?<=[.;]) ", paragraph)]
    return found


def _paragraphs(text: str) -> list[tuple[int, str]]:
    paragraphs, start, lines = [], 1, []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith(("|", "#", "- ", "```")):
            if lines:
                paragraphs.append((start, " ".join(lines)))
            lines, start = ([line] if line.startswith("- ") else []), number
            continue
        lines = lines or []
        if not lines:
            start = number
        lines.append(line.strip())
    if lines:
        paragraphs.append((start, " ".join(lines)))
    return paragraphs


def _disagreeing(pattern: str, expected: str | None = None) -> dict[str, list[str]]:
    """Each value ``pattern``'s group takes, with where; all of them unless ``expected``
    is given, then only those that differ from it."""
    values: dict[str, list[str]] = defaultdict(list)
    for where, sentence in _joined():
        for match in re.finditer(pattern, sentence):
            values[match.group(1)].append(where)
    if expected is not None:
        return {value: places for value, places in values.items() if value != expected}
    return dict(values)


def test_the_time_cap_is_the_one_the_job_uses() -> None:
    assert _disagreeing(r"(\d+(?:\.\d+)?) minutes(?: of measuring)? by default",
                        f"{MINUTES:g}") == {}


def test_a_quick_run_is_described_with_the_catalogues_quick_count() -> None:
    quick = f"{TASK_COST.quick['count'][0]:,}"
    wrong = {where: sentence for where, sentence in _joined() if "--quick" in sentence
             and re.search(r"[\d,]+ tasks", sentence)
             and not re.search(rf"\b{quick} tasks", sentence)}
    assert wrong == {}
    vague = {where: sentence for where, sentence in _joined()
             if "--quick" in sentence and "smallest count" in sentence}
    assert vague == {}, "say the quick values, not 'the smallest counts'"


def test_tasks_per_unit_of_work_read_the_same_everywhere() -> None:
    for unit in ("widget", "request", "connection"):
        found = _disagreeing(rf"(\d[\d.,]*) tasks per {unit}")
        assert len(found) <= 1, f"tasks per {unit}: {found}"


def test_the_posts_first_row_reads_the_same_everywhere() -> None:
    first = POST_TASKS_PER_SECOND[min(POST_TASKS_PER_SECOND)]
    assert _disagreeing(rf"(\d+\.\d+) µs \({first / 1000:.0f}K tasks/s\)",
                        f"{1e6 / first:.2f}") == {}


def test_a_full_runs_minutes_are_those_of_the_block_log() -> None:
    """A full run's minutes, or a block's, as the block logs record them."""
    recorded = {f"{total:.1f}" for machine in (ROOT / "results").iterdir() if machine.is_dir()
                for _, total, _ in needs.full_runs(ROOT / "results", machine.name)}
    assert recorded, "no full run in any block log"
    blocks = {f"{float(block['minutes']):.1f}" for machine in (ROOT / "results").iterdir()
              if machine.is_dir() for record in blocklog.read(machine / blocklog.BLOCKS_FILE)
              .values() for block in record.get("blocks") or []}
    wrong = {}
    for where, sentence in _joined():
        if "full run" in sentence:
            stated = set(re.findall(r"(\d+(?:\.\d)?) minutes", sentence)) - {f"{MINUTES:g}"}
            if stated - recorded - blocks:
                wrong[where] = sorted(stated - recorded - blocks)
    assert wrong == {}, f"the block logs record {sorted(recorded)}"


def _names_in(cell: str) -> set[str]:
    """The interpreter names of a table cell: code spans, with ``3.8` … `3.13`` a range."""
    names = re.findall(r"`([^`]+)`", cell)
    if "…" in cell and len(names) == 2:
        low, high = (int(name.split(".")[1]) for name in names)
        return {f"3.{minor}" for minor in range(low, high + 1)}
    return set(names)


def test_the_interpreters_page_names_exactly_the_configured_interpreters() -> None:
    table = [line for line in (ROOT / "docs" / "interpreters.md").read_text().splitlines()
             if line.startswith("| `")]
    named = set().union(*(_names_in(line.split("|")[1]) for line in table))
    assert named == set(configured_pythons(load_config(ROOT / "asv.conf.json")))


def test_every_benchmark_named_in_code_is_in_the_catalogue() -> None:
    declared = {entry.name for entry in CATALOGUE}
    methods = {f"{entry.class_name}.{entry.method}" for entry in CATALOGUE}
    wrong = {}
    for where, sentence in _sentences():
        for name in re.findall(r"`(bench_\w+\.\w+\.\w+)`(?! \(not in the catalogue\))",
                               sentence):
            if name not in declared:
                wrong[where] = name
        for name in re.findall(r"`([A-Z]\w+\.(?:track|time)_\w+)`", sentence):
            if name not in methods:
                wrong[where] = name
    assert wrong == {}


def test_every_link_between_the_pages_leads_somewhere() -> None:
    anchors = {page: {_anchor(line) for line in page.read_text().splitlines()
                      if line.startswith("#")} for page in PAGES}
    broken = []
    for page in PAGES:
        for target in re.findall(r"\]\(([^)#:]*)(?:#([^)]*))?\)", page.read_text()):
            path, anchor = target
            found = (page.parent / path).resolve() if path else page
            if not found.exists():
                broken.append(f"{page.relative_to(ROOT)} -> {path}")
            elif anchor and found in anchors and anchor not in anchors[found]:
                broken.append(f"{page.relative_to(ROOT)} -> {path}#{anchor}")
    assert broken == []


def _anchor(heading: str) -> str:
    """GitHub's anchor of a Markdown heading."""
    text = heading.lstrip("#").strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


# Columns of different tables that hold one figure, each under the name it is compared by.
# (Other headings repeat with other figures under them: a spawn API's verdict in one table,
# its instructions in another.)
SAME_FIGURE = {"task share of Textual start-up (1,000)": "Textual: task share of its CPU time",
               "Textual: task share of its CPU time": "Textual: task share of its CPU time",
               "Textual tasks per widget (1,000)": "Textual: tasks per widget (1,000 widgets)",
               "Textual: tasks per widget (1,000 widgets)":
                   "Textual: tasks per widget (1,000 widgets)",
               "GC share at 1,000 (warm)": "GC share at 1,000 (warm)",
               "GC share at 100,000 (first cycle)": "GC share at 100,000 (first cycle)"}


MARKED = "†‡◊§"  # an earlier version, one process, an earlier run, unpaired: never compared


def _tables() -> list[tuple[str, list[str], list[list[str]]]]:
    """Every Markdown table of every page: where, its header, its rows."""
    found = []
    for page in PAGES:
        lines = page.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines):
            if line.startswith("| ") and number + 1 < len(lines) and \
                    lines[number + 1].startswith("| ---") and \
                    (number == 0 or not lines[number - 1].startswith("|")):
                rows = []
                for row in lines[number + 2:]:
                    if not row.startswith("|"):
                        break
                    rows.append([cell.strip() for cell in row.strip("|").split(" | ")])
                header = [cell.strip() for cell in line.strip("|").split(" | ")]
                found.append((f"{page.relative_to(ROOT)}:{number + 1}", header, rows))
    return found


def test_a_figure_shown_in_two_tables_reads_the_same_in_both() -> None:
    seen: dict[tuple[str, str], tuple[str, str]] = {}
    wrong = []
    for where, header, rows in _tables():
        for column, heading in enumerate(header[1:], 1):
            figure = SAME_FIGURE.get(heading)
            if figure is None:
                continue
            for row in rows:
                if column >= len(row) or row[column] == "n/a" or row[column][-1:] in MARKED:
                    continue  # a figure not shown, or shown as of an earlier version or run
                key = (figure, row[0])
                if key in seen and seen[key][1] != row[column]:
                    wrong.append(f"{figure!r} of {row[0]}: {seen[key][1]} at {seen[key][0]}, "
                                 f"{row[column]} at {where}")
                seen.setdefault(key, (where, row[column]))
    assert wrong == []
