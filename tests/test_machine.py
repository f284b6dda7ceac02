from __future__ import annotations

import pytest

from taskbench.machine import machine_details, machine_name


def test_the_name_is_built_from_what_stays(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TASKBENCH_MACHINE", raising=False)
    name = machine_name({"ID": "debian", "VERSION_ID": "12"}, arch="x86_64", num_cpu=2)
    assert name == "debian12-x86_64-2cpu"


def test_the_name_can_be_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TASKBENCH_MACHINE", "ci-ubuntu-arm64")
    assert machine_name({"ID": "debian"}, arch="x86_64", num_cpu=2) == "ci-ubuntu-arm64"
    assert machine_details()["machine"] == "ci-ubuntu-arm64"


def test_every_asv_machine_field_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TASKBENCH_MACHINE", raising=False)
    details = machine_details()
    assert set(details) == {"machine", "os", "arch", "cpu", "num_cpu", "ram"}
    assert all(value for value in details.values())
