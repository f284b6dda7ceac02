"""The build families of interpreters, one record each: every part of taskbench reads a
family's facts here.

A family is how an interpreter came to be: pyenv's CPython built from source, Debian's
CPython, a free-threaded CPython, PyPy. Its record holds the name it goes by in
``asv.conf.json`` (a pattern around the version), the command asv's virtualenv plugin runs,
where :mod:`taskbench.interpreters.provision` gets it (a function of
:mod:`taskbench.interpreters.sources`), what it implements, its noise group in the run's
model, its place among the builds of one version and in the answer chart, how the charts
draw it, and whether the precision targets hold it. Adding a family is one record here
(with its source function, if it comes from somewhere new, and its names in the
configuration).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Tuple

# matplotlib's line style: a name, or (offset, (on, off, ...)).
LineStyle = Any
Look = Tuple[LineStyle, str, str]  # line style, marker, what the chart's key calls it


@dataclass(frozen=True)
class Family:
    """One build family (see the module docstring)."""

    key: str
    pattern: str  # the configured name, around "{version}" (3.X)
    command: str  # asv's command for a name, around "{name}"
    source: str  # the function of interpreters.sources that provides one
    implementation: str  # what sys.implementation says: "CPython" or "PyPy"
    noise_group: str  # which spread of noise it shares in the run's model
    build_rank: int  # among the builds of one version: pyenv's first
    chart_rank: int  # down the answer chart
    look: Look
    look_with_settings: Look  # a matrix setting on (the JIT)
    held_to_precision: bool  # the precision targets hold it (CPython's builds)
    described: str  # one line of the names' table
    # Build facts the family states that the interpreter cannot show of itself.
    stated_facts: tuple[tuple[str, str], ...] = ()
    # The family whose build of the same version it is compared with (a "build" step).
    built_against: str | None = None

    def name_for(self, version: str) -> str:
        return self.pattern.format(version=version)

    def match(self, name: str) -> str | None:
        """The version in ``name`` if it is one of this family's, else None."""
        regex = re.escape(self.pattern).replace(re.escape("{version}"), r"(\d+\.\d+)")
        found = re.fullmatch(regex, name)
        return found.group(1) if found else None


FAMILIES: tuple[Family, ...] = (
    Family("pyenv", "{version}", "python{name}", "from_pyenv", "CPython", "cpython", 0, 0,
           ("-", "o", "pyenv's build"), ((0, (10.0, 3.0)), "P", "pyenv's build"), True,
           "pyenv's CPython 3.X (built from source: -O3, no PGO, no LTO)"),
    Family("debian", "{version}-debian", "python{name}", "from_debian", "CPython", "cpython",
           1, 1, ((0, (5.0, 2.0)), "s", "Debian's build"),
           ((0, (5.0, 2.0, 1.0, 2.0)), "D", "Debian's build"), True,
           "Debian's CPython 3.X (PGO and LTO)",
           # Debian's changelog: "Enable LTO/PGO builds" (amd64, arm64), and "Don't
           # propagate lto flags to the _sysconfigdata module": sysconfig cannot show them.
           (("pgo", "yes (Debian's packaging)"), ("lto", "yes (Debian's packaging)")),
           built_against="pyenv"),
    Family("free-threaded", "{version}t", "python{name}", "from_path", "CPython", "cpython",
           2, 2, ((0, (8.0, 2.0, 1.0, 2.0, 1.0, 2.0)), "v", "free-threaded build"),
           ((0, (3.0, 1.0, 3.0, 1.0, 1.0, 1.0)), "X", "free-threaded build"), True,
           "a free-threaded CPython 3.X, where the machine has one"),
    Family("pypy", "pypy{version}", "{name}", "from_pypy", "PyPy", "pypy", 0, 3,
           ((0, (1.0, 1.5)), "^", "PyPy"), ((0, (1.0, 1.0, 4.0, 1.0)), "<", "PyPy"), False,
           "PyPy implementing Python 3.X, from Debian's ``pypy3``"),
)
BY_KEY = {family.key: family for family in FAMILIES}
# Implementations in the order views show them: every CPython before any PyPy.
IMPLEMENTATIONS = ("CPython", "PyPy")
