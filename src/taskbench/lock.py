"""One process at a time: an exclusive lock on a file, which also names its holder.

``flock`` (``msvcrt.locking`` on Windows) is released by the system when its holder ends,
however it ends, so a killed process never leaves a stale lock. The standard library has the
call; no dependency is needed for a dozen lines, and this one writes its holder's process
id and command line into the lock file, for the message of a process that finds it taken.
"""

from __future__ import annotations

import datetime
import os
import sys
import time
from pathlib import Path

if sys.platform == "win32":
    import msvcrt

    def _try_lock(handle: int, wait: bool) -> bool:
        try:
            msvcrt.locking(handle, msvcrt.LK_LOCK if wait else msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
else:
    import fcntl

    def _try_lock(handle: int, wait: bool) -> bool:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            return False
        return True


class MergeBusy(ValueError):
    """Another merge into the same ``results/`` is running; the message names it."""


def _holder(lock: Path) -> str:
    # The holder writes its record just after it takes the lock: a process that finds the
    # lock taken in that moment waits up to two seconds for the record rather than say less.
    for _ in range(40):
        try:
            record = lock.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError):
            return "its process cannot be read"
        if record:
            return record
        time.sleep(0.05)
    return "its process has not said which yet"


def acquire(lock: Path, results: Path, *, wait: bool) -> int:
    """Lock ``lock`` (made if missing) for a merge into ``results`` and record this process
    in it; the lock lasts while the returned handle is open. Without ``wait``, MergeBusy
    names the holder; with it, this says whom it waits for, on stderr, and waits."""
    handle = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if not _try_lock(handle, wait=False):
            holder = _holder(lock)
            if not wait:
                raise MergeBusy(f"another merge into {results} is running ({holder}); run "
                                "this one again when it has finished")
            print(f"waiting for the merge into {results} to finish ({holder})",
                  file=sys.stderr, flush=True)
            while not _try_lock(handle, wait=True):  # msvcrt gives up after 10 s
                pass
        started = datetime.datetime.now().isoformat(timespec="seconds")
        record = f"pid {os.getpid()} since {started}: {' '.join(sys.argv)}\n"
        os.ftruncate(handle, 0)
        os.lseek(handle, 0, os.SEEK_SET)
        os.write(handle, record.encode("utf-8", "replace"))
    except BaseException:
        os.close(handle)
        raise
    return handle
