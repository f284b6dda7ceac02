"""What a command does when its standard output cannot be written.

* The reader went away (``| head -1``): the command stops quietly with status 141, what a
  Unix tool killed by SIGPIPE reports (128 + 13); the reader has what it wanted.
* The output fails (``> /dev/full``, a full disk, an I/O error): one line on stderr saying so
  and status 1, not a traceback.
* Standard output is closed (``>&-``): Python then drops everything printed, so the command
  would do its work and exit 0 with nothing said; it does nothing and exits 2 instead.

The standard library leaves this to each program (its documentation shows the recipe for
SIGPIPE); the few lines are here once, for every command. Like the CLI, which runs inside
every measured interpreter, this module uses the standard library only and imports on
Python 3.8 and PyPy.
"""

from __future__ import annotations

import errno
import os
import sys
from typing import Any, Callable, TextIO, cast

BROKEN_PIPE_STATUS = 141


class OutputError(OSError):
    """Standard output could not be written."""


class _Guarded:
    """Standard output, with its failures raised as :class:`OutputError`."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except OSError as error:
            raise OutputError(error.errno, error.strerror) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as error:
            raise OutputError(error.errno, error.strerror) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _discard_stdout() -> None:
    """Point standard output at the null device, so that the flush at exit, with what is
    still buffered, fails no more (and prints no "Exception ignored")."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.__stdout__.fileno() if sys.__stdout__ else 1)
        os.close(null)
    except (OSError, ValueError):
        pass


def run(main: Callable[[], int], *, lost: str = "") -> int:
    """``main()``'s exit status, with standard output guarded as the docstring says.

    ``lost`` ends the message of a failed output: what the reader should know then (for a
    command whose work is done when it prints, that the work is done).
    """
    if sys.stdout is None:
        print("error: standard output is closed, so nothing this command says would be seen; "
              "nothing was done. Run it with its output going somewhere (a terminal, a pipe, "
              "> file).", file=sys.stderr)
        return 2
    original = sys.stdout
    sys.stdout = cast(TextIO, _Guarded(original))
    stop = None
    try:
        try:
            status = main()
        except SystemExit as exit_request:  # argparse's --help and usage errors
            stop, status = exit_request, 0
        sys.stdout.flush()
    except OutputError as error:
        _discard_stdout()
        if error.errno == errno.EPIPE:
            return BROKEN_PIPE_STATUS
        print(f"error: the output could not be written ({error.strerror}){lost}",
              file=sys.stderr)
        return 1
    finally:
        sys.stdout = original
    if stop is not None:
        raise stop
    return status
