"""git, run the one way every part of taskbench runs it (standard library only).

:func:`git` runs ``git [-C repo] ARGS`` and returns its standard output; any failure (git
missing, or a non-zero exit) is one :class:`GitError` naming the command and git's own
message. :func:`try_git` is for the few callers that read a failure themselves (a push refused,
a question such as ``diff --quiet``): it raises only when git cannot run at all. Call sites
that can go on without git catch GitError and say what they do instead. Input goes in as
bytes: whatever git reads ends its lines with ``"\\n"`` on every platform (a text-mode pipe
on Windows writes ``"\\r\\n"``, and git keeps the ``"\\r"``).
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import NamedTuple, Optional, Union

Repo = Optional[Union[str, Path]]


class GitError(ValueError):
    """git could not run, or the command failed; the message says which and why (a
    ValueError, as every other refusal of what the project was given)."""


class Done(NamedTuple):
    """A finished git command: its exit status and its output, decoded."""

    returncode: int
    stdout: str
    stderr: str


def _command(args: tuple[str, ...], repo: Repo) -> list[str]:
    return ["git"] + (["-C", str(repo)] if repo is not None else []) + list(args)


def try_git(*args: str, repo: Repo = None, stdin: str = "") -> Done:
    """``git [-C repo] ARGS``, whatever its exit status; GitError only when git cannot run."""
    try:
        done = subprocess.run(_command(args, repo), input=stdin.encode("utf-8"),
                              capture_output=True, check=False)
    except OSError as error:
        raise GitError(f"git cannot run here ({error})") from None
    return Done(done.returncode, done.stdout.decode("utf-8", errors="replace"),
                done.stderr.decode("utf-8", errors="replace"))


def git(*args: str, repo: Repo = None, stdin: str = "") -> str:
    """``git [-C repo] ARGS`` with ``stdin`` on its input: its standard output without the
    trailing newline; GitError naming the command and git's message when it fails."""
    done = try_git(*args, repo=repo, stdin=stdin)
    if done.returncode != 0:
        raise GitError(f"`git {' '.join(args)}` failed"
                       + (f" in {repo}" if repo is not None else "")
                       + f": {(done.stderr or done.stdout).strip()}")
    return done.stdout.rstrip("\n")
