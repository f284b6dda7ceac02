"""How the running interpreter was built: the facts a version comparison must not mix up.

Measured here with the same workload, Debian's own CPython 3.11 (built with PGO and LTO) made
about 30% more tasks per second than pyenv's 3.11 (-O3, no PGO): the build family matters as
much as the version. The facts also name the CPU clock every timed figure reads and its tick
as observed (:mod:`taskbench.workloads.clock`): asv's results keep only a benchmark's samples,
so this is where a figure's clock is recorded. Run as a script by any interpreter, it prints
one JSON object; it uses only the standard library and runs on Python 3.8 and PyPy.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import sysconfig
from typing import Any

if __name__ == "__main__" and __package__ in (None, ""):
    # Run as a script by an interpreter taskbench is not installed in: its own source first.
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__)))))

from taskbench.workloads.clock import clock_facts  # noqa: E402  (after the path, above)


def _config(name: str) -> str:
    value = sysconfig.get_config_var(name)
    return "" if value is None else str(value)


def _jit() -> str:
    """``on``, ``available, off``, ``not built`` or ``n/a`` (no CPython JIT at all)."""
    jit = getattr(sys, "_jit", None)
    if jit is not None:
        if not jit.is_available():
            return "not built"
        return "on" if jit.is_enabled() else "available, off"
    if "--enable-experimental-jit" in _config("CONFIG_ARGS"):
        return "built"
    return "n/a" if platform.python_implementation() == "CPython" else "pypy jit"


def _gil() -> str:
    if _config("Py_GIL_DISABLED") in ("1", "True"):
        enabled = getattr(sys, "_is_gil_enabled", lambda: True)()
        return "free-threaded, GIL on" if enabled else "free-threaded"
    return "GIL"


def _recorded(flag_in_config: bool, flag_in_cflags: bool, config_args: str) -> str:
    """``yes`` when sysconfig shows the option, ``no`` when it shows a configure line without
    it, ``unknown`` when there is no configure line (PyPy, some distributions).

    Debian builds with PGO and LTO but keeps the flags out of sysconfig on purpose, so for its
    packages :mod:`taskbench.interpreters.provision` records what Debian's packaging does
    instead.
    """
    if flag_in_config or flag_in_cflags:
        return "yes"
    return "no" if config_args else "unknown"


def build_facts() -> dict[str, Any]:
    """The interpreter's version, compiler, optimisation flags, JIT and GIL."""
    config_args = _config("CONFIG_ARGS")
    cflags = " ".join(filter(None, [_config("OPT"), _config("CFLAGS_NODIST"),
                                    _config("PY_CFLAGS_NODIST")]))
    try:
        import _asyncio  # noqa: F401
        c_asyncio = True
    except ImportError:
        c_asyncio = False
    return {
        "implementation": platform.python_implementation(),
        "version": platform.python_version(),
        "executable": sys.executable,
        "compiler": platform.python_compiler(),
        "pgo": _recorded("--enable-optimizations" in config_args, "-fprofile-use" in cflags,
                         config_args),
        "lto": _recorded("--with-lto" in config_args, "-flto" in cflags, config_args),
        # gcc obeys the last -O flag it is given.
        "optimisation": ([flag for flag in cflags.split() if flag.startswith("-O")] or [""])[-1],
        "jit": _jit(),
        "gil": _gil(),
        "c_asyncio": c_asyncio,
        "config_args": config_args,
        **clock_facts(),
    }


if __name__ == "__main__":
    print(json.dumps(build_facts(), sort_keys=True))
