"""Textual, the real client: a headless app mounts N widgets and its tasks are counted."""

from __future__ import annotations

import sys

import pytest

from taskbench.asvenv import TEXTUAL_PINS, UVLOOP_PINS, client_requirements
from taskbench.loops import Unavailable
from taskbench.textual_app import check_textual, measure_startup


def test_a_headless_app_mounts_every_widget_and_starts_tasks_for_them() -> None:
    pytest.importorskip("textual")
    small = measure_startup(20, runs=1)
    large = measure_startup(200, runs=1)
    assert small.mounted == 20 and large.mounted == 200
    # Every widget runs at least one task of its own: the count grows with the widgets.
    assert large.tasks_created - small.tasks_created >= 180
    assert 0 < large.task_share < 1
    assert large.seconds_per_task > 0


def test_a_missing_textual_is_unavailable_not_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "textual.app", None)
    with pytest.raises(Unavailable, match="Textual is not installed"):
        check_textual()
    with pytest.raises(Unavailable):
        measure_startup(10)


def test_clients_are_pinned_and_left_out_where_they_cannot_run(
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert all("==" in pin for pin in TEXTUAL_PINS + UVLOOP_PINS)
    monkeypatch.setattr("platform.python_implementation", lambda: "PyPy")
    assert client_requirements()["uvloop"] == []
    monkeypatch.setattr(sys, "version_info", (3, 8, 20, "final", 0))
    assert client_requirements()["textual"] == []
