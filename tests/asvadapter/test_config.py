"""``asv.conf.json`` is read as asv reads it, and every way it can be wrong is named."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from asv.config import Config
from asv.util import UserError

from taskbench.asvadapter.config import (
    ConfigError,
    config_path,
    configured_pythons,
    load_config,
)
from taskbench.interpreters.names import parse_name

JSON5 = """{
    // asv accepts comments ...
    "version": 1,
    "repo": ".",
    /* ... of both kinds ... */
    "pythons": ["3.8", "3.13-debian", "pypy3.9",],  // ... and trailing commas
    "results_dir": "results",
}
"""


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "asv.conf.json"
    path.write_text(text, encoding="utf-8")
    return path


def test_comments_and_trailing_commas_are_read_as_asv_reads_them(tmp_path: Path) -> None:
    path = _config(tmp_path, JSON5)
    config = load_config(path)
    assert configured_pythons(config) == Config.load(str(path)).pythons
    assert configured_pythons(config) == ["3.8", "3.13-debian", "pypy3.9"]
    assert config_path(config, "results_dir") == Path("results")


def test_the_repositorys_own_config_names_only_known_interpreters(repo_root: Path) -> None:
    path = repo_root / "asv.conf.json"
    pythons = configured_pythons(load_config(path))
    assert pythons == Config.load(str(path)).pythons
    for name in pythons:
        parse_name(name)  # raises for a name outside the scheme


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    with pytest.raises(ConfigError, match=r"cannot read .*nope\.json.*repository root"):
        load_config(missing)


@pytest.mark.parametrize("text", [
    '{"pythons": ["3.8"]',       # unterminated
    '{"pythons": ["3.8"]} }',    # trailing garbage
    "",
])
def test_a_file_asv_cannot_parse_is_named(tmp_path: Path, text: str) -> None:
    path = _config(tmp_path, text)
    with pytest.raises((ValueError, UserError)):
        Config.load(str(path))
    with pytest.raises(ConfigError, match=r"asv\.conf\.json is not valid JSON5"):
        load_config(path)


@pytest.mark.parametrize("text", ['["3.8"]', '"3.8"', "3"])
def test_a_file_that_is_not_an_object_is_named(tmp_path: Path, text: str) -> None:
    path = _config(tmp_path, text)
    with pytest.raises(ConfigError, match=r"asv\.conf\.json does not hold a JSON object"):
        load_config(path)


@pytest.mark.parametrize("config", [
    {"pythons": [3.8]},
    {"pythons": ["3.8", None]},
    {"pythons": "3.8"},
    {"pythons": {"3.8": True}},
    {},
])
def test_pythons_must_be_a_list_of_names(config: dict[str, Any]) -> None:
    with pytest.raises(ConfigError, match="'pythons' in asv.conf.json must be a list of names"):
        configured_pythons(config)


def test_an_empty_pythons_list_is_refused_with_what_to_do(tmp_path: Path) -> None:
    config = load_config(_config(tmp_path, '{"pythons": [] /* none yet */}'))
    with pytest.raises(ConfigError, match=r"'pythons' in asv.conf.json is empty: name at "
                                          r"least one interpreter"):
        configured_pythons(config)


def test_configured_pythons_is_a_copy() -> None:
    config = {"pythons": ["3.8"]}
    configured_pythons(config).append("3.9")
    assert config == {"pythons": ["3.8"]}


@pytest.mark.parametrize("value", ["", 3, None, ["results"]])
def test_a_folder_setting_must_be_a_folder_name(value: object) -> None:
    with pytest.raises(ConfigError, match="'html_dir' in asv.conf.json must be a folder name"):
        config_path({"html_dir": value}, "html_dir")


def test_a_folder_setting_falls_back_to_its_default() -> None:
    assert config_path({}, "html_dir") == Path("html")
