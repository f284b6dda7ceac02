"""The main job: bad input refused before anything runs, try-outs kept apart, an
interruption reported in one line."""

from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from conftest import ROOT
from taskbench import host, runfacts
from taskbench.catalogue import CATALOGUE, TASK_COST
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


class Faked:
    """What the fake job did: the results folders asv was given, the figures measured."""

    def __init__(self) -> None:
        self.used: list[Path] = []
        self.measured: list[list[str]] = []


@pytest.fixture
def faked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Faked:
    """The main job with the interpreters, the machine and asv faked, in ``tmp_path``."""
    done = Faked()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PATH", os.environ["PATH"])
    monkeypatch.setattr(mainjob, "load_config", lambda path: {})
    monkeypatch.setattr(mainjob, "configured_pythons", lambda config: ["3.12", "3.13"])
    monkeypatch.setattr(mainjob, "provision", lambda *a, **k: [
        SimpleNamespace(name="3.12", facts={"python_version": "3.12.1"})])
    monkeypatch.setattr(mainjob, "format_table", lambda outcomes: "")
    monkeypatch.setattr(mainjob, "_uncommitted_changes", lambda: False)
    monkeypatch.setattr(mainjob.machines, "details", lambda fingerprint: {"machine": "m"})

    class Driver:
        def __init__(self, config: Path, results_dir: Path) -> None:
            done.used.append(results_dir)

        def __enter__(self) -> Driver:
            return self

        def __exit__(self, *exc: object) -> None:
            return None

        def machine(self, details: object) -> SimpleNamespace:
            return SimpleNamespace(returncode=0)

        def run(self, **kwargs: object) -> SimpleNamespace:
            return SimpleNamespace(returncode=0)

    def run_blocks(folder: Path, machine: str, environments: object, targets: list[Any],
                   **options: object) -> SimpleNamespace:
        done.measured.append([target.call for target in targets])
        return SimpleNamespace(statuses=[0])

    monkeypatch.setattr(mainjob, "AsvDriver", Driver)
    folders = {"virtualenv-py3.12": tmp_path / "env" / "a"}
    monkeypatch.setattr(mainjob, "environment_folders", lambda config, pythons=None: folders)
    monkeypatch.setattr(mainjob.estimate, "environment_count", lambda config: 2)
    monkeypatch.setattr(mainjob, "run_blocks", run_blocks)
    monkeypatch.setattr(mainjob, "record", lambda *args: None)
    return done


def test_each_try_out_measures_into_a_folder_of_its_own(
        faked: Faked, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    # Nothing but asv is faked: what a try-out reports missing is missing from itself.
    stamps = iter(["20260101-000000", "20260101-000001"])
    monkeypatch.setattr(mainjob, "_stamp", lambda: next(stamps))
    assert mainjob.run(["--quick"]) == 0
    assert mainjob.run(["--bench", "TaskCost"]) == 0
    assert len(faked.measured[0]) > len(CATALOGUE) // 2  # every benchmark's quick figures
    assert faked.measured[1] == [f"{TASK_COST.name}({count})"
                                 for count in TASK_COST.axes[0].values]
    assert faked.used == [Path(".asv", "scratch", stamp, "results")
                          for stamp in ("20260101-000000", "20260101-000001")]
    out = capsys.readouterr().out
    assert out.count("NO results from this run for: 3.12, 3.13") == 2, out
    # Said up front, before the interpreters are gathered (none found yet: every configured
    # environment, none built), and again before measuring, on those found.
    first = out.split("=== Interpreters ===")[0]
    assert "=== Expected duration ===\nExpect about " in first
    assert "for 2 environments (2 asv environments to build first: about " in first
    assert "a rough first-run guess from the catalogue; later runs go by the last one's " \
        "durations." in first
    assert "=== Benchmarks (a try-out: results go to" in out
    assert "for 1 environment (1 asv environment to build first: " in out
    assert not (tmp_path / "results").exists()


def test_a_run_records_its_host_and_its_interpreters_versions_beside_its_results(
        faked: Faked, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(mainjob, "head_commit", lambda: "c0ffee")
    monkeypatch.setattr(mainjob, "provision", lambda *a, **k: [
        SimpleNamespace(name="3.12", facts={"version": "3.12.1"}),
        SimpleNamespace(name="3.15-debian", facts={"version": "3.15.2"}),
        SimpleNamespace(name="3.13", facts={})])  # not runnable here: no facts, no version
    assert mainjob.run(["--quick"]) == 0
    found = host.fingerprint()
    [folder] = faked.used
    [record] = runfacts.read(folder / "m" / runfacts.RUNS_FILE).values()
    assert (record["commit"], record["host"]) == ("c0ffee", host.host_id(found))
    assert record["fingerprint"] == found
    assert record["versions"] == {"3.12": "3.12.1", "3.15-debian": "3.15.2"}
    assert "were not recorded" not in capsys.readouterr().err


def test_a_run_whose_record_cannot_be_written_measures_anyway(
        faked: Faked, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    def no_git() -> str:
        raise ValueError("not inside a git checkout")

    monkeypatch.setattr(mainjob, "head_commit", no_git)
    assert mainjob.run(["--quick"]) == 0
    assert "the build facts or the run's host were not recorded (not inside a git checkout)" \
        in capsys.readouterr().err
    assert faked.measured


def _interrupt(*args: object) -> int:
    raise KeyboardInterrupt


@pytest.mark.parametrize(("readme_status", "site", "left"), [
    (_interrupt, _interrupt, ["`make readme`", "`make site`"]),  # during the README
    (lambda *args: 0, _interrupt, ["`make site`"]),  # during the site
    (lambda *args: 1, _interrupt, ["`make readme`", "`make site`"]),  # the README failed
])
def test_an_interruption_after_the_merge_says_it_is_merged_and_what_was_not_made(
        faked: Faked, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], readme_status: Any, site: Any,
        left: list[str]) -> None:
    from taskbench.reports import readme
    from taskbench.site import build

    monkeypatch.setattr(mainjob, "configured_results", lambda: tmp_path / "results")
    monkeypatch.setattr(mainjob, "merge_run", lambda run: tmp_path / "results")
    monkeypatch.setattr(readme, "main", readme_status)
    monkeypatch.setattr(build, "build", site)
    assert mainjob.run([]) == 130
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert "results/ is unchanged" not in last
    assert last.startswith(f"interrupted: the results were merged into {tmp_path / 'results'} "
                           "and are kept; not regenerated: ")
    assert [command for command in ("`make readme`", "`make site`") if command in last] == left


def test_the_views_failing_in_any_way_lose_nothing_and_say_why(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from taskbench.reports import readme
    from taskbench.site import build

    def broken(*args: object) -> int:
        raise KeyError("a view's bug")

    monkeypatch.setattr(readme, "main", broken)
    monkeypatch.setattr(build, "build", broken)
    from taskbench.jobs.present import present

    failures = present(tmp_path)
    assert [failure.split(" (")[0] for failure in failures] == [
        "the README's generated blocks", "the site"]
    err = capsys.readouterr().err
    assert err.count("KeyError: \"a view's bug\"") == 2, err
