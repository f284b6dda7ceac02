"""``asv.conf.json``, read with asv's own loader, and the folders it names.

asv reads its configuration as JSON5 (comments, trailing commas); so does this. The
configuration's path and the folders' defaults are declared here once: every command that
takes ``--config`` or ``--results`` defaults to what this module says.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Collection

CONFIG = Path("asv.conf.json")
# asv's own defaults for the folders the configuration may leave out.
FOLDER_DEFAULTS = {"repo": ".", "results_dir": "results", "html_dir": "html", "env_dir": "env"}


class ConfigError(Exception):
    """asv.conf.json is missing, unreadable or malformed; the message says which and how."""


def load_config(path: Path = CONFIG) -> dict[str, Any]:
    """The configuration as a dict, or ConfigError naming the file and the problem."""
    from asv import util

    try:
        config = util.load_json(str(path), js_comments=True)
    except OSError as error:
        raise ConfigError(f"cannot read {path}: {error.strerror or error}; run this from "
                          "the repository root") from None
    except (ValueError, util.UserError) as error:
        raise ConfigError(f"{path} is not valid JSON5: {error}") from None
    if not isinstance(config, dict):
        raise ConfigError(f"{path} does not hold a JSON object")
    return config


def configured_pythons(config: dict[str, Any]) -> list[str]:
    """The ``pythons`` list, or ConfigError when it is missing, empty or not strings."""
    pythons = config.get("pythons")
    if not isinstance(pythons, list) or not all(isinstance(p, str) for p in pythons):
        raise ConfigError("'pythons' in asv.conf.json must be a list of names")
    if not pythons:
        raise ConfigError("'pythons' in asv.conf.json is empty: name at least one "
                          "interpreter (see the README's Interpreters section)")
    return list(pythons)


def config_path(config: dict[str, Any], key: str) -> Path:
    """A folder the configuration names (``results_dir``, ``html_dir``, ``env_dir``)."""
    value = config.get(key, FOLDER_DEFAULTS[key])
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{key!r} in asv.conf.json must be a folder name")
    return Path(value)


def folder(key: str, config: Path = CONFIG) -> Path:
    """A folder of the configuration at ``config``, relative to where that file is."""
    return config.parent / config_path(load_config(config), key)


def results_dir(config: Path = CONFIG) -> Path:
    """Where the results are (``results/``)."""
    return folder("results_dir", config)


def environment_folders(config: Path = CONFIG, pythons: Collection[str] | None = None
                        ) -> dict[str, Path]:
    """The environments asv would run for the configuration at ``config`` (its matrix, with
    asv's own names), each with the folder asv builds it in (environments that differ only in
    run-time variables share one); only those of ``pythons`` (the ``pythons`` entries found
    here) where given."""
    from asv import environment, util
    from asv.config import Config

    try:
        loaded = Config.load(str(config))
        base = folder("env_dir", config)
        return {env.name: base / env.dir_name
                for env in environment.get_environments(loaded, None, verbose=False)
                if pythons is None or env.python in pythons}
    except util.UserError as error:
        raise ConfigError(f"{config}: {error}") from None


def environment_names(config: Path = CONFIG) -> list[str]:
    """The environments asv would run (see :func:`environment_folders`)."""
    return list(environment_folders(config))


def environment_count(config: Path = CONFIG) -> int:
    """How many environments the configuration's matrix asks for, found here or not."""
    from asv import environment, util
    from asv.config import Config

    try:
        loaded = Config.load(str(config))
        return sum(1 for _ in environment.iter_matrix(loaded.environment_type, loaded.pythons,
                                                      loaded))
    except util.UserError as error:
        raise ConfigError(f"{config}: {error}") from None
