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


def test_an_unknown_benchmark_is_named_before_anything_runs(
        repo_root: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    def must_not_provision(*args: object, **kwargs: object) -> None:
        raise AssertionError("provisioned despite a bad --bench")

    monkeypatch.chdir(repo_root)
    monkeypatch.setattr(mainjob, "provision", must_not_provision)
    assert mainjob.run(["--bench", "Throughput", "--bench", "NoSuchBenchmark"]) == 2
    err = capsys.readouterr().err
    assert "no benchmark matches --bench 'NoSuchBenchmark'" in err
    assert "bench_create_wait.Throughput.track_tasks_per_second" in err


def test_benchmark_names_are_read_from_the_suite(repo_root: Path) -> None:
    names = mainjob.benchmark_names(repo_root / "benchmarks")
    assert "bench_spawn_api.SpawnAPI.track_tasks_per_second" in names
    assert "bench_clients.TextualStartup.track_tasks_per_widget" in names
    assert not [name for name in names if ".setup" in name]
    assert mainjob.unmatched_patterns(["SpawnAPI", "^nope$"], names) == ["^nope$"]
