"""The clients' view: every client's tasks per unit and task share, per interpreter, and one
sentence that claims only what the intervals allow."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import samples_around, write_results
from taskbench.asvadapter.results import latest, load
from taskbench.catalogue import (
    AIOHTTP_SHARE,
    AIOHTTP_TASKS,
    ECHO_SHARE,
    ECHO_TASKS,
    TEXTUAL_SHARE,
    TEXTUAL_TASKS,
)
from taskbench.reports import markdown
from taskbench.reports.clients import CLIENTS, clients_sentence, clients_table
from taskbench.reports.views import Index

ECHO = (ECHO_SHARE.axes[0].values[0], ECHO_SHARE.axes[1].values[0])
REQUESTS = (AIOHTTP_SHARE.axes[0].values[0],)
WIDGETS = (TEXTUAL_SHARE.axes[0].values[0],)


@pytest.fixture
def index(tmp_path: Path) -> Index:
    """3.8: the echo server only (no Textual, no aiohttp there); 3.13: all three, the echo
    server's share from one process only; pypy3.11: all three."""
    folder = tmp_path / "results"
    write_results(folder, {ECHO_TASKS: {ECHO: 2.0}, ECHO_SHARE: {ECHO: samples_around(2.0)},
                           TEXTUAL_TASKS: {WIDGETS: None}, AIOHTTP_TASKS: {REQUESTS: None}},
                  python="3.8")
    write_results(folder, {
        TEXTUAL_TASKS: {WIDGETS: 3.0}, TEXTUAL_SHARE: {WIDGETS: samples_around(1.5, 0.1)},
        AIOHTTP_TASKS: {REQUESTS: 1.0}, AIOHTTP_SHARE: {REQUESTS: samples_around(3.0, 0.1)},
        ECHO_TASKS: {ECHO: 2.0}, ECHO_SHARE: {ECHO: [0.2]}}, python="3.13")
    write_results(folder, {
        TEXTUAL_TASKS: {WIDGETS: 3.0}, TEXTUAL_SHARE: {WIDGETS: samples_around(0.5, 0.1)},
        AIOHTTP_TASKS: {REQUESTS: 1.0}, AIOHTTP_SHARE: {REQUESTS: samples_around(0.3, 0.1)},
        ECHO_TASKS: {ECHO: 2.0}, ECHO_SHARE: {ECHO: samples_around(0.4, 0.1)}},
        python="pypy3.11")
    loaded = load(folder)
    assert not loaded.problems
    return Index(latest(loaded.figures))


def test_every_interpreter_has_a_row_and_every_client_two_columns(index: Index) -> None:
    table = clients_table(index, "box")
    assert [row[0].text for row in table.rows] == ["3.8", "3.13", "pypy3.11"]
    assert len(table.header) == 1 + 2 * len(CLIENTS)
    assert table.header[3] == f"aiohttp server: tasks per request ({REQUESTS[0]:,} requests, " \
                              "keep-alive)"
    old, new, pypy = table.rows
    assert [cell.text for cell in old[1:5]] == ["n/a"] * 4  # Textual, aiohttp: not there
    assert old[5].text == "2.00" and old[6].text.startswith("2.0% (")
    assert new[3].text == "1.00" and new[4].text.startswith("3.0% (")
    assert new[6].kind == "single" and new[6].text == "0.2%"  # one process: no interval
    text = markdown.table(table)
    assert "| pypy3.11 | 3.00 | 0.5% (" in text
    # One process is not an earlier version of the benchmark (it was marked † as one).
    assert "0.2%‡" in text and "†" not in text


def test_the_sentence_spans_the_interpreters_and_names_the_noise(index: Index) -> None:
    sentence = clients_sentence(index, "box")
    assert sentence is not None
    assert sentence.startswith("On `box`, from the interpreter where the share is least")
    assert "0.5% (" in sentence and "1.5% (" in sentence  # Textual: pypy3.11 to 3.13
    assert "of Textual's start-up CPU time" in sentence
    assert "0.3% (" in sentence and "3.0% (" in sentence  # aiohttp: pypy3.11 to 3.13
    assert "1.00 tasks per request" in sentence and "2.00 tasks per connection" in sentence
    assert "no interval on 3.13" in sentence  # the echo server's share on 3.13
    assert sentence.index("Textual") < sentence.index("aiohttp") < sentence.index("echo")


def test_a_figure_of_an_earlier_benchmark_version_is_marked_and_never_in_the_sentence(
        tmp_path: Path) -> None:
    """clients._estimate skipped the version check: an earlier version's share was shown
    unmarked and summed up in the sentence."""
    folder = tmp_path / "results"
    for python, share in (("3.12", 9.0), ("3.13", 1.0)):
        path = write_results(folder, {ECHO_TASKS: {ECHO: 2.0},
                                      ECHO_SHARE: {ECHO: samples_around(share, 0.1)}},
                             python=python)
    old = folder / "box" / f"{'a' * 8}-virtualenv-py3.12.json"
    data = json.loads(old.read_text())
    data["results"][ECHO_SHARE.name][data["result_columns"].index("version")] = "echo-0"
    old.write_text(json.dumps(data))
    loaded = load(folder)
    assert not loaded.problems and path.exists()
    index = Index(latest(loaded.figures))

    table = clients_table(index, "box")
    older, current = table.rows
    assert older[6].kind == "older" and older[6].text.startswith("9.0% (")
    assert current[6].kind == "" and current[6].text.startswith("1.0% (")
    assert "9.0% (" in markdown.table(table) and ")†" in markdown.table(table)
    sentence = clients_sentence(index, "box")
    assert sentence is not None and "1.0% (" in sentence and "9.0%" not in sentence


def test_a_figure_of_an_earlier_run_is_marked(tmp_path: Path) -> None:
    folder = tmp_path / "results"
    write_results(folder, {ECHO_TASKS: {ECHO: 2.0}, ECHO_SHARE: {ECHO: samples_around(9.0)}},
                  python="3.12", date=1)
    write_results(folder, {ECHO_TASKS: {ECHO: 2.0}, ECHO_SHARE: {ECHO: samples_around(1.0)}},
                  python="3.13", commit="b" * 40, date=2)
    loaded = load(folder)
    table = clients_table(Index(latest(loaded.figures)), "box")
    earlier, newest = table.rows
    assert [earlier[5].kind, earlier[6].kind] == ["earlier", "earlier"]
    assert [newest[5].kind, newest[6].kind] == ["", ""]
    assert "◊: measured in an earlier run" in markdown.table(table)


def test_no_sentence_for_a_machine_without_clients(index: Index) -> None:
    assert clients_sentence(index, "another machine") is None
    assert clients_table(index, "another machine").rows == []
