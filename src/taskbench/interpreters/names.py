"""The names interpreters go by, in ``asv.conf.json``, on PATH and in every view.

Each build family (:mod:`taskbench.interpreters.families`) has its pattern around the
version: ``3.X`` (pyenv's CPython), ``3.X-debian`` (Debian's), ``3.Xt`` (free-threaded),
``pypy3.X`` (PyPy). asv's virtualenv plugin looks for the family's command on PATH
(``python<name>``, ``pypy<version>`` for PyPy).
"""

from __future__ import annotations

from dataclasses import dataclass

from taskbench.interpreters.families import BY_KEY, FAMILIES, IMPLEMENTATIONS, Family

SCHEME = " or ".join(f"{family.name_for('3.X')} ({family.key})" for family in FAMILIES)


@dataclass(frozen=True)
class Wanted:
    """A configured name, parsed: ``3.14-debian`` is version 3.14 of the debian family."""

    name: str
    version: str
    family: str  # a key of families.FAMILIES

    @property
    def executable_name(self) -> str:
        return executable_name(self.name)

    @property
    def record(self) -> Family:
        return BY_KEY[self.family]


def parse_name(name: str) -> Wanted:
    """Parse a ``pythons`` entry, or raise ValueError saying which names are understood."""
    for family in FAMILIES:
        version = family.match(name)
        if version is not None:
            return Wanted(name, version, family.key)
    raise ValueError(f"{name!r} is not an interpreter name taskbench knows; use {SCHEME}")


def executable_name(name: str) -> str:
    """The command asv's virtualenv plugin runs for a ``pythons`` entry."""
    return parse_name(name).record.command.format(name=name)


def parse_environment(environment: str) -> tuple[Wanted | None, str]:
    """An environment as views show it (``3.14-debian PYTHON_JIT=1``): its interpreter, or
    None for a name outside the scheme, and its matrix settings (``PYTHON_JIT=1``)."""
    name, _, settings = environment.partition(" ")
    try:
        return parse_name(name), settings
    except ValueError:
        return None, settings


def family_of(environment: str) -> Family | None:
    """The build family of an environment as views show it; None outside the scheme."""
    wanted, _ = parse_environment(environment)
    return wanted.record if wanted is not None else None


def interpreter_order(environment: str) -> tuple[object, ...]:
    """Sort key for interpreters as views show them: CPython, PyPy, then any other
    implementation; within one, by version, the builds of one version in their families'
    order, matrix settings last; names outside the scheme at the end."""
    wanted, settings = parse_environment(environment)
    if wanted is None:
        return (len(IMPLEMENTATIONS) + 1, 0, 0, 0, environment, "")
    major, minor = (int(part) for part in wanted.version.split("."))
    record = wanted.record
    implementation = IMPLEMENTATIONS.index(record.implementation) \
        if record.implementation in IMPLEMENTATIONS else len(IMPLEMENTATIONS)
    return (implementation, major, minor, record.build_rank, "", settings)


def noise_group(environment: str) -> str:
    """Which interpreters share one spread of noise in the run's model (their family's:
    CPython's builds, or PyPy's, whose JIT warms up differently in every process); names
    outside the scheme are grouped with CPython."""
    family = family_of(environment)
    return family.noise_group if family is not None else BY_KEY["pyenv"].noise_group


def held_to_precision(environment: str) -> bool:
    """Whether the precision targets hold an interpreter (its family says; names outside
    the scheme are not held)."""
    family = family_of(environment)
    return family is not None and family.held_to_precision
