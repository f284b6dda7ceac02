"""The main job: bad input refused before anything runs, try-outs kept apart, an
interruption reported in one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT
from taskbench.catalogue import CATALOGUE
from taskbench.jobs import main as mainjob


@pytest.mark.parametrize(("pattern", "message"), [
    ("(", "is not a regular expression"),
    ("NoSuchBenchmark", "no benchmark matches --bench 'NoSuchBenchmark'"),
])
def test_bad_patterns_are_refused_before_anything_runs(
        pattern: str, message: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(mainjob, "provision",
                        lambda *a, **k: pytest.fail("provisioned despite a bad --bench"))
    assert mainjob.run(["--bench", pattern]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_patterns_asv_accepts_are_accepted() -> None:
    # Inherited methods, parameter combinations and bare class names all select something.
    assert mainjob.check_patterns(["Throughput", r"SpawnAPI.*\('gather'", "TextualTasks",
                                   r"Replica\.track_minor"]) is None


def test_quick_patterns_cover_every_benchmark_that_declares_quick_values() -> None:
    patterns = mainjob.quick_patterns()
    assert len(patterns) == len([entry for entry in CATALOGUE if entry.quick])


def test_outside_the_repository_the_configuration_is_named(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert mainjob.run([]) == 2
    err = capsys.readouterr().err
    assert "cannot read asv.conf.json" in err and "repository root" in err


def test_a_machine_name_that_would_leave_results_is_refused(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("TASKBENCH_MACHINE", "../elsewhere")
    monkeypatch.setattr(mainjob, "provision",
                        lambda *a, **k: pytest.fail("provisioned despite a bad machine name"))
    assert mainjob.run([]) == 2
    assert "TASKBENCH_MACHINE" in capsys.readouterr().err


def test_an_interruption_ends_with_words_and_status_130(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def interrupted(argv: object = None) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(mainjob, "main", interrupted)
    assert mainjob.run([]) == 130
    assert capsys.readouterr().err.strip() == "interrupted: results/ is unchanged."


def test_try_outs_write_to_the_scratch_folder_never_to_results() -> None:
    assert mainjob.SCRATCH.parts[0] == ".asv" and mainjob.SCRATCH.name == "results"
    assert mainjob.STAGING.parts[0] == ".asv"
