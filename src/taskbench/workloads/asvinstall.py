"""asv's install step for taskbench: one wheel per source, built once, installed everywhere.

asv installs the measured commit into every environment (``install_command`` in
``asv.conf.json``); ``pip install {build_dir}`` would build a wheel in an isolated build
environment for each of them, seconds every time, for the same pure-Python package. This
builds it once per source (the wheel is kept in ``~/.cache/taskbench/wheels/<hash of the
source>``, written under a temporary name and renamed into place) and installs that wheel,
without its build, into each environment. The wheel is built by the interpreter that
:data:`BUILDER` names, when set (the asv driver sets it to the tools' Python): the project's
metadata needs a setuptools that the oldest interpreters measured cannot install (Python 3.8
stops at setuptools 75, and the SPDX ``license`` needs 77), while the wheel, pure Python,
installs on every one of them.

It runs before taskbench is installed, by path, with the environment's own interpreter::

    python {build_dir}/src/taskbench/workloads/asvinstall.py {build_dir}

so it uses the standard library only and runs on Python 3.8 and PyPy.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Iterator, Sequence

# What the wheel is built from: a change to any of these is another wheel.
SOURCES = ("pyproject.toml", "README.md", "LICENSE", "src")
# The environment variable naming the interpreter that builds the wheel (see above).
BUILDER = "TASKBENCH_WHEEL_BUILDER"
# This script, which runs by path where taskbench is not yet installed.
SCRIPT = Path(__file__).resolve()


def _files(build_dir: Path) -> Iterator[Path]:
    for name in SOURCES:
        path = build_dir / name
        if path.is_file():
            yield path
        elif path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file()
                              and "__pycache__" not in p.parts and ".egg-info" not in str(p))


def source_key(build_dir: Path) -> str:
    """A hash of every file the wheel is built from, with its place."""
    digest = hashlib.sha256()
    for path in _files(build_dir):
        digest.update(str(path.relative_to(build_dir)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:32]


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "taskbench" / "wheels"


def _pip(*arguments: str, python: str = sys.executable) -> None:
    subprocess.run([python, "-m", "pip", *arguments], check=True)


def wheel_for(build_dir: Path, cache: Path) -> Path:
    """The wheel of ``build_dir``'s source, built into the cache the first time."""
    folder = cache / source_key(build_dir)
    if not folder.is_dir():
        cache.mkdir(parents=True, exist_ok=True)
        building = Path(tempfile.mkdtemp(prefix=".building-", dir=cache))
        try:
            _pip("wheel", "--quiet", "--no-deps", "--wheel-dir", str(building), str(build_dir),
                 python=os.environ.get(BUILDER) or sys.executable)
            os.replace(building, folder)
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)
            if not folder.is_dir():  # another install may have built it meanwhile
                raise
    (wheel,) = sorted(folder.glob("*.whl"))
    return wheel


def main(argv: Sequence[str]) -> int:
    build_dir = Path(argv[0]).resolve()
    wheel = wheel_for(build_dir, cache_dir())
    _pip("install", "--quiet", "--no-deps", "--no-index", "--force-reinstall", str(wheel))
    print(f"taskbench: installed {wheel.name} (built once for this source, {wheel.parent.name})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
