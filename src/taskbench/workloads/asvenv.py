"""Run by asv after installing taskbench into an environment (see ``install_command``).

It installs the clients the anatomy benchmarks measure, pinned so that every interpreter runs
the same code: uvloop, and Textual with its dependencies. Each is installed from wheels only
(``--only-binary``), because a source build would need a compiler and minutes per environment;
where no wheel fits the interpreter, it says so, and the benchmarks that need the client are
skipped the asv way (shown n/a) instead of failing the environment.

asv installs pympler into every environment it creates, for its ``mem_`` benchmarks. On PyPy,
importing pympler fails with a KeyError inside PyPy's typedef machinery, and asv's benchmark
discovery imports it, so no benchmark at all would run. asv_runner skips ``mem_`` benchmarks
when pympler cannot be imported, so on PyPy this removes it (taskbench has no ``mem_``
benchmarks: bytes per task are counted with tracemalloc, which PyPy lacks, and shown n/a).
"""

from __future__ import annotations

import platform
import subprocess
import sys
from typing import Sequence

# The newest uvloop with a wheel for each Python; 0.22 dropped 3.8.
UVLOOP_PINS = ["uvloop==0.21.0"] if sys.version_info < (3, 9) else ["uvloop==0.23.0"]
# Textual and the versions of its dependencies that install on every Python from 3.9 (the
# oldest Textual supports), so every interpreter runs the same client.
TEXTUAL_PINS = [
    "textual==8.2.8", "rich==15.0.0", "markdown-it-py==3.0.0", "mdit-py-plugins==0.4.2",
    "linkify-it-py==2.0.3", "uc-micro-py==1.0.3", "mdurl==0.1.2", "platformdirs==4.4.0",
    "pygments==2.21.0", "typing-extensions==4.16.0",
]


def client_requirements() -> dict[str, list[str]]:
    """The pinned requirements of each client, or an empty list where it cannot run."""
    clients: dict[str, list[str]] = {}
    is_cpython = platform.python_implementation() == "CPython"
    clients["uvloop"] = UVLOOP_PINS if is_cpython and sys.platform != "win32" else []
    clients["textual"] = TEXTUAL_PINS if sys.version_info >= (3, 9) else []
    return clients


def _pip(arguments: Sequence[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pip", *arguments],
                          capture_output=True, text=True, check=False)


def install_clients() -> None:
    for client, requirements in client_requirements().items():
        if not requirements:
            print(f"taskbench: {client} does not support this interpreter; "
                  f"its benchmarks will show n/a")
            continue
        result = _pip(["install", "--only-binary=:all:", "--no-deps", *requirements])
        if result.returncode == 0:
            print(f"taskbench: installed {' '.join(requirements)}")
        else:
            reason = result.stderr.strip().splitlines()[-1:] or ["pip failed"]
            print(f"taskbench: no wheel of {client} installs here ({reason[0]}); "
                  f"its benchmarks will show n/a")


def remove_pympler_on_pypy() -> None:
    if platform.python_implementation() != "PyPy":
        return
    result = _pip(["uninstall", "--yes", "pympler"])
    if result.returncode == 0:
        print("taskbench: removed pympler from this PyPy environment; asv's benchmark "
              "discovery fails on PyPy while it is installed (mem_ benchmarks: n/a)")


def main() -> int:
    install_clients()
    remove_pympler_on_pypy()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
