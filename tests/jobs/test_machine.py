"""The machine a run is recorded under: a name built from what stays, and asv's six fields."""

from __future__ import annotations

import os
import platform
from pathlib import Path

import pytest

from conftest import run_python
from taskbench import host
from taskbench.jobs import machine
from taskbench.jobs.machine import details, machine_name, os_name

DEBIAN_12 = """PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
"""

UBUNTU_24_04_1 = """PRETTY_NAME="Ubuntu 24.04.1 LTS"
NAME="Ubuntu"
VERSION_ID="24.04"
VERSION="24.04.1 LTS (Noble Numbat)"
VERSION_CODENAME=noble
ID=ubuntu
ID_LIKE=debian
UBUNTU_CODENAME=noble
"""


def _release(tmp_path: Path, text: str) -> dict[str, str]:
    path = tmp_path / "os-release"
    path.write_text(text)
    return host.os_release(path)


@pytest.fixture(autouse=True)
def _no_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TASKBENCH_MACHINE", raising=False)


# The name --------------------------------------------------------------------------------------

def test_the_name_is_built_from_os_release_arch_and_cpus(tmp_path: Path) -> None:
    assert machine_name(_release(tmp_path, DEBIAN_12), arch="x86_64",
                        num_cpu=2) == "debian12-x86_64-2cpu"
    assert machine_name(_release(tmp_path, UBUNTU_24_04_1), arch="aarch64",
                        num_cpu=4) == "ubuntu24.04-aarch64-4cpu"


def test_the_name_is_a_plain_lower_case_folder_name() -> None:
    name = machine_name({"ID": "Weird OS/x", "VERSION_ID": "1"}, arch="AMD64", num_cpu=8)
    assert name == "weird-os-x1-amd64-8cpu"


def test_the_name_of_this_machine_uses_its_arch_and_cpu_count() -> None:
    name = machine_name()
    assert name.endswith(f"-{(platform.machine() or 'unknown').lower()}-{os.cpu_count()}cpu")
    assert "/" not in name and " " not in name


def test_without_os_release_the_system_names_the_machine() -> None:
    name = machine_name({}, arch="x86_64", num_cpu=1)
    assert name == f"{platform.system().lower()}-x86_64-1cpu"


@pytest.mark.parametrize("value, expected", [
    ("ci-ubuntu-arm64", "ci-ubuntu-arm64"),
    ("  box_1.2+x \n", "box_1.2+x"),
])
def test_the_name_can_be_set(monkeypatch: pytest.MonkeyPatch, value: str,
                             expected: str) -> None:
    monkeypatch.setenv("TASKBENCH_MACHINE", value)
    assert machine_name({"ID": "debian", "VERSION_ID": "12"}, arch="x86_64",
                        num_cpu=2) == expected
    assert details()["machine"] == expected


@pytest.mark.parametrize("value", ["", "   ", "\t\n"])
def test_an_empty_override_is_ignored(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("TASKBENCH_MACHINE", value)
    assert machine_name({"ID": "debian", "VERSION_ID": "12"}, arch="x86_64",
                        num_cpu=2) == "debian12-x86_64-2cpu"


@pytest.mark.parametrize("value", ["a/b", "/abs", "..", "../up", "a..b", ".", ".hidden",
                                   "my box", "-flag", "box\\name", "box:1"])
def test_an_override_that_is_not_a_plain_folder_name_is_refused(
        monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("TASKBENCH_MACHINE", value)
    with pytest.raises(ValueError, match="TASKBENCH_MACHINE=") as raised:
        machine_name({"ID": "debian", "VERSION_ID": "12"}, arch="x86_64", num_cpu=2)
    assert repr(value.strip()) in str(raised.value)
    with pytest.raises(ValueError, match="TASKBENCH_MACHINE="):
        details()


# The OS ----------------------------------------------------------------------------------------

def test_debian_is_named_with_its_release_and_codename(tmp_path: Path) -> None:
    assert os_name(_release(tmp_path, DEBIAN_12), "Linux") == "Debian GNU/Linux 12 (bookworm)"


def test_ubuntu_is_named_without_its_point_release(tmp_path: Path) -> None:
    name = os_name(_release(tmp_path, UBUNTU_24_04_1), "Linux")
    assert name == "Ubuntu 24.04 (noble)"
    assert "24.04.1" not in name


def test_without_a_codename_or_a_release_file_the_name_is_shorter(tmp_path: Path) -> None:
    assert os_name({"NAME": "Arch Linux", "ID": "arch"}, "Linux") == "Arch Linux"
    assert host.os_release(tmp_path / "absent") == {}
    assert os_name({}, "Linux") == "Linux"


# The details -----------------------------------------------------------------------------------

def test_every_asv_machine_field_is_given() -> None:
    fields = details()
    assert set(fields) == {"machine", "os", "arch", "cpu", "num_cpu", "ram"}
    assert all(isinstance(value, str) and value.strip() for value in fields.values())
    assert fields["machine"] == machine_name()
    assert fields["num_cpu"] == str(os.cpu_count() or 1)
    assert fields["machine"].endswith(f"-{fields['num_cpu']}cpu")


def test_cpu_and_ram_are_read_from_proc(tmp_path: Path) -> None:
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor\t: 0\nmodel name\t: Example CPU @ 2.00GHz\nflags\t: fpu\n")
    meminfo = tmp_path / "meminfo"
    meminfo.write_text(f"MemTotal:       {8 * 1024 * 1024 + 512} kB\nMemFree: 1 kB\n")
    assert machine.cpu_model(cpuinfo) == "Example CPU @ 2.00GHz"
    assert machine._ram(meminfo) == "8GB"
    assert machine._ram(tmp_path / "absent") == "unknown"


def test_every_machine_a_runners_too_names_its_host_in_cpu(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # issue 26: asv draws a line per distinct cpu, and a line must never cross hosts. Two
    # hosts under one runner name are two lines; the same host twice is one.
    xeon = {"cpu_model": "Intel(R) Xeon(R) Platinum 8370C CPU @ 2.80GHz", "family": "6"}
    epyc = {"cpu_model": "AMD EPYC 7763 64-Core", "family": "25"}
    for name in ("gha-ubuntu-24.04-x64", "my-box"):
        monkeypatch.setenv("TASKBENCH_MACHINE", name)
        recorded = [details(found)["cpu"] for found in (xeon, epyc, dict(xeon))]
        assert recorded[0] == host.host_label(xeon) != recorded[1]
        assert recorded[0] == recorded[2] and recorded[1].startswith("AMD EPYC 7763 64-Core")
    assert details()["cpu"] == host.host_label(host.fingerprint())  # this host by default


def test_an_override_too_long_for_the_sites_paths_is_refused(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """asv's pages put the name in a folder name ("machine-<name>", at most 255 bytes); the
    limit is a host name's longest label, 63."""
    monkeypatch.setenv("TASKBENCH_MACHINE", "m" * 63)
    assert machine_name({"ID": "debian", "VERSION_ID": "12"}, arch="x86_64",
                        num_cpu=2) == "m" * 63
    monkeypatch.setenv("TASKBENCH_MACHINE", "m" * 300)
    with pytest.raises(ValueError) as raised:
        machine_name({"ID": "debian", "VERSION_ID": "12"}, arch="x86_64", num_cpu=2)
    message = str(raised.value)
    assert f"TASKBENCH_MACHINE={'m' * 40!r}... (300 characters) is not a plain folder name " \
           "of at most 63 characters" in message
    assert "unset it for this machine's own name, debian12-x86_64-2cpu" in message
    assert "m" * 41 not in message


def test_the_main_job_refuses_a_long_machine_name_before_measuring() -> None:
    result = run_python("-m", "taskbench.jobs.main", "--offline",
                        env={"TASKBENCH_MACHINE": "x" * 300}, timeout=120)
    assert result.returncode == 2
    assert result.stderr.startswith("error: TASKBENCH_MACHINE='xxxx")
    assert "at most 63 characters" in result.stderr and "Traceback" not in result.stderr
    assert "=== Interpreters ===" not in result.stdout
