"""The naming scheme of ``pythons`` entries, the commands asv runs for them, and their order."""

from __future__ import annotations

import random

import pytest

from taskbench.interpreters.names import SCHEME, executable_name, interpreter_order, parse_name


@pytest.mark.parametrize("name, version, family, executable", [
    ("3.8", "3.8", "pyenv", "python3.8"),
    ("3.10", "3.10", "pyenv", "python3.10"),
    ("3.11-debian", "3.11", "debian", "python3.11-debian"),
    ("3.15-debian", "3.15", "debian", "python3.15-debian"),
    ("3.14t", "3.14", "free-threaded", "python3.14t"),
    ("pypy3.9", "3.9", "pypy", "pypy3.9"),
    ("pypy3.10", "3.10", "pypy", "pypy3.10"),
])
def test_names_follow_one_scheme(name: str, version: str, family: str,
                                 executable: str) -> None:
    wanted = parse_name(name)
    assert (wanted.name, wanted.version, wanted.family) == (name, version, family)
    assert wanted.executable_name == executable_name(name) == executable


@pytest.mark.parametrize("name", [
    "3", "python3.8", "3.8.1", "3.11-ubuntu", "3.14t-debian", "pypy", "pypy3.9t", "3.11 debian",
    " 3.8", "", "3.9x",
    "3.8\n",
])
def test_unknown_names_are_refused_with_the_scheme(name: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_name(name)
    assert repr(name) in str(raised.value)
    assert SCHEME in str(raised.value)


@pytest.mark.parametrize("earlier, later", [
    ("3.8", "3.10"),                         # by version, not by text
    ("3.9", "3.10"),
    ("3.8-debian", "3.10"),                  # the version decides before the family
    ("3.14", "3.14-debian"),                 # pyenv's build before Debian's
    ("3.14-debian", "3.14t"),                # free-threaded after both
    ("3.14", "3.14 PYTHON_JIT=1"),           # a JIT variant after its base
    ("3.14-debian", "3.14-debian PYTHON_JIT=1"),
    ("3.14-debian PYTHON_JIT=1", "3.15"),    # ... and before the next version
    ("3.15-debian", "pypy3.9"),              # PyPy after every CPython
    ("pypy3.9", "pypy3.10"),
    ("pypy3.10", "not-a-python"),            # anything unrecognised last
])
def test_interpreters_are_ordered_by_version_then_build(earlier: str, later: str) -> None:
    assert interpreter_order(earlier) < interpreter_order(later)


def test_a_whole_list_sorts_into_the_documented_order() -> None:
    expected = ["3.8", "3.8-debian", "3.9", "3.10", "3.13", "3.13-debian", "3.13t",
                "3.14", "3.14-debian", "3.14-debian PYTHON_JIT=1", "3.14t", "3.15-debian",
                "pypy3.9", "pypy3.10"]
    for seed in range(5):
        shuffled = list(expected)
        random.Random(seed).shuffle(shuffled)
        assert sorted(shuffled, key=interpreter_order) == expected
