"""Facts about the machine taskbench runs on that more than one part of it reads.

``/etc/os-release`` names the system (the machine's name for its results, and Debian's suite
for the interpreters it downloads); the user's cache holds what is downloaded once and kept
(interpreters, npm tarballs).

A machine's name says what kind of machine it is (``debian12-x86_64-2cpu``); the same kind is
handed different hosts, and timings move with the host. :func:`fingerprint` says which host a
run had: the CPU (model, family, model and stepping, the features that decide which code runs,
its caches), the kernel and whether it is virtual, read from ``/proc/cpuinfo``, ``/sys`` and
``platform``. A field that cannot be read is ``unknown`` and named in ``unreadable`` with the
reason; reading never fails. :func:`host_id` names a host by what decides its speed, for the
history (docs/hosts.md). :func:`reference_seconds` times a fixed pure-Python workload on one
interpreter: a change of host shows in it even where two fingerprints look the same. Written
here rather than taken from a library: py-cpuinfo runs a CPUID probe in a subprocess and
reports neither the kernel nor the caches from ``/sys``; these are a few files to read.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

OS_RELEASE = Path("/etc/os-release")
CPUINFO = Path("/proc/cpuinfo")
CPU_CACHES = Path("/sys/devices/system/cpu/cpu0/cache")
UNKNOWN = "unknown"
# CPU features that change which code runs: glibc's string functions and the interpreters
# choose by them (the x86-64 levels, ERMS and FSRM for copies, AVX-512), as does valgrind's
# CPU; as /proc/cpuinfo names them ("abm" is LZCNT, "pni" SSE3).
DECISIVE_FEATURES = (
    "sse2", "pni", "ssse3", "sse4_1", "sse4_2", "popcnt", "cx16", "avx", "avx2", "fma", "f16c",
    "bmi1", "bmi2", "abm", "movbe", "xsave", "xsavec", "erms", "fsrm", "rtm", "rdrand",
    "rdseed", "sha_ni", "aes", "vaes", "avx512f", "avx512bw", "avx512cd", "avx512dq",
    "avx512vl", "asimd", "sve", "sve2")
# The x86-64 micro-architecture levels, each by the features it adds (v1 is every x86-64).
X86_LEVELS = (("x86-64-v2", ("cx16", "pni", "ssse3", "sse4_1", "sse4_2", "popcnt")),
              ("x86-64-v3", ("avx", "avx2", "bmi1", "bmi2", "f16c", "fma", "abm", "movbe",
                             "xsave")),
              ("x86-64-v4", ("avx512f", "avx512bw", "avx512cd", "avx512dq", "avx512vl")))
# What names a host: what decides its speed and the code it runs. Not the microcode, the
# C library or the clock (they are recorded, and change on one host).
IDENTITY = ("arch", "vendor", "cpu_model", "family", "model", "stepping", "features",
            "caches", "cpus", "kernel", "virtual")
# What asv's cpu field says of a run from before hosts were recorded (the site's copy only).
UNKNOWN_HOST = "unknown host (recorded before hosts were)"
_NAMED = re.compile(r"\(host (h[0-9a-f]{8})\)$")
REFERENCE_WORKLOAD = "reference-1"  # the workload below; a new one gets a new name
REFERENCE_ROUNDS = 500_000  # about a second of CPU time on this project's machines


class HostError(Exception):
    """The reference workload could not be timed; the message says why."""


def os_release(path: Path = OS_RELEASE) -> dict[str, str]:
    """The fields of os-release (``ID``, ``VERSION_ID``, ``VERSION_CODENAME`` ...), unquoted;
    none where the file cannot be read (not Linux)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    fields: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            fields[key.strip()] = value.strip().strip('"')
    return fields


def cache_dir(kind: str) -> Path:
    """``~/.cache/taskbench/<kind>`` (``$XDG_CACHE_HOME`` when it is set)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "taskbench" / kind


def _first_cpu(path: Path) -> dict[str, str]:
    """The first processor's ``key: value`` lines of /proc/cpuinfo (OSError if unreadable)."""
    fields: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if not line.strip() and fields:
            break
        key, sep, value = line.partition(":")
        if sep:
            fields.setdefault(key.strip(), value.strip())
    return fields


def _cpu_fields(path: Path, unreadable: dict[str, str]) -> dict[str, Any]:
    try:
        info = _first_cpu(path)
    except OSError as error:
        info = {}
        unreadable["cpuinfo"] = f"{path}: {error.strerror or error}"
    names = {"vendor": ("vendor_id", "CPU implementer"), "cpu_model": ("model name", "Processor"),
             "family": ("cpu family", "CPU architecture"), "model": ("model", "CPU part"),
             "stepping": ("stepping", "CPU revision"), "microcode": ("microcode",)}
    fields: dict[str, Any] = {}
    for field, keys in names.items():
        found = next((info[key] for key in keys if info.get(key)), None)
        if found is None and field == "cpu_model":
            found = platform.processor() or None
        if found is None:
            unreadable.setdefault(field, f"not in {path}")
        fields[field] = found or UNKNOWN
    flags = (info.get("flags") or info.get("Features") or "").split()
    if flags:
        fields["features"] = [name for name in DECISIVE_FEATURES if name in flags]
        fields["isa_level"] = _x86_level(flags) if "sse2" in flags else UNKNOWN
        fields["virtual"] = "yes" if "hypervisor" in flags else "no"
    else:
        fields.update(features=UNKNOWN, isa_level=UNKNOWN, virtual=UNKNOWN)
        for field in ("features", "isa_level", "virtual"):
            unreadable.setdefault(field, f"no flags in {path}")
    return fields


def _x86_level(flags: list[str]) -> str:
    level = "x86-64-v1"
    for name, needed in X86_LEVELS:
        if not all(flag in flags for flag in needed):
            break
        level = name
    return level


def _caches(folder: Path, unreadable: dict[str, str]) -> dict[str, str] | str:
    """Every cache of the first CPU by level and type (``L1d``, ``L1i``, ``L2``, ``L3``)."""
    caches: dict[str, str] = {}
    try:
        for index in sorted(folder.glob("index*")):
            level = (index / "level").read_text().strip()
            kind = (index / "type").read_text().strip()
            suffix = {"Data": "d", "Instruction": "i"}.get(kind, "")
            caches[f"L{level}{suffix}"] = (index / "size").read_text().strip()
    except OSError as error:
        unreadable["caches"] = f"{error.filename or folder}: {error.strerror or error}"
        return UNKNOWN
    if not caches:
        unreadable["caches"] = f"{folder} lists no caches"
        return UNKNOWN
    return caches


def fingerprint(cpuinfo: Path = CPUINFO, caches: Path = CPU_CACHES) -> dict[str, Any]:
    """Which host this is (see the module docstring); never raises."""
    unreadable: dict[str, str] = {}
    found: dict[str, Any] = {"arch": platform.machine() or UNKNOWN}
    found.update(_cpu_fields(cpuinfo, unreadable))
    found["caches"] = _caches(caches, unreadable)
    found["cpus"] = str(os.cpu_count() or UNKNOWN)
    found["kernel"] = platform.release() or UNKNOWN
    libc, version = platform.libc_ver()
    found["libc"] = f"{libc} {version}" if libc else UNKNOWN
    for field in ("arch", "cpus", "kernel", "libc"):
        if found[field] == UNKNOWN:
            unreadable[field] = "platform does not say"
    found["unreadable"] = unreadable
    return found


def host_id(found: dict[str, Any]) -> str:
    """A short name for the host a fingerprint describes: the same for two fingerprints
    that agree on :data:`IDENTITY`, and another as soon as one of those differs."""
    identity = json.dumps({field: found.get(field, UNKNOWN) for field in IDENTITY},
                          sort_keys=True)
    return "h" + hashlib.sha256(identity.encode("utf-8")).hexdigest()[:8]


def host_label(found: dict[str, Any]) -> str:
    """The CPU model and the host's name, as asv's ``cpu`` field and the site show it."""
    return f"{found.get('cpu_model', UNKNOWN)} (host {host_id(found)})"


def named_host(label: object) -> str | None:
    """The host's name in asv's ``cpu`` field (:func:`host_label`), or None where it names
    none (a run from before hosts were recorded)."""
    found = _NAMED.search(label) if isinstance(label, str) else None
    return found.group(1) if found else None


def describe(found: dict[str, Any]) -> str:
    """One line saying what the fingerprint says, unknowns named."""
    caches = found.get("caches")
    parts = [f"{found.get('cpu_model', UNKNOWN)} (family {found.get('family', UNKNOWN)}, model "
             f"{found.get('model', UNKNOWN)}, stepping {found.get('stepping', UNKNOWN)})",
             str(found.get("isa_level", UNKNOWN)),
             " ".join(f"{k} {v}" for k, v in caches.items()) if isinstance(caches, dict)
             else f"caches {UNKNOWN}",
             f"{found.get('cpus', UNKNOWN)} CPUs", f"kernel {found.get('kernel', UNKNOWN)}",
             f"virtual: {found.get('virtual', UNKNOWN)}"]
    unreadable = found.get("unreadable") or {}
    if unreadable:
        parts.append("unreadable: " + "; ".join(f"{k} ({v})" for k, v in unreadable.items()))
    return ", ".join(parts)


def reference_workload(rounds: int) -> int:
    """Pure-Python work of a fixed shape (lists, sorting, dicts, formatting, arithmetic),
    whose result checks that every round ran. Changing it changes every reference figure:
    give it a new :data:`REFERENCE_WORKLOAD` then."""
    checksum = 0
    table: dict[int, int] = {}
    for i in range(rounds):
        items = [(i * 7919 + j * 104729) % 1009 for j in range(16)]
        items.sort()
        table[items[3]] = table.get(items[3], 0) + 1
        checksum = (checksum * 31 + sum(items) + len(f"{i}:{items[0]}")) % 1_000_000_007
    return (checksum + len(table)) % 1_000_000_007


_CHILD = ("import sys, time; from taskbench.host import reference_workload as w; "
          "n = int(sys.argv[1]); s = time.process_time(); c = w(n); "
          "print(time.process_time() - s, c)")


def _reference_run(rounds: int, python: str) -> tuple[float, int]:
    """The reference workload's CPU seconds in a fresh process of ``python``, and its
    result (HostError when the process fails or says something else)."""
    try:
        done = subprocess.run([python, "-I", "-c", _CHILD, str(rounds)], capture_output=True,
                              text=True, check=False)
    except OSError as error:
        raise HostError(f"the reference workload could not start {python}: {error}") from None
    try:
        seconds, checksum = done.stdout.split()
        result = (float(seconds), int(checksum))
    except ValueError:
        result = (0.0, -1)
    if done.returncode != 0 or result[0] <= 0:
        said = (done.stderr.strip() or done.stdout.strip())[-400:]
        raise HostError(f"the reference workload failed in {python} (status "
                        f"{done.returncode}): {said or 'no output'}")
    return result


def reference_seconds(rounds: int = REFERENCE_ROUNDS, python: str = sys.executable) -> float:
    """CPU seconds the reference workload (:data:`REFERENCE_WORKLOAD`) takes in a fresh
    process of ``python``, start-up left out; by default this interpreter, the tools venv's,
    the same on every host of a kind.

    Raises:
        HostError: when the process cannot start, fails, or reports no time.
    """
    return _reference_run(rounds, python)[0]
