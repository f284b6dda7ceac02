"""What a valgrind count runs in, made the same on every host, so that the exact counts of one
interpreter build do not depend on where they were counted.

Two things a host brings moved the counts (measured; docs/hosts.md has the figures):

1. **glibc's choice of string and memory functions.** glibc picks ``memcpy``, ``strlen`` and
   the like at start-up by the CPU's features (ifuncs). Under valgrind it sees valgrind's own
   CPU (an Intel Haswell), which takes some features from the host (AVX, AVX2, BMI, LZCNT,
   F16C, RDRAND, RDSEED), so a host without one of them runs other code: switching one off
   moved 3.10's instructions per task by -0.49% (ERMS) to +1.31% (six of them).
   ``GLIBC_TUNABLES`` pins one choice (:func:`pinned_tunables`): glibc's baseline x86-64
   functions (SSE2, no AVX, no ``rep movsb``), its preferences set both ways, and the cache
   sizes it sizes copies by set to the caches the count simulates.
2. **The memory layout.** Whatever is allocated before the counted phases moves every later
   object, and with it how sets and dicts of tasks (hashed by address) collide: a longer
   path to the interpreter's environment (another checkout) moved 3.13-debian's figure by
   +0.32%, setting ``TZ`` by -0.17%. So the count runs in a fixed environment, ``TZ=UTC``
   included, and runs the interpreter through a root of fixed length (:func:`count_root`):
   ``/tmp/taskbench-count-XXXXXXXX/`` holding ``base`` (a link to the interpreter's
   install), ``env`` (a virtual environment whose ``site-packages`` links to the real one's),
   ``cwd`` (empty, first on ``sys.path`` under ``-m``) and ``pycache``.

What the counts still depend on: the interpreter build and the libraries it loads (glibc's
version among them), valgrind's version, and the kernel (the vDSO code behind
``time.monotonic``, which the event loop calls). This module runs inside the measured
interpreters: standard library only.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import tempfile
from typing import Iterator, Sequence

# Features switched off: everything glibc's x86-64 string functions choose by beyond SSE2.
PINNED_OFF = (
    "AVX", "AVX2", "AVX512F", "AVX512CD", "AVX512BW", "AVX512DQ", "AVX512ER", "AVX512PF",
    "AVX512VL", "BMI1", "BMI2", "ERMS", "FMA", "FMA4", "LZCNT", "MOVBE", "SSSE3", "POPCNT",
    "SSE4_1", "SSE4_2", "RTM", "XSAVEC", "XSAVE", "OSXSAVE")
# glibc's preferences, each set one way whatever the CPU would have it prefer (names a glibc
# does not know are ignored by it: Avoid_STOSB is 2.40's).
PREFERRED_OFF = (
    "Fast_Rep_String", "Fast_Copy_Backward", "Slow_BSF", "Prefer_ERMS", "Prefer_FSRM",
    "Avoid_STOSB", "Slow_SSE4_2", "Prefer_No_AVX512", "Prefer_AVX2_STRCMP",
    "Prefer_No_VZEROUPPER", "Prefer_MAP_32BIT_EXEC", "AVX_Fast_Unaligned_Load",
    "MathVec_Prefer_No_AVX512")
PREFERRED_ON = ("Fast_Unaligned_Load", "Fast_Unaligned_Copy", "Prefer_PMINUB_for_stringop")
# The sizes glibc sizes copies and fills by: caches of a fixed size (32 KiB first level, 8 MiB
# last) whatever the host's, and glibc's own thresholds for such caches.
CACHE_TUNABLES = (
    ("x86_data_cache_size", 0x8000), ("x86_shared_cache_size", 0x800000),
    ("x86_non_temporal_threshold", 0x600000), ("x86_memset_non_temporal_threshold", 0x600000),
    ("x86_rep_movsb_threshold", 0x2000), ("x86_rep_stosb_threshold", 0x800))
# Settings that change what the interpreter runs (an asv matrix sets PYTHON_JIT), kept.
PASS_THROUGH = ("PYTHON_JIT", "PYTHON_GIL")
ROOT_PARENT = "/tmp"  # not $TMPDIR: the root's path must be as long on every host
ROOT_PREFIX = "taskbench-count-"


def pinned_tunables(host_lacks: Sequence[str] = ()) -> str:
    """``GLIBC_TUNABLES`` for a count: one choice of glibc's functions on any x86-64 CPU.

    ``host_lacks`` names features switched off first, as a host without them would lack
    them (how the tests stand in for other hosts); they are switched off by the pin anyway.
    """
    hwcaps = [f"-{name}" for name in (*host_lacks, *PINNED_OFF, *PREFERRED_OFF)]
    hwcaps += list(PREFERRED_ON)
    sizes = [f"glibc.cpu.{name}={value:#x}" for name, value in CACHE_TUNABLES]
    return ":".join([f"glibc.cpu.hwcaps={','.join(hwcaps)}", *sizes])


def environment(pycache: str, tunables: str | None = None) -> dict[str, str]:
    """The whole environment of a count: fixed, but for what changes the interpreter."""
    fixed = {"PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8", "TZ": "UTC", "PYTHONHASHSEED": "0",
             "PYTHONPYCACHEPREFIX": pycache,
             "GLIBC_TUNABLES": pinned_tunables() if tunables is None else tunables}
    fixed.update({name: os.environ[name] for name in PASS_THROUGH if name in os.environ})
    return fixed


_LAYOUT = ("import json, sys, sysconfig; print(json.dumps([sys.prefix, sys.base_prefix, "
           "sysconfig.get_path('purelib'), sysconfig.get_path('platlib')]))")


def _layout(python: str) -> tuple[str, str, str, str] | None:
    """The interpreter's environment, its install, and its site directories; None when it
    cannot say (then it is run where it is)."""
    try:
        found = subprocess.run([python, "-c", _LAYOUT], capture_output=True, text=True,
                               env={"PATH": "/usr/bin:/bin"}, check=True)
        prefix, base, purelib, platlib = json.loads(found.stdout)
    except (OSError, ValueError, subprocess.CalledProcessError):
        return None
    return prefix, base, purelib, platlib


def _link_environment(root: str, python: str) -> str | None:
    """A virtual environment under ``root`` running ``python``'s build with its packages;
    the interpreter to run there, or None when ``python``'s layout is not one to rebuild."""
    layout = _layout(python)
    executable = os.path.realpath(python)
    if layout is None:
        return None
    prefix, base, purelib, platlib = layout
    if not executable.startswith(base.rstrip("/") + "/"):
        return None
    os.symlink(base, os.path.join(root, "base"))
    inside = os.path.join(root, "base", os.path.relpath(executable, base))
    env = os.path.join(root, "env")
    os.makedirs(os.path.join(env, "bin"))
    with open(os.path.join(env, "pyvenv.cfg"), "w", encoding="utf-8") as config:
        config.write(f"home = {os.path.dirname(inside)}\n"
                     "include-system-site-packages = false\n")
    for site in dict.fromkeys((purelib, platlib)):
        relative = os.path.relpath(site, prefix)
        if relative.startswith(".."):
            return None
        os.makedirs(os.path.dirname(os.path.join(env, relative)), exist_ok=True)
        os.symlink(site, os.path.join(env, relative))
    command = os.path.join(env, "bin", "python")
    os.symlink(inside, command)
    return command


@contextlib.contextmanager
def count_root(python: str) -> Iterator[tuple[str, str, str]]:
    """A root of fixed length for one count: the interpreter to run (``python``'s build
    through the root, or ``python`` itself where its layout cannot be rebuilt), an empty
    working directory and a byte-code cache; removed afterwards."""
    root = tempfile.mkdtemp(prefix=ROOT_PREFIX, dir=ROOT_PARENT)
    try:
        command = _link_environment(root, python) or python
        for folder in ("cwd", "pycache"):
            os.mkdir(os.path.join(root, folder))
        yield command, os.path.join(root, "cwd"), os.path.join(root, "pycache")
    finally:
        shutil.rmtree(root, ignore_errors=True)
