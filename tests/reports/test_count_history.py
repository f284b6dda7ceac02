"""The history page: which host each run had, and each interpreter's exact counts over time
with its version where it first shows and where it changes."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

from conftest import write_results
from taskbench import host, runfacts
from taskbench.asvadapter.results import load
from taskbench.catalogue import CLASSIC_SPAWN, INSTRUCTIONS
from taskbench.interpreters import facts
from taskbench.reports import history
from taskbench.reports.page import write_history

EPYC = {"cpu_model": "AMD EPYC", "family": "25", "model": "17", "stepping": "1",
        "isa_level": "x86-64-v4", "caches": {"L3": "32768K"}, "cpus": "2",
        "kernel": "6.1.0", "virtual": "yes", "unreadable": {}}
MILAN = {**EPYC, "model": "1", "isa_level": "x86-64-v3"}
DAY = 86_400_000
START = 1_790_000_000_000


def _iso(ms: int) -> str:
    return datetime.datetime.fromtimestamp(ms / 1000, datetime.timezone.utc).isoformat()


def _run(results: Path, n: int, found: dict[str, Any] | None, counts: dict[str, float],
         versions: dict[str, str] | None = None) -> None:
    """Run ``n`` (commit ``n`` repeated) on the host ``found`` (None: before hosts were)."""
    commit = f"{n:x}" * 40
    for python, value in counts.items():
        write_results(results, {INSTRUCTIONS: {CLASSIC_SPAWN: value}}, python=python,
                      commit=commit[:40], date=START + n * DAY, started=START + n * DAY + 60_000,
                      cpu=host.host_label(found) if found else None)
    if found is not None:
        record = {**runfacts.record(commit[:40], found, versions or {}),
                  "recorded_at": _iso(START + n * DAY)}
        runfacts.update(results / "box" / runfacts.RUNS_FILE, [record])


def _results(tmp_path: Path) -> Path:
    results = tmp_path / "results"
    _run(results, 1, None, {"3.13-debian": 34_500.0, "3.12": 45_400.0})
    _run(results, 2, EPYC, {"3.13-debian": 34_600.0, "3.12": 45_300.0},
         {"3.13-debian": "3.13.18", "3.12": "3.12.1"})
    _run(results, 3, MILAN, {"3.13-debian": 34_600.0, "3.12": 45_300.0},
         {"3.13-debian": "3.13.18", "3.12": "3.12.1"})
    _run(results, 4, MILAN, {"3.13-debian": 35_100.0, "3.12": 45_300.0},
         {"3.13-debian": "3.13.19", "3.12": "3.12.1"})
    return results


def _cells(table: Any) -> dict[str, list[tuple[str, str]]]:
    return {row[0].text: [(cell.text, cell.kind) for cell in row[1:]] for row in table.rows}


def test_every_point_has_its_version_and_a_new_version_is_a_named_step(tmp_path: Path
                                                                        ) -> None:
    results = _results(tmp_path)
    figures = load(results).figures
    runs, _ = runfacts.read_all(results)
    found = history.history(figures, "box", runs["box"], [])
    hosts = {f.commit: host.named_host(f.cpu) for f in figures}
    cells = _cells(history.counts_table(found, hosts))
    assert cells["3.13-debian"] == [("34,500", ""), ("34,600 (3.13.18)", ""), ("34,600", ""),
                                    ("35,100 (3.13.19)", "real")]
    assert cells["3.12"][1:] == [("45,300 (3.12.1)", ""), ("45,300", ""), ("45,300", "")]
    header = history.counts_table(found, hosts).header
    assert "unknown host" in header[1] and host.host_id(MILAN) in header[4]
    svg = history.counts_chart(found, "box")
    assert svg.startswith("<?xml") and "3.13.19" in svg


def test_a_run_without_a_record_takes_the_build_facts_recorded_for_it_only(tmp_path: Path
                                                                          ) -> None:
    results = tmp_path / "results"
    for n in (1, 2):
        _run(results, n, None, {"3.15-debian": 32_000.0 + n})
    figures = load(results).figures
    newest = [{"python": "3.15-debian", "version": "3.15.2",
               "recorded_at": _iso(START + 2 * DAY)}]  # before run 2's figures, after run 1's
    found = history.history(figures, "box", [], newest)["3.15-debian"]
    assert [point.version for point in found] == [None, "3.15.2"]
    too_late = [{**newest[0], "recorded_at": _iso(START + 3 * DAY)}]
    assert [p.version for p in history.history(figures, "box", [], too_late)["3.15-debian"]] \
        == [None, None]


def test_the_hosts_are_named_with_their_fingerprints_and_the_runs_before_them_apart(
        tmp_path: Path) -> None:
    results = _results(tmp_path)
    runs, _ = runfacts.read_all(results)
    table = history.hosts_table(load(results).figures, "box", runs["box"])
    rows = {row[0].text: [cell.text for cell in row[1:]] for row in table.rows}
    assert list(rows) == ["unknown", host.host_id(EPYC), host.host_id(MILAN)]
    assert rows["unknown"][0].startswith("recorded before hosts were")
    assert rows[host.host_id(MILAN)] == [host.describe(MILAN), f"2: {'3' * 8} to {'4' * 8}"]


def test_the_page_is_written_and_an_unreadable_record_is_named_on_it(tmp_path: Path) -> None:
    results = _results(tmp_path)
    (results / "box" / runfacts.RUNS_FILE).write_text("{broken\n")
    (results / "box" / facts.FACTS_FILE).write_text(json.dumps(
        {"python": "3.12", "version": "3.12.1"}) + "\n")
    site = tmp_path / "site"
    site.mkdir()
    page = write_history(results, site).read_text()
    assert "runs.jsonl, line 1" in page and "which host each run had is not shown" in page
    assert (site / "counts-box.svg").is_file() and "Instructions per task of" in page
