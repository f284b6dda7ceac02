"""Run by asv after installing taskbench into an environment (see ``install_command``).

It installs the clients the anatomy benchmarks measure, pinned by version and by hash so that
every interpreter runs the same code: uvloop, rloop, Textual, aiohttp, Trio and AnyIO with their
dependencies (``clients/*.txt``, generated from the ``.in`` files beside them by pip-compile or
``uv pip compile``, as each says; where the newest release has left an old Python behind, that
Python gets the newest that supports it, in a ``-py3N`` file). Each is
installed from wheels only (``--only-binary``), because a source build would need a compiler
and minutes per environment, and with ``--require-hashes``; where no wheel fits the
interpreter, it says so, and the benchmarks that need the client are skipped the asv way
(shown n/a) instead of failing the environment.

asv installs pympler into every environment it creates, for its ``mem_`` benchmarks. On PyPy,
importing pympler fails with a KeyError inside PyPy's typedef machinery, and asv's benchmark
discovery imports it, so no benchmark at all would run. asv_runner skips ``mem_`` benchmarks
when pympler cannot be imported, so on PyPy this removes it (taskbench has no ``mem_``
benchmarks: bytes per task are counted with tracemalloc, which PyPy lacks, and shown n/a).
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import platform
import re
import subprocess
import sys
from pathlib import Path
from typing import Sequence

CLIENTS = Path(__file__).resolve().parent / "clients"


def client_files() -> dict[str, Path | None]:
    """Each client's hashed requirements for this interpreter, or None where it cannot run."""
    # Loops written in C or Rust: wheels for CPython on Linux and macOS only.
    native_loops = platform.python_implementation() == "CPython" and sys.platform != "win32"
    uvloop = "uvloop-py38.txt" if sys.version_info < (3, 9) else "uvloop.txt"
    rloop = "rloop-py39.txt" if sys.version_info < (3, 10) else "rloop.txt"
    return {
        "uvloop": CLIENTS / uvloop if native_loops else None,
        "rloop": CLIENTS / rloop if native_loops and sys.version_info >= (3, 9) else None,
        "textual": CLIENTS / "textual.txt" if sys.version_info >= (3, 9) else None,
        "aiohttp": CLIENTS / _by_python("aiohttp"),
        "frameworks": CLIENTS / _by_python("frameworks"),
    }


def _by_python(client: str) -> str:
    """The client's requirements for this Python: its own file on 3.8 and 3.9, which its
    newest releases no longer support."""
    if sys.version_info < (3, 10):
        return f"{client}-py3{sys.version_info[1]}.txt"
    return f"{client}.txt"


def pins(requirements: Path) -> list[str]:
    """The ``name==version`` lines of a hashed requirements file."""
    text = requirements.read_text(encoding="utf-8")
    return re.findall(r"^([A-Za-z0-9_.-]+==[^\s\\;]+)", text, re.MULTILINE)


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def installed(requirements: Path) -> bool:
    """Whether every pin of ``requirements`` is installed already, at its version: pip is
    then not run at all (it takes seconds per environment, at every new commit)."""
    found = {_normal(dist.metadata["Name"] or ""): dist.version
             for dist in importlib.metadata.distributions()}
    return all(found.get(_normal(name)) == version
               for name, version in (pin.split("==", 1) for pin in pins(requirements)))


def _pip(arguments: Sequence[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pip", *arguments],
                          capture_output=True, text=True, check=False)


def install_clients() -> None:
    for client, requirements in client_files().items():
        if requirements is None:
            print(f"taskbench: {client} does not support this interpreter; "
                  f"its benchmarks will show n/a")
            continue
        if installed(requirements):
            print(f"taskbench: {' '.join(pins(requirements))} already installed")
            continue
        result = _pip(["install", "--only-binary=:all:", "--no-deps", "--require-hashes",
                       "-r", str(requirements)])
        if result.returncode == 0:
            print(f"taskbench: installed {' '.join(pins(requirements))} (hashes checked)")
        else:
            reason = result.stderr.strip().splitlines()[-1:] or ["pip failed"]
            print(f"taskbench: no wheel of {client} installs here ({reason[0]}); "
                  f"its benchmarks will show n/a")


def remove_pympler_on_pypy() -> None:
    if platform.python_implementation() != "PyPy" or \
            importlib.util.find_spec("pympler") is None:
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
