"""One function per place an interpreter comes from; each puts a named executable in ``dest``.

asv's virtualenv plugin looks for ``python<name>`` on PATH for each name in ``pythons``
(``pypy<version>`` for PyPy), so one directory of small executables ahead of everything else
on PATH decides which interpreter each name means. Each function returns an
:class:`Outcome`: the executable, or the reason there is none.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from taskbench import files
from taskbench.interpreters import debian
from taskbench.interpreters.debian import DEVELOPMENT_SUITE, CacheEntry, ProvisionError
from taskbench.interpreters.names import Wanted

_RELEASE_DIR = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")


@dataclass(frozen=True)
class Outcome:
    """What became of one configured name: an executable and its build facts, or why not."""

    name: str
    source: str
    executable: Path | None = None
    problem: str | None = None
    facts: dict[str, Any] | None = None
    cache: CacheEntry | None = None  # the download it was unpacked from, if any


def link_executable(dest: Path, wanted: Wanted, target: Path) -> Path:
    """Put an executable named for asv in ``dest`` that runs ``target``.

    It is a two-line script rather than a symlink: an interpreter started through a symlink
    may take the link's directory for its home, and virtualenv then records that directory
    in pyvenv.cfg; an unpacked CPython 3.13 then looks for its standard library beside
    ``dest`` and fails with "No module named 'encodings'". Through ``exec`` the interpreter
    reports its real location, and virtualenv builds the environment from that.
    """
    link = dest / wanted.executable_name
    quoted = "'" + str(target).replace("'", "'\\''") + "'"
    text = (f"#!/bin/sh\n# {wanted.name}: written by taskbench.interpreters\n"
            f'exec {quoted} "$@"\n')
    if (not link.is_symlink() and link.is_file() and os.access(link, os.X_OK)
            and link.read_text(encoding="utf-8", errors="replace") == text):
        return link  # unchanged: a read-only folder that is up to date still serves
    try:
        if link.is_symlink():
            link.unlink()
        files.write_text(link, text, mode=0o755)
    except OSError as error:  # named by the executable, not by the temporary file
        raise OSError(error.errno, error.strerror, str(link)) from None
    return link


def newest_pyenv_release(pyenv_root: Path, name: str) -> Path | None:
    """The newest pyenv install of minor version ``name`` (``"3.8"``), as its pythonX.Y."""
    major_minor = name.split(".")
    best = None
    versions_dir = pyenv_root / "versions"
    if not versions_dir.is_dir():
        return None
    for candidate in versions_dir.iterdir():
        match = _RELEASE_DIR.match(candidate.name)
        if not match or [match.group(1), match.group(2)] != major_minor:
            continue
        executable = candidate / "bin" / f"python{name}"
        if executable.exists() and (best is None or int(match.group(3)) > best[0]):
            best = (int(match.group(3)), executable)
    return best[1] if best else None


def pyenv_root() -> Path | None:
    if os.environ.get("PYENV_ROOT"):
        return Path(os.environ["PYENV_ROOT"])
    pyenv = shutil.which("pyenv")
    if pyenv is None:
        return None
    result = subprocess.run([pyenv, "root"], capture_output=True, text=True, check=False)
    return Path(result.stdout.strip()) if result.returncode == 0 else None


def from_pyenv(wanted: Wanted, dest: Path, root: Path | None, **_: object) -> Outcome:
    """pyenv's CPython: the newest release of the version pyenv has built."""
    if root is None:
        return Outcome(wanted.name, "pyenv", problem="pyenv is not installed")
    target = newest_pyenv_release(root, wanted.version)
    if target is None:
        return Outcome(wanted.name, "pyenv",
                       problem=f"pyenv has no {wanted.version}.x under {root}/versions "
                               f"(`pyenv install {wanted.version}` adds it)")
    return Outcome(wanted.name, "pyenv", link_executable(dest, wanted, target))


def _is_debian_package(path: Path) -> bool:
    dpkg = shutil.which("dpkg")
    if dpkg is None:
        return False
    owner = subprocess.run([dpkg, "-S", str(path)], capture_output=True, text=True,
                           check=False)
    return owner.returncode == 0


def from_path(wanted: Wanted, dest: Path, **_: object) -> Outcome:
    """A free-threaded build: whatever provides ``python3.Xt`` on PATH (outside ``dest``)."""
    search = os.pathsep.join(entry for entry in os.environ.get("PATH", "").split(os.pathsep)
                             if entry and Path(entry).resolve() != dest.resolve())
    found = shutil.which(wanted.executable_name, path=search)
    if found:
        return Outcome(wanted.name, "PATH", link_executable(dest, wanted, Path(found)))
    return Outcome(wanted.name, "free-threaded", problem=(
        f"no {wanted.executable_name} on this machine: Debian and pyenv here ship no "
        "free-threaded build; CI runners install one with actions/setup-python"))


def from_debian(wanted: Wanted, dest: Path, cache: Path, offline: bool, **_: object
                ) -> Outcome:
    """Debian's CPython: the system's own package, else sid's, unpacked and patched."""
    system = Path(f"/usr/bin/python{wanted.version}")
    if system.exists() and _is_debian_package(system):
        return Outcome(wanted.name, "Debian (system package)",
                       link_executable(dest, wanted, system))
    packages = [f"python{wanted.version}-minimal", f"libpython{wanted.version}-minimal",
                f"libpython{wanted.version}-stdlib"]
    return _from_sid(wanted, dest, cache, offline, packages,
                     Path("usr") / "bin" / f"python{wanted.version}")


def _from_sid(wanted: Wanted, dest: Path, cache: Path, offline: bool, packages: list[str],
              executable_path: Path) -> Outcome:
    source = f"Debian {DEVELOPMENT_SUITE} (unpacked, patched)"
    patchelf = debian.patchelf()
    if patchelf is None:
        return Outcome(wanted.name, source, problem="patchelf is not installed")
    try:
        root = debian.fetch(DEVELOPMENT_SUITE, packages, cache / f"{DEVELOPMENT_SUITE}-root",
                            cache / f"apt-{DEVELOPMENT_SUITE}", offline=offline)
        executable = root / executable_path
        if not executable.exists():
            raise ProvisionError(f"Debian {DEVELOPMENT_SUITE}'s {packages[0]} holds no "
                                 f"{executable_path}")
    except ProvisionError as error:
        return Outcome(wanted.name, source, problem=str(error))
    # From here a failure is the unpacked copy's: provision clears the entry.
    entry = CacheEntry(root, tuple(packages))
    try:
        debian.patch_for_private_glibc(executable, root, patchelf)
    except ProvisionError as error:
        return Outcome(wanted.name, source, problem=str(error), cache=entry)
    return Outcome(wanted.name, source, link_executable(dest, wanted, executable), cache=entry)


def from_pypy(wanted: Wanted, dest: Path, cache: Path, offline: bool, **_: object
              ) -> Outcome:
    """Debian's PyPy implementing ``wanted.version``: installed, else the system suite's
    package unpacked, else sid's, unpacked with its glibc and patched."""
    executable_path = Path("usr") / "bin" / f"pypy{wanted.version}"
    installed = Path("/") / executable_path
    if installed.exists() and _is_debian_package(installed):
        return Outcome(wanted.name, "Debian pypy3 (system package)",
                       link_executable(dest, wanted, installed))
    suite = debian.system_suite()
    source = f"Debian {suite} pypy3 (unpacked)"
    patchelf = debian.patchelf()
    if patchelf is None:
        return Outcome(wanted.name, source, problem="patchelf is not installed")
    try:
        # The system suite's pypy3 runs on the system's own libraries; only libpypy3-c
        # comes with it.
        root = debian.fetch(suite, ["pypy3", "pypy3-lib"], cache / "pypy-root",
                            cache / f"apt-{suite}", with_dependencies=False, offline=offline)
        executable = root / executable_path
        if not executable.exists():
            raise ProvisionError(f"Debian {suite}'s pypy3 does not implement Python "
                                 f"{wanted.version}")
        debian.set_rpath(executable, debian.library_dirs(root), patchelf)
    except ProvisionError as error:
        # Not this suite's version (or not reachable): sid's pypy3 may implement it.
        newer = _from_sid(wanted, dest, cache, offline, ["pypy3", "pypy3-lib"],
                          executable_path)
        if newer.problem is None:
            return newer
        return replace(newer, problem=f"{error}; {newer.problem}")
    return Outcome(wanted.name, source, link_executable(dest, wanted, executable),
                   cache=CacheEntry(root, ("pypy3", "pypy3-lib")))
