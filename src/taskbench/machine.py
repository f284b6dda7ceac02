"""A stable name and explicit details for the machine a run is recorded under.

asv files results under ``results/<machine>/``. Its default name is the host name, which on
rented or virtual machines says nothing and changes between boots, so results of one kind of
machine would scatter. The name here is built from what stays: operating system, architecture
and CPU count (``debian12-x86_64-2cpu``); ``TASKBENCH_MACHINE`` overrides it.
"""

from __future__ import annotations

import os
import platform
import re
from pathlib import Path


def _os_release(path: Path = Path("/etc/os-release")) -> dict[str, str]:
    fields: dict[str, str] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return fields
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            fields[key.strip()] = value.strip().strip('"')
    return fields


def _cpu_model(path: Path = Path("/proc/cpuinfo")) -> str:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return platform.processor() or "unknown"
    match = re.search(r"^model name\s*:\s*(.+)$", text, re.MULTILINE)
    return match.group(1).strip() if match else (platform.processor() or "unknown")


def _ram(path: Path = Path("/proc/meminfo")) -> str:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return "unknown"
    match = re.search(r"^MemTotal:\s*(\d+)\s*kB", text, re.MULTILINE)
    return f"{int(match.group(1)) // (1024 * 1024)}GB" if match else "unknown"


def machine_name(os_release: dict[str, str] | None = None, arch: str | None = None,
                 num_cpu: int | None = None) -> str:
    """``<os id><version>-<arch>-<n>cpu``, or ``$TASKBENCH_MACHINE`` when it is set."""
    override = os.environ.get("TASKBENCH_MACHINE", "").strip()
    if override:
        return override
    release = _os_release() if os_release is None else os_release
    system = (release.get("ID", "") + release.get("VERSION_ID", "")) or platform.system()
    arch = arch or platform.machine() or "unknown"
    num_cpu = num_cpu or os.cpu_count() or 1
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", f"{system}-{arch}-{num_cpu}cpu").lower()


def machine_details() -> dict[str, str]:
    """The fields ``asv machine`` records, each given explicitly."""
    release = _os_release()
    system = release.get("PRETTY_NAME") or platform.system()
    return {
        "machine": machine_name(release),
        # No kernel version: asv draws one line per distinct machine description, and the
        # kernel of a rented machine changes without anything users compare changing.
        "os": system,
        "arch": platform.machine() or "unknown",
        "cpu": _cpu_model(),
        "num_cpu": str(os.cpu_count() or 1),
        "ram": _ram(),
    }
