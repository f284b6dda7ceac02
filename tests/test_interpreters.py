"""Finding the configured interpreters, and saying plainly which are missing."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from conftest import run_python
from taskbench.interpreters import (
    ConfigError,
    configured_pythons,
    format_report,
    load_asv_config,
    locate,
)


def _executable(path: Path, body: str) -> Path:
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)
    return path


def test_a_real_interpreter_is_found_with_its_version(tmp_path: Path) -> None:
    (tmp_path / "python9.9").symlink_to(sys.executable)
    found = locate("9.9", str(tmp_path))
    assert found.found
    assert found.version == ".".join(map(str, sys.version_info[:3]))


def test_an_absent_interpreter_is_missing(tmp_path: Path) -> None:
    missing = locate("9.9", str(tmp_path))
    assert not missing.found
    assert missing.problem == "no python9.9 on PATH"


def test_a_shim_that_cannot_run_is_missing_with_its_own_message(tmp_path: Path) -> None:
    _executable(tmp_path / "python9.9",
                'echo "pyenv: python9.9: command not found" >&2; exit 127')
    shim = locate("9.9", str(tmp_path))
    assert not shim.found
    assert "does not run: pyenv: python9.9: command not found" in (shim.problem or "")


def test_the_report_names_every_missing_version(tmp_path: Path) -> None:
    (tmp_path / "python9.8").symlink_to(sys.executable)
    report = format_report([locate(name, str(tmp_path)) for name in ["9.8", "9.9", "9.10"]])
    assert "MISSING: no python9.9 on PATH" in report
    assert "2 of 3 Python versions in asv.conf.json cannot be run here" in report
    assert "NO results: 9.9, 9.10" in report


def test_check_command_exits_non_zero_only_when_nothing_can_run(tmp_path: Path) -> None:
    config = tmp_path / "asv.conf.json"
    config.write_text(json.dumps({"pythons": ["9.8", "9.9"]}))
    nothing = run_python("-m", "taskbench.interpreters", "--config", str(config),
                         "check", "--path", str(tmp_path))
    assert nothing.returncode == 1
    assert "NO results: 9.8, 9.9" in nothing.stdout

    (tmp_path / "python9.8").symlink_to(sys.executable)
    some = run_python("-m", "taskbench.interpreters", "--config", str(config),
                      "check", "--path", str(tmp_path))
    assert some.returncode == 0
    assert "NO results: 9.9." in some.stdout


def test_config_with_comment_lines_is_read(tmp_path: Path) -> None:
    config = tmp_path / "asv.conf.json"
    config.write_text('{\n  // the versions\n  "pythons": ["3.8", "3.13"]\n}\n')
    assert configured_pythons(load_asv_config(config)) == ["3.8", "3.13"]


@pytest.mark.parametrize("text, message", [
    ('{"pythons": [3.8]', "is not valid JSON"),
    ('["3.8"]', "does not hold a JSON object"),
])
def test_a_broken_config_is_named(tmp_path: Path, text: str, message: str) -> None:
    config = tmp_path / "asv.conf.json"
    config.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_asv_config(config)


def test_pythons_must_be_strings() -> None:
    with pytest.raises(ConfigError, match="list of strings"):
        configured_pythons({"pythons": [3.8]})


def test_a_missing_config_is_named(tmp_path: Path) -> None:
    result = run_python("-m", "taskbench.interpreters", "--config",
                        str(tmp_path / "nope.json"), "check")
    assert result.returncode == 2
    assert "cannot read" in result.stderr and "nope.json" in result.stderr


def test_pypy_is_looked_up_by_its_own_name(tmp_path: Path) -> None:
    (tmp_path / "pypy3.9").symlink_to(sys.executable)
    assert locate("pypy3.9", str(tmp_path)).found
    assert locate("pypy3.10", str(tmp_path)).problem == "no pypy3.10 on PATH"
