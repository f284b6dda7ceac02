from __future__ import annotations

from pathlib import Path

import pytest

from taskbench import mainjob


def test_an_interruption_ends_with_words_and_status_130(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def interrupted(argv: object = None) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(mainjob, "main", interrupted)
    assert mainjob.run([]) == 130
    err = capsys.readouterr().err
    assert "interrupted:" in err and "Run `make bench` again" in err


def test_outside_the_repository_the_config_is_named(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert mainjob.run([]) == 2
    err = capsys.readouterr().err
    assert "cannot read asv.conf.json" in err and "repository root" in err
