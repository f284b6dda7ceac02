"""The loopback clients: an aiohttp server and an asyncio streams echo server, each in a process
of its own, their tasks per unit of work exact and the same from run to run."""

from __future__ import annotations

import importlib.util
import sys

import pytest

from conftest import needs, run_python
from taskbench.workloads import Unavailable
from taskbench.workloads.loopback import (
    aiohttp_requests,
    check_aiohttp,
    echo_connections,
    server_task_share,
)


def test_an_aiohttp_server_makes_the_same_whole_number_of_tasks_per_request() -> None:
    if importlib.util.find_spec("aiohttp") is None:
        pytest.skip(needs("clients", "aiohttp"))
    first, second = aiohttp_requests(200), aiohttp_requests(200)
    assert first.units == 200
    assert first.tasks == second.tasks and first.tasks >= 200  # a task per request at least
    assert first.tasks_per_unit == second.tasks_per_unit
    assert first.cpu_seconds > 0
    assert 0 < server_task_share(first) < 1


def test_an_echo_server_makes_the_same_tasks_per_connection_whatever_the_messages() -> None:
    runs = [echo_connections(30, 3), echo_connections(30, 3), echo_connections(30, 12)]
    assert len({run.tasks for run in runs}) == 1  # messages add no task
    assert runs[0].tasks_per_unit == int(runs[0].tasks_per_unit) >= 1
    if sys.platform != "win32":  # the handler's task, and the selector loop's for accepting
        assert runs[0].tasks_per_unit == 2.0
    assert 0 < server_task_share(runs[0]) < 1


def test_a_missing_aiohttp_is_unavailable_not_an_error(monkeypatch: pytest.MonkeyPatch
                                                       ) -> None:
    monkeypatch.setitem(sys.modules, "aiohttp", None)
    with pytest.raises(Unavailable, match="aiohttp is not installed"):
        check_aiohttp()
    with pytest.raises(Unavailable):
        aiohttp_requests(10)


def test_a_server_that_cannot_start_says_why() -> None:
    result = run_python("-m", "taskbench.workloads.servers", "gopher")
    assert result.returncode == 2 and "usage:" in result.stderr
