"""A stable name and stable details for the machine a run is recorded under.

asv files results under ``results/<machine>/`` and draws one line per distinct machine
description (its name, ``os`` and ``ram`` are graph parameters). Its default name is the host
name, which on rented or virtual machines changes between boots, so the name here is built
from what stays: operating system, architecture and CPU count (``debian12-x86_64-2cpu``);
``TASKBENCH_MACHINE`` overrides it. The ``os`` string leaves out what changes without
anything users compare changing: the kernel, Ubuntu's and macOS's point releases.
"""

from __future__ import annotations

import os
import platform
import re
from pathlib import Path

from taskbench.jobs.merge import MACHINE_NAME_RULE, valid_machine_name


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


def os_name(release: dict[str, str] | None = None, system: str | None = None) -> str:
    """``Debian GNU/Linux 12 (bookworm)``, ``Ubuntu 24.04 (noble)``, ``macOS 15``, ..."""
    system = system or platform.system()
    if system == "Darwin":
        return f"macOS {platform.mac_ver()[0].split('.')[0] or '?'}"
    if system == "Windows":
        return f"Windows {platform.release()}"
    release = _os_release() if release is None else release
    name = " ".join(filter(None, [release.get("NAME"), release.get("VERSION_ID")]))
    codename = release.get("VERSION_CODENAME")
    return f"{name} ({codename})" if name and codename else name or system


def _own_name(release: dict[str, str], arch: str | None, num_cpu: int | None) -> str:
    system = (release.get("ID", "") + release.get("VERSION_ID", "")) or platform.system()
    arch = arch or platform.machine() or "unknown"
    num_cpu = num_cpu or os.cpu_count() or 1
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", f"{system}-{arch}-{num_cpu}cpu").lower()


def machine_name(os_release: dict[str, str] | None = None, arch: str | None = None,
                 num_cpu: int | None = None) -> str:
    """``<os id><version>-<arch>-<n>cpu``, or ``$TASKBENCH_MACHINE`` when it is set.

    Raises:
        ValueError: when ``TASKBENCH_MACHINE`` is not a plain folder name or is too long.
    """
    release = _os_release() if os_release is None else os_release
    override = os.environ.get("TASKBENCH_MACHINE", "").strip()
    if not override:
        return _own_name(release, arch, num_cpu)
    if not valid_machine_name(override):
        shown = repr(override) if len(override) <= 80 else (
            f"{override[:40]!r}... ({len(override)} characters)")
        raise ValueError(f"TASKBENCH_MACHINE={shown} is not {MACHINE_NAME_RULE}: set another "
                         "(TASKBENCH_MACHINE=my-box make bench), or unset it for this "
                         f"machine's own name, {_own_name(release, arch, num_cpu)}")
    return override


def details() -> dict[str, str]:
    """The fields ``asv machine`` records, each given explicitly (ValueError: bad name)."""
    release = _os_release()
    return {
        "machine": machine_name(release),
        "os": os_name(release),
        "arch": platform.machine() or "unknown",
        "cpu": _cpu_model(),
        "num_cpu": str(os.cpu_count() or 1),
        "ram": _ram(),
    }
