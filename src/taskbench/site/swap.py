"""A site is built beside the published one and swapped in only when it is complete.

For the site folder ``S`` (asv's ``html_dir``), a build works in ``.S.building-<pid>-*``
beside it, on the same file system; once every page is written, :func:`swap_in` renames
``S`` to ``.S.previous``, the new folder to ``S``, and removes ``.S.previous``. A build that
fails, or is stopped, removes its own folder and leaves ``S`` as it was. A build killed
between the two renames leaves ``S`` missing and ``.S.previous`` whole: :func:`settle`, run
before every build and preview, puts it back, and removes the folders of builds whose process
is gone. Two renames, not one exchange: the standard library has no atomic swap of two
folders, and a symbolic link as the site folder would not survive being uploaded as one.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

BUILDING = "building"


def previous_dir(site: Path) -> Path:
    return site.parent / f".{site.name}.previous"


def _builder_gone(folder: Path, site: Path) -> bool:
    """Whether the build that made ``folder`` has ended (its process id is in the name)."""
    pid_text = folder.name[len(f".{site.name}.{BUILDING}-"):].split("-", 1)[0]
    if not pid_text.isdigit() or sys.platform == "win32":  # os.kill(pid, 0) signals there
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def settle(site: Path) -> str | None:
    """Finish what a killed build left beside ``site``; say what was done, if anything."""
    said = None
    previous = previous_dir(site)
    if previous.is_dir() and not site.exists():
        previous.rename(site)
        said = f"a build stopped while swapping in the new site: {site} was put back as it was"
    elif previous.exists():
        shutil.rmtree(previous, ignore_errors=True)
    if site.parent.is_dir():
        for folder in site.parent.glob(f".{site.name}.{BUILDING}-*"):
            if folder.is_dir() and _builder_gone(folder, site):
                shutil.rmtree(folder, ignore_errors=True)
    return said


def staging_dir(site: Path) -> Path:
    """A new, empty folder beside ``site`` for this process to build the site in."""
    site.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(dir=site.parent,
                                 prefix=f".{site.name}.{BUILDING}-{os.getpid()}-"))


def swap_in(staging: Path, site: Path) -> None:
    """Make the complete site in ``staging`` the site at ``site``; the old one is removed."""
    previous = previous_dir(site)
    if previous.exists():
        shutil.rmtree(previous)
    if site.exists():
        site.rename(previous)
    staging.rename(site)
    shutil.rmtree(previous, ignore_errors=True)


def kept_note(site: Path) -> str:
    """What a failed build left at ``site``, for its error message."""
    if (site / "index.html").is_file():
        return f"the site in {site} is the one built before, unchanged"
    return f"there is no site in {site} yet, and nothing was written there"
