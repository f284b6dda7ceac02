"""The environment of a count is the same on every host: glibc's functions pinned whatever
features the host lacks, the interpreter run through a root of fixed length, a fixed time
zone; and the counts agree under every simulated host (the slow test)."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from taskbench.workloads import countenv
from taskbench.workloads.countenv import count_root, environment, pinned_tunables
from taskbench.workloads.instructions import count_phases, per_task

# Features glibc chooses its functions by, which valgrind's CPU takes from the host.
HOST_FEATURES = ("AVX2", "AVX", "ERMS", "BMI2", "LZCNT", "MOVBE")
SIMULATED_HOSTS = [(), ("ERMS",), ("AVX2",), ("AVX2", "AVX"), HOST_FEATURES]


def lacking(features: tuple[str, ...]) -> list[str]:
    """``features`` switched off, every other one of HOST_FEATURES replaced by a name glibc
    does not know, of its length: the tunables are as long for every simulated host (their
    length alone moves the heap, and with it the counts)."""
    return [name if name in features else "Q" * len(name) for name in HOST_FEATURES]


def test_the_fixed_environment_keeps_what_changes_the_interpreter(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHON_JIT", "1")
    monkeypatch.setenv("HOME", "/somewhere")
    monkeypatch.setenv("TZ", "Europe/Berlin")
    monkeypatch.setenv("GLIBC_TUNABLES", "glibc.cpu.hwcaps=-AVX2")
    env = environment("/cache")
    assert env["PYTHON_JIT"] == "1" and "HOME" not in env
    assert env["PYTHONHASHSEED"] == "0" and env["PYTHONPYCACHEPREFIX"] == "/cache"
    assert env["TZ"] == "UTC" and env["GLIBC_TUNABLES"] == pinned_tunables()


def test_the_pin_switches_off_what_a_host_lacks_and_everything_above_the_baseline() -> None:
    tunables = pinned_tunables(["AVX512F"])
    hwcaps = tunables.split(":")[0].removeprefix("glibc.cpu.hwcaps=").split(",")
    assert hwcaps[0] == "-AVX512F"
    assert {"-AVX2", "-ERMS", "-Prefer_FSRM", "Fast_Unaligned_Load"} <= set(hwcaps)
    assert "glibc.cpu.x86_shared_cache_size=0x800000" in tunables.split(":")
    # What a host lacks only comes first; it changes nothing the pin does not already set.
    assert set(hwcaps) - {"-AVX512F"} <= set(pinned_tunables().split(":")[0][17:].split(","))


def _run_there(command: str, cwd: str, code: str) -> list[str]:
    return subprocess.run([command, "-c", code], capture_output=True, text=True, check=True,
                          cwd=cwd, env={"PATH": "/usr/bin:/bin"}).stdout.split()


def test_the_interpreter_runs_through_a_root_of_fixed_length_with_its_packages() -> None:
    site = Path(sysconfig.get_path("purelib"))
    before = sorted(os.listdir(site))
    roots = []
    for _ in range(2):
        with count_root(sys.executable) as (command, cwd, pycache):
            root = os.path.dirname(cwd)
            roots.append(root)
            prefix, base, found = _run_there(
                command, cwd, "import sys, taskbench; print(sys.prefix, sys.base_prefix, "
                "taskbench.__name__)")
            assert prefix == os.path.join(root, "env") and base == os.path.join(root, "base")
            assert found == "taskbench" and os.listdir(cwd) == [] and os.path.isdir(pycache)
        assert not os.path.exists(root)
    assert len(roots[0]) == len(roots[1]) and roots[0] != roots[1]
    assert root.startswith(os.path.join(countenv.ROOT_PARENT, countenv.ROOT_PREFIX))
    assert sorted(os.listdir(site)) == before  # the links are removed, never what they name


def test_an_interpreter_whose_layout_cannot_be_rebuilt_runs_where_it_is(tmp_path: Path
                                                                         ) -> None:
    wrapper = tmp_path / "python"
    wrapper.write_text(f"#!/bin/sh\nexec {sys.executable} \"$@\"\n")
    wrapper.chmod(0o755)
    with count_root(str(wrapper)) as (command, _cwd, _pycache):
        assert command == str(wrapper)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("valgrind") is None or platform.machine() != "x86_64",
                    reason="valgrind on x86-64 is needed")
def test_counts_agree_whatever_features_the_host_lacks_and_differ_without_the_pin() -> None:
    low, high = 300, 900
    phases = [("create_task+wait", "asyncio", count, "on") for count in (low, high)]

    def instructions(tunables: str) -> float:
        first, second = count_phases(phases, tunables=tunables)
        return per_task(first, second, low, high).instructions

    pinned = [instructions(pinned_tunables(lacking(host))) for host in SIMULATED_HOSTS]
    free = [instructions("glibc.cpu.hwcaps=" + ",".join(f"-{name}" for name in lacking(host)))
            for host in SIMULATED_HOSTS]
    assert max(pinned) / min(pinned) - 1 < 0.0001, pinned  # within 0.01%
    assert max(free) / min(free) - 1 > 0.001, free  # what the pin removes: glibc's choice


def _environment_at(folder: Path) -> str:
    """A virtual environment of this interpreter's build at ``folder``, importing taskbench
    from this checkout: another checkout's environment, at a path of another length."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True)
    python = folder / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path("
                           "'purelib'))"], capture_output=True, text=True, check=True)
    source = Path(countenv.__file__).resolve().parents[2]
    (Path(site.stdout.strip()) / "taskbench-source.pth").write_text(f"{source}\n")
    return str(python)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("valgrind") is None, reason="valgrind is not installed")
def test_counts_agree_whatever_the_path_to_the_environment(tmp_path: Path) -> None:
    low, high = 300, 900
    phases = [("create_task+wait", "asyncio", count, "on") for count in (low, high)]
    short = _environment_at(tmp_path / "e")
    long = _environment_at(tmp_path / ("an-environment-in-a-checkout-somewhere-else-" * 2))
    figures = [per_task(*count_phases(phases, python=python), low, high).instructions
               for python in (short, long)]
    assert figures[0] == figures[1]
