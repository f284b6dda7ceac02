"""The one way taskbench runs git: its output, and one error that names the command and
git's own message, whether git fails or cannot run at all."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from taskbench import git as gitmodule
from taskbench.git import GitError, git, try_git


def test_output_without_the_trailing_newline_and_input_as_given(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "--quiet", str(tmp_path)], check=True)
    assert git("rev-parse", "--is-inside-work-tree", repo=tmp_path) == "true"
    found = git("hash-object", "--stdin", repo=tmp_path, stdin="a\nb\n")
    expected = subprocess.run(["git", "hash-object", "--stdin"], input=b"a\nb\n",
                              capture_output=True, check=True).stdout.decode().strip()
    assert found == expected  # "\n" as given, never "\r\n"


def test_a_failing_command_names_itself_and_gits_message(tmp_path: Path) -> None:
    with pytest.raises(GitError, match=r"`git rev-parse --verify HEAD` failed in .*: fatal"):
        git("rev-parse", "--verify", "HEAD", repo=tmp_path)
    done = try_git("rev-parse", "--verify", "HEAD", repo=tmp_path)
    assert done.returncode != 0 and "fatal" in done.stderr


def test_git_missing_is_the_same_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(*args: object, **kwargs: object) -> None:
        raise FileNotFoundError(2, "No such file or directory", "git")

    monkeypatch.setattr(gitmodule.subprocess, "run", missing)
    with pytest.raises(GitError, match="git cannot run here"):
        git("status")
    with pytest.raises(GitError, match="git cannot run here"):
        try_git("status")
