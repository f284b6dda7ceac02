"""A stable name and stable details for the machine a run is recorded under.

asv files results under ``results/<machine>/`` and draws one line per distinct machine
description (its name, ``os`` and ``ram`` are graph parameters). Its default name is the host
name, which on rented or virtual machines changes between boots, so the name here is built
from what stays: operating system, architecture and CPU count (``debian12-x86_64-2cpu``);
``TASKBENCH_MACHINE`` overrides it. The ``os`` string leaves out what changes without
anything users compare changing: the kernel, Ubuntu's and macOS's point releases.

One kind of machine is handed different hosts (a GitHub-hosted runner, a ``gha-*`` name, is a
different host each run), and timings move with the host. asv draws a graph line per distinct
``cpu`` too, so ``cpu`` names the host: its CPU model and the name of its fingerprint
(:func:`taskbench.host.host_label`); each host is then a line of its own on every graph, and
asv's regressions compare runs of one host only (docs/hosts.md). The build facts keep the CPU
model too (:func:`cpu_model`), and the run record the whole fingerprint
(:mod:`taskbench.runfacts`).
"""

from __future__ import annotations

import os
import platform
import re
import subprocess
from pathlib import Path
from typing import Any

from taskbench import host

MACHINE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.+-]*")
# A host name's longest label (RFC 1035: asv's default machine name is the host name), and
# well inside the 255 bytes of a file name: the site's folders are named "machine-<name>".
MAX_MACHINE_NAME = 63
MACHINE_NAME_RULE = (f"a plain folder name of at most {MAX_MACHINE_NAME} characters (letters, "
                     "digits, '.', '_', '+', '-'; no '/' or '..')")



def valid_machine_name(name: str) -> bool:
    """One plain folder name (no separator, no ``..``), short enough for the site's paths,
    and not ``benchmarks.json``, the file asv keeps beside the machine folders."""
    # fullmatch: ``$`` would also match before a final newline.
    return (len(name) <= MAX_MACHINE_NAME and bool(MACHINE_NAME.fullmatch(name))
            and ".." not in name and name != "benchmarks.json")


def cpu_model(path: Path = Path("/proc/cpuinfo")) -> str:
    """The CPU's model name: /proc/cpuinfo's, macOS's brand string, or ``platform``'s."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        text = ""
    match = re.search(r"^model name\s*:\s*(.+)$", text, re.MULTILINE)
    if match:
        return match.group(1).strip()
    if platform.system() == "Darwin":
        try:
            found = subprocess.run(["sysctl", "-n", "machdep.cpu.brand_string"],
                                   capture_output=True, text=True, check=False).stdout.strip()
        except OSError:
            found = ""
        if found:
            return found
    return platform.processor() or "unknown"


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
    release = host.os_release() if release is None else release
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
    release = host.os_release() if os_release is None else os_release
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


def details(fingerprint: dict[str, Any] | None = None) -> dict[str, str]:
    """The fields ``asv machine`` records, each given explicitly, ``cpu`` naming the host
    ``fingerprint`` describes (this one's by default). ValueError: a bad machine name."""
    release = host.os_release()
    name = machine_name(release)
    return {
        "machine": name,
        "os": os_name(release),
        "arch": platform.machine() or "unknown",
        "cpu": host.host_label(host.fingerprint() if fingerprint is None else fingerprint),
        "num_cpu": str(os.cpu_count() or 1),
        "ram": _ram(),
    }
