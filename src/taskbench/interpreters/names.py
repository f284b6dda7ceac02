"""The names interpreters go by, in ``asv.conf.json``, on PATH and in every view.

=================  ===========================================================
``3.X``            pyenv's CPython 3.X (built from source: -O3, no PGO, no LTO)
``3.X-debian``     Debian's CPython 3.X (PGO and LTO)
``3.Xt``           a free-threaded CPython 3.X, where the machine has one
``pypy3.X``        PyPy implementing Python 3.X, from Debian's ``pypy3``
=================  ===========================================================

asv's virtualenv plugin looks for ``python<name>`` on PATH (``pypy<version>`` for PyPy).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NAME = re.compile(r"^(?:(?P<pypy>pypy)(?P<pypy_version>\d+\.\d+)|"
                   r"(?P<version>\d+\.\d+)(?P<variant>t|-debian)?)$")
SCHEME = "3.X (pyenv), 3.X-debian (Debian's build), 3.Xt (free-threaded) or pypy3.X"


@dataclass(frozen=True)
class Wanted:
    """A configured name, parsed: ``3.14-debian`` is version 3.14 of the debian family."""

    name: str
    version: str
    family: str  # "pyenv", "debian", "free-threaded" or "pypy"

    @property
    def executable_name(self) -> str:
        return executable_name(self.name)


def parse_name(name: str) -> Wanted:
    """Parse a ``pythons`` entry, or raise ValueError saying which names are understood."""
    match = _NAME.fullmatch(name)
    if not match:
        raise ValueError(f"{name!r} is not an interpreter name taskbench knows; use {SCHEME}")
    if match.group("pypy"):
        return Wanted(name, match.group("pypy_version"), "pypy")
    family = {None: "pyenv", "t": "free-threaded", "-debian": "debian"}[match.group("variant")]
    return Wanted(name, match.group("version"), family)


def executable_name(name: str) -> str:
    """The command asv's virtualenv plugin runs for a ``pythons`` entry."""
    return name if name.startswith("pypy") else f"python{name}"


def parse_environment(environment: str) -> tuple[Wanted | None, str]:
    """An environment as views show it (``3.14-debian PYTHON_JIT=1``): its interpreter, or
    None for a name outside the scheme, and its matrix settings (``PYTHON_JIT=1``)."""
    name, _, settings = environment.partition(" ")
    try:
        return parse_name(name), settings
    except ValueError:
        return None, settings


# Within one version: pyenv's build, then Debian's, then a free-threaded one.
FAMILY_ORDER = {"pyenv": 0, "debian": 1, "free-threaded": 2, "pypy": 0}


def interpreter_order(environment: str) -> tuple[object, ...]:
    """Sort key for interpreters as views show them: by version, pyenv's build before
    Debian's, free-threaded after, matrix settings last, PyPy after CPython, and names
    outside the scheme at the end."""
    wanted, settings = parse_environment(environment)
    if wanted is None:
        return (2, 0, 0, 0, environment, "")
    major, minor = (int(part) for part in wanted.version.split("."))
    return (1 if wanted.family == "pypy" else 0, major, minor, FAMILY_ORDER[wanted.family],
            "", settings)


def noise_group(environment: str) -> str:
    """Which interpreters share one spread of noise in the run's model: CPython's builds,
    or PyPy's (its JIT warms up differently in every process); names outside the scheme
    are grouped with CPython."""
    wanted, _ = parse_environment(environment)
    return "pypy" if wanted is not None and wanted.family == "pypy" else "cpython"
