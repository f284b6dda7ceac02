"""Textual, the real client: a headless app mounts N widgets and its tasks are counted."""

from __future__ import annotations

import importlib.util
import sys

import pytest

from conftest import needs
from taskbench.workloads import Unavailable
from taskbench.workloads.asvenv import client_files, pins
from taskbench.workloads.textual_app import check_textual, start_app, task_share


def test_a_headless_app_mounts_every_widget_and_starts_tasks_for_them() -> None:
    if importlib.util.find_spec("textual") is None:
        pytest.skip(needs("clients", "textual"))
    small = start_app(20)
    large = start_app(200)
    assert small.mounted == 20 and large.mounted == 200
    # Every widget runs at least one task of its own: the count grows with the widgets.
    assert large.tasks_created - small.tasks_created >= 180
    assert large.cpu_seconds > 0
    assert 0 < task_share(100) < 1


def test_a_missing_textual_is_unavailable_not_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "textual.app", None)
    with pytest.raises(Unavailable, match="Textual is not installed"):
        check_textual()
    with pytest.raises(Unavailable):
        start_app(10)


def test_clients_are_pinned_by_hash_and_left_out_where_they_cannot_run(
        monkeypatch: pytest.MonkeyPatch) -> None:
    for path in client_files().values():
        assert path is not None
        text = path.read_text()
        # Every pin carries at least one hash, which pip then requires of every file.
        assert pins(path) and text.count("==") == len(pins(path))
        assert text.count("--hash=sha256:") >= len(pins(path))
    textual = client_files()["textual"]
    assert textual is not None and any(pin.startswith("textual==") for pin in pins(textual))
    monkeypatch.setattr("platform.python_implementation", lambda: "PyPy")
    assert client_files()["uvloop"] is None
    monkeypatch.setattr(sys, "version_info", (3, 8, 20, "final", 0))
    assert client_files()["textual"] is None
