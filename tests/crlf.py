"""Windows' line endings, on this machine: what Python's text-mode writes do on Windows.

On Windows a file opened for writing in text mode with ``newline=None`` (``open(path, "w")``,
``Path.write_text``) turns every ``"\\n"`` into ``"\\r\\n"``, and so does a text-mode pipe
(``subprocess.run(..., input=text, text=True)`` writes its input through such a stream
there; on POSIX it encodes it directly). git strips neither ``"\\r"``: an ``alternates`` file
or an ``update-ref --stdin`` written that way fails with git's own error. :func:`translate`
makes this process behave so, in one of two ways: with pytest's ``monkeypatch.setattr``
(undone after the test), or with plain ``setattr`` from a ``sitecustomize`` (the rehearsal's
Windows job, for every Python process it starts). Bytes, and text written with
``newline="\\n"`` or ``newline=""``, are left alone, as on Windows.
"""

from __future__ import annotations

import builtins
import io
import subprocess
from typing import Any, Callable

WINDOWS_NEWLINE = "\r\n"


def _writes(mode: str) -> bool:
    return "b" not in mode and any(flag in mode for flag in "wax+")


def translate(setattr_: Callable[[Any, str, Any], None] = setattr) -> None:
    """Make text-mode writes and text-mode pipes of this process write ``"\\r\\n"``."""
    real_open, real_communicate = io.open, subprocess.Popen.communicate

    def windows_open(file: Any, mode: str = "r", buffering: int = -1, encoding: Any = None,
                     errors: Any = None, newline: Any = None, *args: Any, **kwargs: Any
                     ) -> Any:
        if newline is None and _writes(mode):
            newline = WINDOWS_NEWLINE
        return real_open(file, mode, buffering, encoding, errors, newline, *args, **kwargs)

    def windows_communicate(self: subprocess.Popen[Any], input: Any = None,
                            timeout: float | None = None) -> Any:
        if getattr(self, "text_mode", False) and isinstance(input, str):
            input = input.replace("\n", WINDOWS_NEWLINE)
        return real_communicate(self, input, timeout)

    setattr_(io, "open", windows_open)
    setattr_(builtins, "open", windows_open)
    setattr_(subprocess.Popen, "communicate", windows_communicate)
