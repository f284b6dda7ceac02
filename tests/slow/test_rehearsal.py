"""The benchmark, pages and pull-request workflows, rehearsed here step by step.

Each Linux job runs as a runner would run it: its YAML read with PyYAML, each ``run:`` step
run as written, in order, by ``bash --noprofile --norc -eo pipefail`` in a fresh clone of the
working tree (committed in a temporary repository), with the matrix's values, GitHub's
environment variables, and ``${{ }}`` worked out by ``test_workflows``' evaluator, which
refuses what it does not know. ``uses:`` steps have stand-ins: checkout clones from a bare
repository standing in for GitHub's; setup-python hands out a venv of this machine's
interpreter (one per version, like a runner's tool cache); the artifact actions copy folders
of the same names and layout; the Pages actions check the site. The scenario: a quick run on
3.12 with one benchmark made to fail (asv's ``ASV_PYTHONPATH``); the Windows job's run step
in Windows mode; a truncated artifact; the merge job pushing while another commit lands
between its fetch and its push; the site built from the pushed commit; a pull request.
"""

from __future__ import annotations

import fnmatch
import os
import platform
import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any, Callable

import pytest

from conftest import ROOT
from taskbench.asvadapter.results import load
from taskbench.catalogue import MEMORY, TASK_COST
from taskbench.interpreters.sources import newest_pyenv_release, pyenv_root
from test_workflows import Expressions, flow, text_of

pytestmark = pytest.mark.slow
ARCH = {"x86_64": "X64", "aarch64": "ARM64", "arm64": "ARM64"}.get(platform.machine(), "X64")
MACHINE, WINDOWS = f"gha-ubuntu-24.04-{ARCH.lower()}", "gha-windows-2022-x64"
FACTS = "interpreters.jsonl"
# The Windows job's steps as they run there, but --windows-mode, since this is not Windows.
WINDOWS_JOB = {"runs-on": "ubuntu-24.04", "steps": [
    {"uses": "actions/checkout@v6", "with": {"fetch-depth": 0}},
    {"uses": "actions/setup-python@v6", "with": {"python-version": "3.12"}},
    {"name": "run the suite", "run": 'python -m pip install -q --no-deps -e .\n'
     'python -m venv "$RUNNER_TEMP/existing"\npython -m taskbench.jobs.ci --name 3.12 '
     f'--python "$RUNNER_TEMP/existing/bin/python" --machine {WINDOWS} --out ci-results '
     '--quick --windows-mode'},
    {"if": "always()", "uses": "actions/upload-artifact@v6",
     "with": {"name": "results-windows-2022-3.12", "path": "ci-results/"}}]}
FAULT = ("try:  # the rehearsal's fault: MemoryPerTask fails, every other benchmark runs\n"
         "    import taskbench.workloads.memory as memory\n"
         "    memory.bytes_per_pending_task = None\nexcept ImportError:\n    pass\n")


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(cwd), "-c", "user.name=rehearsal", "-c",
                           "user.email=rehearsal@example.invalid", *args], check=True,
                          capture_output=True, text=True).stdout.strip()


def key_values(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert not [line for line in lines if "<<" in line.split("=")[0]], "not rehearsed"
    return dict(line.split("=", 1) for line in lines if "=" in line)


class Rehearsal:
    """A bare repository for GitHub's, a tool cache, an artifact store and a log."""

    def __init__(self, tmp: Path) -> None:
        self.tmp, self.log, self.jobs = tmp, [], 0
        source, self.origin = tmp / "snapshot", tmp / "origin.git"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(source)], check=True)
        git(source, "checkout", "-q", "-B", "main")
        git(source, "--work-tree", str(ROOT), "add", "-A")  # the working tree, as it is
        git(source, "commit", "-q", "--allow-empty", "-m", "rehearsal: the working tree")
        self.commit, self.parent = git(source, "rev-parse", "HEAD", "HEAD^").split()
        subprocess.run(["git", "clone", "-q", "--bare", str(source), str(self.origin)],
                       check=True)
        self.artifacts, self.home, self.shims = tmp / "artifacts", tmp / "home", tmp / "shims"
        for folder in (self.artifacts, self.home, self.shims, tmp / "toolcache", tmp / "fault"):
            folder.mkdir()
        if shutil.which("sudo") is None:  # the runners' sudo asks no password; root needs none
            if os.geteuid() != 0:
                pytest.skip("the workflows run `sudo apt-get`: needs sudo or root")
            (self.shims / "sudo").write_text('#!/bin/sh\nexec "$@"\n')
            (self.shims / "sudo").chmod(0o755)

    def tail(self, size: int = 8000) -> str:
        return "\n".join(self.log)[-size:]

    def python(self, version: str, venv: Path) -> Path:
        # A pyenv shim is on PATH for every installed version but runs only those pyenv has
        # selected (exit 127 otherwise), so the install itself is looked up first.
        root = pyenv_root()
        candidates = [ROOT / ".pythons" / "bin" / f"python{version}",
                      root and newest_pyenv_release(root, version),
                      shutil.which(f"python{version}")]
        found = next((str(c) for c in candidates if c and Path(c).exists() and subprocess.run(
            [str(c), "-c", ""], capture_output=True, check=False).returncode == 0), None)
        if found is None:
            pytest.skip(f"no Python {version} here to stand in for setup-python")
        if not venv.exists():
            subprocess.run([found, "-m", "venv", str(venv)], check=True)
        return venv / "bin" / "python"

    def environment(self, github: dict[str, Any], workspace: Path, job: str) -> dict[str, str]:
        keep = {key: value for key, value in os.environ.items() if key.startswith("PIP_")
                or key.lower().endswith("_proxy") or key in ("SSL_CERT_FILE", "TERM")}
        path = [str(self.shims)] + [entry for entry in os.environ["PATH"].split(os.pathsep)
                                    if ".venv" not in entry and str(ROOT) not in entry]
        return {**keep, "PATH": os.pathsep.join(path), "HOME": str(self.home), "CI": "true",
                "XDG_CACHE_HOME": os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache"),
                "LANG": "C.UTF-8", "GITHUB_ACTIONS": "true",
                "GITHUB_WORKSPACE": str(workspace), "GITHUB_REPOSITORY": github["repository"],
                "GITHUB_REF": github["ref"], "GITHUB_REF_NAME": github["ref"].split("/")[-1],
                "GITHUB_SHA": github["sha"], "GITHUB_RUN_ID": github["run_id"],
                "GITHUB_RUN_ATTEMPT": "1", "GITHUB_EVENT_NAME": github["event_name"],
                "GITHUB_JOB": job, "RUNNER_OS": "Linux", "RUNNER_ARCH": ARCH,
                "RUNNER_TEMP": str(workspace.parent / "temp")}

    def job(self, name: str, job: str, github: dict[str, Any], *, matrix: Any = None,
            inputs: Any = None, needs: Any = None, env: Any = None, spec: Any = None,
            after_checkout: Callable[[Path], None] | None = None) -> dict[str, Any]:
        spec, self.jobs = spec or flow(name)["jobs"][job], self.jobs + 1
        workspace = self.tmp / f"job{self.jobs}-{job}" / "workspace"
        (workspace.parent / "temp").mkdir(parents=True)
        contexts = {"github": github, "matrix": matrix or {}, "inputs": inputs or {},
                    "needs": needs or {}, "steps": {}, "runner": {"os": "Linux", "arch": ARCH}}
        ev = Expressions(contexts, ok=all(n["result"] == "success" for n in contexts["needs"]
                                          .values()))
        assert ev.interpolate(spec["runs-on"]).startswith("ubuntu-"), "not a Linux job"
        if not ev.condition(spec.get("if", "success()")):
            return {"result": "skipped", "outputs": {}}
        ev.ok, paths, shell = True, [], spec.get("defaults", {}).get("run", {}).get("shell")
        envs = {**self.environment(github, workspace, job), **(env or {})}
        for number, step in enumerate(spec["steps"]):
            label = f"--- {name} {job}: {step.get('name') or step.get('uses') or step['run']}"
            outputs, outcome = {}, "success"
            if not ev.condition(step.get("if", "success()")):
                self.log.append(f"{label}: skipped")
                continue
            if "uses" in step:
                given = {key: ev.interpolate(value) for key, value in step.get("with", {}).items()}
                outputs = self.stand_in(step["uses"], given, workspace, paths, github)
                if after_checkout and step["uses"].startswith("actions/checkout@"):
                    after_checkout(workspace)
            else:
                assert step.get("shell", shell or "bash") == "bash"
                files = {key: workspace.parent / f"{key.lower()}-{number}" for key in
                         ("GITHUB_OUTPUT", "GITHUB_ENV", "GITHUB_PATH", "GITHUB_STEP_SUMMARY")}
                for path in files.values():
                    path.write_text("")
                (workspace.parent / f"step-{number}.sh").write_text(step["run"])
                environ = {**envs, **{key: text_of(ev.interpolate(value)) for key, value
                                      in step.get("env", {}).items()},
                           **{key: str(path) for key, path in files.items()},
                           "PATH": os.pathsep.join([*paths, envs["PATH"]])}
                started = time.monotonic()
                done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail",
                                       f"../step-{number}.sh"], env=environ, cwd=workspace,
                                      capture_output=True, text=True, timeout=900, check=False)
                self.log.append(f"{label} ({time.monotonic() - started:.0f} s, status "
                                f"{done.returncode})\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
                envs.update(key_values(files["GITHUB_ENV"]))
                paths[:0] = reversed(files["GITHUB_PATH"].read_text().split())
                outputs = key_values(files["GITHUB_OUTPUT"])
                if done.returncode != 0:
                    ev.ok, outcome = False, "failure"
            if "id" in step:
                contexts["steps"][step["id"]] = {"outputs": outputs, "outcome": outcome}
        return {"result": "success" if ev.ok else "failure", "workspace": workspace,
                "outputs": {key: ev.interpolate(value)
                            for key, value in spec.get("outputs", {}).items()}}

    def stand_in(self, uses: str, given: dict[str, Any], workspace: Path, paths: list[str],
                 github: dict[str, Any]) -> dict[str, str]:
        action, artifact = uses.split("@")[0], self.artifacts / str(given.get("name", ""))
        if action == "actions/checkout":
            assert given.get("fetch-depth") == 0, "asv needs the whole history"
            subprocess.run(["git", "clone", "-q", str(self.origin), str(workspace)], check=True)
            ref = given.get("ref") or github["sha"]
            git(workspace, "checkout", "-q", *(["--detach", ref] if given.get("ref")
                                                else ["-B", "main", ref]))
        elif action == "actions/setup-python":
            version = str(given["python-version"])
            python = self.python(version, self.tmp / "toolcache" / version)
            paths.insert(0, str(python.parent))
            return {"python-version": version, "python-path": str(python)}
        elif action == "actions/upload-artifact":
            assert given.get("if-no-files-found") != "error", "not rehearsed"
            if (workspace / given["path"]).is_dir():
                shutil.copytree(workspace / given["path"], artifact)  # a name is used once
        elif action == "actions/download-artifact":
            for name in sorted(os.listdir(self.artifacts)):
                if fnmatch.fnmatch(name, given["pattern"]):
                    shutil.copytree(self.artifacts / name, workspace / given["path"] / name)
        elif action == "actions/upload-pages-artifact":
            for page in ("index.html", "crossversion.html"):
                assert (workspace / given["path"] / page).is_file(), f"the site has no {page}"
            shutil.copytree(workspace / given["path"], self.artifacts / "github-pages")
        elif action == "actions/deploy-pages":
            assert (self.artifacts / "github-pages" / "index.html").is_file(), "no site"
            return {"page_url": "https://example.github.io/taskbench/"}
        else:
            raise ValueError(f"no local stand-in for {uses}")
        return {}


@pytest.fixture(scope="module")
def rehearsal(tmp_path_factory: pytest.TempPathFactory) -> Rehearsal:
    return Rehearsal(tmp_path_factory.mktemp("rehearsal"))


@pytest.fixture(scope="module")
def run(rehearsal: Rehearsal) -> dict[str, Any]:
    r, started, inputs = rehearsal, time.monotonic(), {"quick": True}
    github = {"event_name": "workflow_dispatch", "ref": "refs/heads/main", "sha": r.commit,
              "run_id": "4242", "repository": "example/taskbench", "event": {"inputs": inputs}}
    assert "3.12" in flow("benchmarks.yml")["jobs"]["bench"]["strategy"]["matrix"]["python"]
    (r.tmp / "fault" / "sitecustomize.py").write_text(FAULT)
    bench = r.job("benchmarks.yml", "bench", github, inputs=inputs,
                  matrix={"os": "ubuntu-24.04", "python": "3.12"},
                  env={"ASV_PYTHONPATH": str(r.tmp / "fault")})
    windows = r.job("windows", "bench", github, spec=WINDOWS_JOB)
    broken = r.artifacts / "results-ubuntu-24.04-truncated"
    shutil.copytree(r.artifacts / "results-ubuntu-24.04-3.12", broken)
    for path in [*(broken / MACHINE).glob("*-py3.12.json"), broken / MACHINE / FACTS]:
        path.write_bytes(path.read_bytes()[:path.stat().st_size // 2])
    elsewhere, landed = r.tmp / "elsewhere", r.tmp / "landed"
    subprocess.run(["git", "clone", "-q", str(r.origin), str(elsewhere)], check=True)
    git(elsewhere, "commit", "-q", "--allow-empty", "-m", "pushed while the benchmarks ran")

    def race(workspace: Path) -> None:  # lands between the merge job's fetch and its push
        hook = workspace / ".git" / "hooks" / "post-commit"
        hook.write_text(f"#!/bin/sh\nunset GIT_DIR GIT_INDEX_FILE GIT_WORK_TREE\n[ -e "
                        f"'{landed}' ] && exit 0\n: > '{landed}'\n"
                        f"exec git -C '{elsewhere}' push -q origin HEAD:main\n")
        hook.chmod(0o755)

    merge = r.job("benchmarks.yml", "merge", github, inputs=inputs, needs={"bench": bench},
                  after_checkout=race)
    call = flow("benchmarks.yml")["jobs"]["pages"]
    ev = Expressions({"needs": {"merge": merge}, "github": github, "inputs": inputs})
    assert ev.condition(call["if"]), r.tail()
    given = {key: ev.interpolate(value) for key, value in call["with"].items()}
    build = r.job("pages.yml", "build", github, inputs=given)
    deploy = r.job("pages.yml", "deploy", github, inputs=given, needs={"build": build})
    return {"bench": bench, "windows": windows, "merge": merge, "build": build,
            "deploy": deploy, "other": git(elsewhere, "rev-parse", "HEAD"),
            "seconds": time.monotonic() - started}


def test_a_job_whose_benchmark_fails_still_uploads_what_it_measured(
        rehearsal: Rehearsal, run: dict[str, Any]) -> None:
    log = rehearsal.tail(10**9)
    assert run["bench"]["result"] == "failure", rehearsal.tail()
    assert re.search(r"benchmarks.yml bench: run the suite \(\d+ s, status 2\)", log)  # asv's
    assert "upload what was measured, even when a benchmark failed: skipped" not in log
    figures = load(rehearsal.artifacts / "results-ubuntu-24.04-3.12").figures
    values = {f.benchmark: f.value for f in figures if f.params in ((1_000,), ("1000",))}
    assert values[TASK_COST.name] and values[MEMORY.name] is None, values


def test_the_windows_entry_point_names_its_results_after_the_interpreter(
        rehearsal: Rehearsal, run: dict[str, Any]) -> None:
    assert run["windows"]["result"] == "success", rehearsal.tail()
    folder = rehearsal.artifacts / "results-windows-2022-3.12"
    assert (folder / WINDOWS / f"{rehearsal.commit[:8]}-existing-py3.12.json").is_file()
    assert {(f.python, f.env_name) for f in load(folder).figures} == {("3.12", "existing-py3.12")}


def test_the_merge_lands_on_a_main_that_moved_and_loses_nothing(
        rehearsal: Rehearsal, run: dict[str, Any]) -> None:
    log, origin, pushed = rehearsal.tail(10**9), rehearsal.origin, run["merge"]["outputs"]["commit"]
    assert run["merge"]["result"] == "success" and pushed, rehearsal.tail()
    assert git(origin, "rev-parse", "main", f"{pushed}^", f"{run['other']}^").split() == [
        pushed, run["other"], rehearsal.commit]  # results on the other commit, on ours
    assert "the push was rejected" in log
    for name in (FACTS, f"{rehearsal.commit[:8]}-virtualenv-py3.12.json"):
        assert re.search(f"refused: .*results-ubuntu-24.04-truncated/{MACHINE}/{name}", log), name
    for machine, artifact in ((MACHINE, "ubuntu-24.04"), (WINDOWS, "windows-2022")):
        for path in (rehearsal.artifacts / f"results-{artifact}-3.12" / machine).iterdir():
            committed = subprocess.run(["git", "-C", str(origin), "show", f"main:results/"
                                        f"{machine}/{path.name}"], capture_output=True).stdout
            assert committed == path.read_bytes() or path.name == FACTS, path


def test_the_site_is_rebuilt_from_the_pushed_commit(rehearsal: Rehearsal,
                                                    run: dict[str, Any]) -> None:
    assert run["build"]["result"] == run["deploy"]["result"] == "success", rehearsal.tail()
    assert git(run["build"]["workspace"], "rev-parse", "HEAD") == run["merge"]["outputs"]["commit"]
    assert MACHINE in (rehearsal.artifacts / "github-pages" / "crossversion.html").read_text()
    assert run["seconds"] < 600, f"the rehearsal took {run['seconds']:.0f} s"


def test_a_pull_request_gets_its_relative_benchmark(rehearsal: Rehearsal) -> None:
    event = {"pull_request": {"base": {"sha": rehearsal.parent},
                              "head": {"sha": rehearsal.commit}, "title": "$(touch PWNED)"}}
    github = {"event_name": "pull_request", "ref": "refs/pull/1/merge", "run_id": "4243",
              "sha": rehearsal.commit, "repository": "example/taskbench", "event": event}
    job, log = rehearsal.job("tests.yml", "pr-benchmark", github), rehearsal.tail(10**9)
    assert job["result"] == "success" and "Exact counts on 3.12" in log, rehearsal.tail()
    assert "track_bytes_per_task" in log and not (job["workspace"] / "PWNED").exists()
    measured = {f.commit for f in load(rehearsal.artifacts / "pr-results").figures}
    assert measured == {rehearsal.parent, rehearsal.commit}
