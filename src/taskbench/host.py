"""Facts about the machine taskbench runs on that more than one part of it reads.

``/etc/os-release`` names the system (the machine's name for its results, and Debian's suite
for the interpreters it downloads); the user's cache holds what is downloaded once and kept
(interpreters, npm tarballs).
"""

from __future__ import annotations

import os
from pathlib import Path

OS_RELEASE = Path("/etc/os-release")


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
