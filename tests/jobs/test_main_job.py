"""The main job: bad input refused before anything runs, try-outs kept apart, an
interruption reported in one line."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

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


def test_each_try_out_measures_into_a_folder_of_its_own(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    # Nothing but asv is faked: what a try-out reports missing is missing from itself.
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PATH", os.environ["PATH"])
    monkeypatch.setattr(mainjob, "load_config", lambda path: {})
    monkeypatch.setattr(mainjob, "configured_pythons", lambda config: ["3.12", "3.13"])
    monkeypatch.setattr(mainjob, "provision", lambda *a, **k: [
        SimpleNamespace(name="3.12", facts={"python_version": "3.12.1"})])
    monkeypatch.setattr(mainjob, "format_table", lambda outcomes: "")
    monkeypatch.setattr(mainjob, "_uncommitted_changes", lambda: False)
    monkeypatch.setattr(mainjob.machines, "details", lambda: {"machine": "m"})
    stamps, used = iter(["20260101-000000", "20260101-000001"]), []

    class Driver:
        def __init__(self, config: Path, results_dir: Path) -> None:
            used.append(results_dir)

        def __enter__(self) -> Driver:
            return self

        def __exit__(self, *exc: object) -> None:
            return None

        def machine(self, details: object) -> SimpleNamespace:
            return SimpleNamespace(returncode=0)

        def run(self, **kwargs: object) -> SimpleNamespace:
            return SimpleNamespace(returncode=0)

    monkeypatch.setattr(mainjob, "AsvDriver", Driver)
    monkeypatch.setattr(mainjob, "_stamp", lambda: next(stamps))
    assert mainjob.run(["--quick"]) == 0
    assert mainjob.run(["--bench", "Throughput"]) == 0
    assert used == [Path(".asv", "scratch", stamp, "results")
                    for stamp in ("20260101-000000", "20260101-000001")]
    out = capsys.readouterr().out
    assert out.count("NO results from this run for: 3.12, 3.13") == 2, out
    assert not (tmp_path / "results").exists()


def test_the_views_failing_in_any_way_lose_nothing_and_say_why(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from taskbench.reports import readme
    from taskbench.site import build

    def broken(*args: object) -> int:
        raise KeyError("a view's bug")

    monkeypatch.setattr(readme, "main", broken)
    monkeypatch.setattr(build, "build", broken)
    failures = mainjob.present(tmp_path)
    assert [failure.split(" (")[0] for failure in failures] == [
        "the README's generated blocks", "the site"]
    err = capsys.readouterr().err
    assert err.count("KeyError: \"a view's bug\"") == 2, err
