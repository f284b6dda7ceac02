"""The one driver of asv: every job, view and test that runs asv builds its command line here.

asv reads one configuration file; a job that needs its results, site or environments
somewhere else (a scratch folder for a try-out, a temporary one for a test) gets a copy of
``asv.conf.json`` with those folders replaced by absolute paths (and any other setting a
caller gives, as the site gives its links), written to a temporary folder outside the
repository. The flags every measurement needs are set here once: samples
recorded (``--record-samples``, so that asv's statistics and ``asv compare`` can work on
them) and :data:`taskbench.catalogue.ROUNDS` rounds (``-a rounds=N``: each sampled figure is
measured in that many separate processes, interleaved with the other benchmarks).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Mapping, Sequence

from taskbench.asvadapter.config import CONFIG, config_path, load_config
from taskbench.catalogue import ROUNDS
from taskbench.git import GitError, git
from taskbench.workloads.asvinstall import BUILDER

SEEDING = {"VIRTUALENV_PIP": "embed", "VIRTUALENV_NO_PERIODIC_UPDATE": "1"}
# asv's own test for its forkserver (asv.runner.get_spawner): Windows has neither.
CAN_FORK = hasattr(os, "fork") and hasattr(socket, "AF_UNIX")
# The configuration's interpreters measured as asv's existing environments (a CI runner on
# Windows, taskbench.jobs.ci): asv names such an environment after the executable's path,
# but resolves no existing environment by that name (only ``existing:PATH``), so the driver
# gives asv the one for the other wherever an environment is named.
EXISTING = "taskbench_existing"


def existing_name(python: str) -> str:
    """asv's name of the existing environment of the interpreter ``python`` (asv 0.6's
    ``ExistingEnvironment.name``), found without starting the interpreter."""
    from asv import environment, util

    executable = os.path.abspath(util.which(python))
    return str(environment.get_env_name("existing", executable.replace(os.path.sep, "_"),
                                        {}, {}))


def head_commit() -> str:
    """The commit asv measures (``HEAD``), or ValueError outside a git checkout."""
    try:
        return git("rev-parse", "--verify", "HEAD")
    except GitError as error:
        raise ValueError(f"not inside a git checkout with a commit ({error}); asv measures "
                         "commits: run this from a clone of the repository") from None


@dataclass
class AsvDriver:
    """asv on one configuration, with any of its folders overridden.

    Use it as a context manager: the overriding copy of the configuration lives in a
    temporary folder removed on exit.
    """

    config: Path = CONFIG
    results_dir: Path | None = None
    html_dir: Path | None = None
    env_dir: Path | None = None
    repo: Path | None = None  # the git repository asv reads, when not the configured one
    home: Path | None = None  # for ~/.asv-machine.json, when a test must not touch the real one
    settings_overrides: Mapping[str, Any] = field(default_factory=dict)  # other asv settings
    env: Mapping[str, str] = field(default_factory=dict)
    _temporary: tempfile.TemporaryDirectory[str] | None = field(default=None, init=False)

    def __enter__(self) -> AsvDriver:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None
                 ) -> None:
        if self._temporary is not None:
            self._temporary.cleanup()
            self._temporary = None

    @property
    def settings(self) -> dict[str, Any]:
        return load_config(self.config)

    def folder(self, key: str) -> Path:
        """A folder of the effective configuration (overrides applied), relative to it."""
        override = {"results_dir": self.results_dir, "html_dir": self.html_dir,
                    "env_dir": self.env_dir}.get(key)
        if override is not None:
            return override
        return self.config.parent / config_path(self.settings, key)

    def config_file(self) -> Path:
        """The configuration asv is given: the real one, or a copy with the overrides."""
        overrides = (self.results_dir, self.html_dir, self.env_dir, self.repo)
        if all(override is None for override in overrides) and not self.settings_overrides:
            return self.config
        if self._temporary is None:
            self._temporary = tempfile.TemporaryDirectory(prefix="taskbench-asv-")
        settings = {**self.settings, **self.settings_overrides}
        base = self.config.resolve().parent
        settings.update({
            "repo": str(self.repo.resolve() if self.repo is not None
                        else base / str(settings.get("repo", "."))),
            "benchmark_dir": str(base / str(settings.get("benchmark_dir", "benchmarks"))),
            "results_dir": str(self.folder("results_dir").resolve()),
            "html_dir": str(self.folder("html_dir").resolve()),
            "env_dir": str(self.folder("env_dir").resolve()),
        })
        path = Path(self._temporary.name) / "asv.conf.json"
        path.write_text(json.dumps(settings, indent=1), encoding="utf-8")
        return path

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "asv", *args, "--config", str(self.config_file())]

    def environ(self) -> dict[str, str]:
        # New environments get virtualenv's own embedded pip, never a newer one its background
        # update left in ~/.cache/virtualenv: a newer pip need not run on the oldest
        # interpreter configured (pip 26 does not import on Python 3.8).
        # taskbench's wheel is built by this Python, whatever the environment's (see
        # taskbench.workloads.asvinstall).
        extra = {**SEEDING, BUILDER: sys.executable, **self.env}
        if self.home is not None:
            self.home.mkdir(parents=True, exist_ok=True)
            extra["HOME"] = str(self.home)
        return {**os.environ, **extra}

    def call(self, *args: str, capture: bool = False, timeout: float | None = None,
             cwd: Path | None = None, prefix: str | None = None
             ) -> subprocess.CompletedProcess[str]:
        """asv with ``args``; with ``prefix``, its output is printed line by line behind it
        (two runs at once stay readable) and returned."""
        if prefix is None:
            return subprocess.run(self.command(*args), env=self.environ(), text=True,
                                  capture_output=capture, timeout=timeout,
                                  cwd=cwd or self.config.resolve().parent, check=False)
        lines = []
        with subprocess.Popen(self.command(*args), env=self.environ(), text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              cwd=cwd or self.config.resolve().parent) as process:
            assert process.stdout is not None
            for line in process.stdout:
                lines.append(line)
                print(f"{prefix} {line}", end="", flush=True)
        return subprocess.CompletedProcess(args, process.returncode, "".join(lines), "")

    def machine(self, details: Mapping[str, str], **options: Any
                ) -> subprocess.CompletedProcess[str]:
        """``asv machine --yes`` with every field given explicitly."""
        return self.call("machine", "--yes", *(f"--{key}={value}"
                                               for key, value in details.items()), **options)

    def run_arguments(self, *, machine: str, range_spec: str | None = "HEAD^!",
                      set_commit_hash: str | None = None,
                      environments: Sequence[str] = (), bench: Sequence[str] = (),
                      quick: bool = False, rounds: int = ROUNDS,
                      launch_method: str | None = None) -> list[str]:
        """The arguments of ``asv run`` for one measurement (see the module docstring).

        Requests asv would refuse are made as asv takes them: an existing environment named
        by asv's name for it is given as ``existing:PATH`` (:data:`EXISTING`); a range for
        environments that are all ``existing`` ones (asv measures no range there) measures the
        checked-out commit, given as ``--set-commit-hash``; and the ``forkserver`` launch
        method where the platform cannot fork (Windows) is asv's ``spawn``, a process started
        per benchmark."""
        environments = self.specs(environments)
        if range_spec == "HEAD^!" and environments and all(
                spec.startswith("existing:") for spec in environments):
            range_spec, set_commit_hash = None, set_commit_hash or head_commit()
        if launch_method == "forkserver" and not CAN_FORK:
            launch_method = "spawn"
        args = ["run"] + ([range_spec] if range_spec is not None else [])
        args += [f"--machine={machine}", "--show-stderr", "--record-samples"]
        if set_commit_hash is not None:
            args.append(f"--set-commit-hash={set_commit_hash}")
        if launch_method is not None:
            args.append(f"--launch-method={launch_method}")
        return args + _selection(environments, bench, quick, rounds)

    def specs(self, environments: Sequence[str]) -> list[str]:
        """``environments`` as asv takes them: ``existing:PATH`` for asv's name of an existing
        environment the configuration lists (:data:`EXISTING`), the rest as they are."""
        if not any(env.startswith("existing-") for env in environments):
            return list(environments)
        listed = {**self.settings, **self.settings_overrides}.get(EXISTING, [])
        named = {}
        for python in listed if isinstance(listed, list) else []:
            try:
                named[existing_name(str(python))] = f"existing:{python}"
            except OSError:  # not there: asv says so for the spec itself
                continue
        return [named.get(env, env) for env in environments]

    def run(self, *, capture: bool = False, timeout: float | None = None,
            prefix: str | None = None, **arguments: Any) -> subprocess.CompletedProcess[str]:
        return self.call(*self.run_arguments(**arguments), capture=capture, timeout=timeout,
                         prefix=prefix)

    def continuous(self, base: str, head: str, *, machine: str,
                   environments: Sequence[str] = (), bench: Sequence[str] = (),
                   quick: bool = False, rounds: int = ROUNDS, capture: bool = False,
                   timeout: float | None = None) -> subprocess.CompletedProcess[str]:
        """``asv continuous BASE HEAD``: both commits measured into the results folder and
        asv's comparison printed; its status is 1 when HEAD is slower, 2 when a run failed."""
        args = ["continuous", base, head, f"--machine={machine}", "--show-stderr",
                "--record-samples", *_selection(environments, bench, quick, rounds)]
        return self.call(*args, capture=capture, timeout=timeout)

    def publish(self, **options: Any) -> subprocess.CompletedProcess[str]:
        return self.call("publish", **options)

    def setup(self, environments: Sequence[str] = ()) -> None:
        """``asv setup``: the environments created, one after another (virtualenv's seeding
        shares one cache folder, which two creations at once can corrupt). asv 0.6 exits 1
        and prints its list of environments whatever happens, so neither is shown; what it
        says of an environment it could not create is, and ``asv run`` says it again."""
        done = self.call("setup", *[option for spec in self.specs(environments)
                                    for option in ("-E", spec)], capture=True)
        for line in (done.stdout + done.stderr).splitlines():
            if not line.startswith("[<asv."):
                print(line, flush=True)

    def check(self, python: str = "same", **options: Any) -> subprocess.CompletedProcess[str]:
        """``asv check``: every benchmark imports and is well formed (the slow tests use it)."""
        return self.call("check", f"--python={python}", **options)


def _selection(environments: Sequence[str], bench: Sequence[str], quick: bool, rounds: int
               ) -> list[str]:
    """What a measurement runs: environments, benchmarks, and how many processes each."""
    args = [option for spec in environments for option in ("-E", spec)]
    args += [option for pattern in bench for option in ("--bench", pattern)]
    return args + (["--quick"] if quick else ["-a", f"rounds={rounds}"])
