"""The one asv driver: the flags every measurement needs, and folders overridden safely."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from taskbench.asvadapter import driver as driver_module
from taskbench.asvadapter.driver import EXISTING, AsvDriver, existing_name, head_commit
from taskbench.catalogue import ROUNDS


def test_a_run_records_samples_in_rounds() -> None:
    args = AsvDriver().run_arguments(machine="box")
    assert args[:2] == ["run", "HEAD^!"]
    assert "--record-samples" in args and "--show-stderr" in args
    assert args[args.index("-a") + 1] == f"rounds={ROUNDS}"
    assert "--machine=box" in args


def test_a_quick_run_takes_one_sample_and_names_what_it_selects() -> None:
    args = AsvDriver().run_arguments(machine="box", quick=True, bench=["a", "b"])
    assert "--quick" in args and "-a" not in args
    assert [args[i + 1] for i, arg in enumerate(args) if arg == "--bench"] == ["a", "b"]


def test_an_existing_environment_gets_a_commit_instead_of_a_range() -> None:
    args = AsvDriver().run_arguments(machine="box", range_spec=None, set_commit_hash="abc",
                                     environments=["existing:/py"])
    assert "HEAD^!" not in args and "--set-commit-hash=abc" in args
    assert args[args.index("-E") + 1] == "existing:/py"


def test_existing_environments_measure_the_checkout_and_spawn_where_nothing_forks(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # The blocks ask for HEAD^! and asv's forkserver; on Windows asv refuses both.
    asked = {"environments": ["existing:/a", "existing:/b"], "launch_method": "forkserver"}
    args = AsvDriver().run_arguments(machine="box", **asked)
    assert "HEAD^!" not in args and f"--set-commit-hash={head_commit()}" in args
    assert "--launch-method=forkserver" in args
    monkeypatch.setattr(driver_module, "CAN_FORK", False)
    args = AsvDriver().run_arguments(machine="box", **asked)
    assert "--launch-method=spawn" in args
    mixed = AsvDriver().run_arguments(machine="box", environments=["existing:/a", "py3.12"])
    assert mixed[:2] == ["run", "HEAD^!"]  # asv itself says what is wrong with a mix


def test_an_existing_environment_named_as_asv_names_it_is_given_to_asv_by_its_path(
        tmp_path: Path) -> None:
    from asv import environment
    from asv.config import Config

    python = sys.executable
    (tmp_path / "asv.conf.json").write_text(json.dumps(
        {"version": 1, "repo": str(ROOT), "branches": ["main"]}))
    asv_own = environment.ExistingEnvironment(Config.load(str(tmp_path / "asv.conf.json")),
                                              python, {}, {}).name
    assert existing_name(python) == asv_own  # without starting the interpreter
    with AsvDriver(ROOT / "asv.conf.json", results_dir=tmp_path / "r",
                   settings_overrides={EXISTING: [python]}) as driver:
        args = driver.run_arguments(machine="box", environments=[asv_own])
        assert args[args.index("-E") + 1] == f"existing:{python}"
        assert "HEAD^!" not in args and "--set-commit-hash" in " ".join(args)
        # asv itself is given the copy of the configuration that lists the interpreter.
        copied = AsvDriver(driver.config_file())
        assert copied.specs([asv_own, "virtualenv-py3.12"]) == [f"existing:{python}",
                                                                "virtualenv-py3.12"]


def test_without_overrides_asv_reads_the_real_configuration() -> None:
    with AsvDriver(ROOT / "asv.conf.json") as driver:
        assert driver.config_file() == ROOT / "asv.conf.json"
        assert driver.folder("results_dir") == ROOT / "results"


def test_overridden_folders_go_into_a_temporary_copy_with_absolute_paths(tmp_path: Path
                                                                         ) -> None:
    with AsvDriver(ROOT / "asv.conf.json", results_dir=tmp_path / "r",
                   home=tmp_path / "home") as driver:
        copy = driver.config_file()
        settings = json.loads(copy.read_text())
        assert settings["results_dir"] == str(tmp_path / "r")
        assert settings["repo"] == str(ROOT) and settings["benchmark_dir"] == str(
            ROOT / "benchmarks")
        assert Path(settings["html_dir"]).is_absolute()
        assert settings["pythons"] == json.loads((ROOT / "asv.conf.json").read_text())["pythons"]
        assert driver.environ()["HOME"] == str(tmp_path / "home")
        assert not copy.is_relative_to(ROOT)
    assert not copy.exists()


def test_outside_a_checkout_the_commit_is_a_message_not_a_traceback(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    with pytest.raises(ValueError, match="not inside a git checkout"):
        head_commit()


def test_new_environments_get_virtualenvs_own_pip_whatever_its_cache_holds(
        tmp_path: Path) -> None:
    # A newer pip from virtualenv's periodic update breaks 3.8 environments (pip 26 needs 3.9).
    environ = AsvDriver(home=tmp_path / "home").environ()
    assert environ["VIRTUALENV_PIP"] == "embed"
    assert environ["VIRTUALENV_NO_PERIODIC_UPDATE"] == "1"
