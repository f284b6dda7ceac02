"""The benchmark, pages and pull-request workflows, rehearsed here step by step.

Each job runs as a runner would run it: its YAML read with PyYAML, each ``run:`` step run as
written, in order, by ``bash --noprofile --norc -eo pipefail`` in the job's own workspace,
with the matrix's values, GitHub's environment variables, and ``${{ }}`` worked out by
``test_workflows``' evaluator, which refuses what it does not know. ``uses:`` steps have
stand-ins that do what the actions' sources do (``tests/standins.py``): checkout inits,
fetches and checks out from a bare repository standing in for GitHub's, as actions/checkout
does (a commit id leaves a detached HEAD and no local branch); each workflow run has its own
artifact store with upload-artifact's and download-artifact's layout and conflicts;
setup-python hands every job a fresh venv of this machine's interpreter, as a fresh runner
has nothing installed, so that every install step runs exactly as the workflow writes it;
the Pages actions check the site and keep it as its artifact.

Each runner is handed every interpreter of the workflow, but setup-python's stand-in installs
only :data:`OFFERED` (two versions this machine has; ``tests.yml`` sets both up on GitHub), and
fails for the others as setup-python does for a version it cannot find: the job measures the
two in interleaved blocks and names the rest as missing, as a runner would whose setup-python
failed for some.

The scenario, on a snapshot of the working tree:

1. a quick run by hand: the plan (a try-out); the Linux job with one benchmark made to fail
   (asv's ``ASV_PYTHONPATH``); the Windows job, the workflow's own, with ``runner.os``
   Windows, ``--windows-mode`` added (this is not Windows) and Windows' line endings in force
   for every Python it starts (``tests/crlf.py``, through a ``sitecustomize``): every
   text-mode write and pipe says ``"\r\n"``; figures in the job summaries, ``tryout-*``
   artifacts, no merge, nothing pushed;
2. a run by hand for a ref that does not exist: the plan fails saying so, nothing measured;
3. a scheduled run. Its bench jobs' hour of measuring is stood in for by the try-out's
   folders, uploaded by the bench job's own upload step under the names it gives a published
   run (Linux twice: a partial first attempt, then the re-run), beside a truncated artifact;
   the merge job pushes while another commit lands between its fetch and its push, says
   which interpreters each runner missed and that every version step is paired within one
   runner; the site is built from the pushed commit (a detached checkout) and deployed;
4. a scheduled run whose every bench job failed before uploading: nothing to merge;
5. a scheduled run onto a protected main (run before the third, while main has no results
   yet): the push is refused, the job says what to do in one line and keeps the results in
   the artifact its summary names (the pull request it can open instead is tested in
   ``tests/jobs/test_publish.py``, against a stand-in for GitHub's API);
6. a pull request's relative benchmark.
"""

from __future__ import annotations

import copy
import functools
import json
import os
import platform
import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any, Callable

import pytest

from conftest import ROOT, needs
from standins import ActionFailed, ArtifactStore, checkout
from taskbench import blocklog
from taskbench.asvadapter.results import load
from taskbench.catalogue import MEMORY, TASK_COST
from taskbench.host import fingerprint, host_label
from taskbench.interpreters.sources import newest_pyenv_release, pyenv_root
from taskbench.jobs.machine import cpu_model
from taskbench.jobs.runners import CI_PYTHONS, FREE_THREADED, PAIRED, step_pairing
from taskbench.jobs.summary import TRYOUT
from test_workflows import Expressions, flow, text_of

pytestmark = pytest.mark.slow
ARCH = {"x86_64": "X64", "aarch64": "ARM64", "arm64": "ARM64"}.get(platform.machine(), "X64")
MACHINE, WINDOWS = f"gha-ubuntu-24.04-{ARCH.lower()}", "gha-windows-2022-x64"
FACTS = "interpreters.jsonl"
LINUX, WINDOWS_MATRIX = {"os": "ubuntu-24.04"}, {"os": "windows-2022"}
# The interpreters setup-python's stand-in installs (the tools' 3.12 among them); it fails
# for every other version the workflow asks for. One version step: 3.11 -> 3.12.
OFFERED = ("3.11", "3.12")
NOT_FOUND = "The version '{}' with architecture '{}' was not found for this operating system."
CRLF = ("import sys\nsys.path.insert(0, {tests!r})\nimport crlf\ncrlf.translate()\n"
        "# Windows' line endings for every Python of the rehearsal's Windows job\n")
DECLINE = ("#!/bin/sh\nwhile read old new ref; do\n  if [ \"$ref\" = refs/heads/main ]; then\n"
           "    echo 'error: GH006: Protected branch update failed for refs/heads/main.' >&2\n"
           "    exit 1\n  fi\ndone\n")
FAULT = ("try:  # the rehearsal's fault: MemoryPerTask fails, every other benchmark runs\n"
         "    import taskbench.workloads.memory as memory\n"
         "    memory.bytes_per_pending_task = None\nexcept ImportError:\n    pass\n")


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(cwd), "-c", "user.name=rehearsal", "-c",
                           "user.email=rehearsal@example.invalid", *args], check=True,
                          capture_output=True, text=True).stdout.strip()


def key_values(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()  # "\r\n" as GitHub reads it too
    assert not [line for line in lines if "<<" in line.split("=")[0]], "not rehearsed"
    return dict(line.split("=", 1) for line in lines if "=" in line)


def windows_job() -> dict[str, Any]:
    """The workflow's bench job as it runs on Windows, but in --windows-mode."""
    spec = copy.deepcopy(flow("benchmarks.yml")["jobs"]["bench"])
    (suite,) = [s for s in spec["steps"] if "taskbench.jobs.ci" in s.get("run", "")]
    assert suite["run"].count('--out ci-results "$@"') == 1
    suite["run"] = suite["run"].replace('--out ci-results "$@"',
                                        '--out ci-results --windows-mode "$@"')
    return dict(spec)


class Rehearsal:
    """A bare repository for GitHub's, a log, and one artifact store per workflow run."""

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
        git(self.origin, "symbolic-ref", "HEAD", "refs/heads/main")
        git(self.origin, "config", "uploadpack.allowAnySHA1InWant", "true")  # as GitHub's
        self.home, self.shims = tmp / "home", tmp / "shims"
        for folder in (self.home, self.shims, tmp / "fault"):
            folder.mkdir()
        if shutil.which("sudo") is None:  # the runners' sudo asks no password; root needs none
            if os.geteuid() != 0:
                pytest.skip("the workflows run `sudo apt-get`: needs sudo or root")
            (self.shims / "sudo").write_text('#!/bin/sh\nexec "$@"\n')
            (self.shims / "sudo").chmod(0o755)

    def store(self, run_id: str) -> ArtifactStore:
        return ArtifactStore(self.tmp / "artifacts" / run_id)

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
            pytest.skip(needs("interpreters", f"no Python {version} here to stand in for "
                                             "setup-python"))
        if not venv.exists():
            subprocess.run([found, "-m", "venv", str(venv)], check=True)
        return venv / "bin" / "python"

    def environment(self, github: dict[str, Any], workspace: Path, job: str,
                    runner_os: str) -> dict[str, str]:
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
                "GITHUB_JOB": job, "RUNNER_OS": runner_os, "RUNNER_ARCH": ARCH,
                "RUNNER_NAME": f"rehearsal runner {self.jobs}",
                "RUNNER_TEMP": str(workspace.parent / "temp")}

    def job(self, name: str, job: str, github: dict[str, Any], store: ArtifactStore, *,
            matrix: Any = None, inputs: Any = None, needs: Any = None, env: Any = None,
            spec: Any = None, runner_os: str = "Linux",
            prepare: Callable[[Path], None] | None = None,
            after_checkout: Callable[[Path], None] | None = None) -> dict[str, Any]:
        spec, self.jobs = spec or flow(name)["jobs"][job], self.jobs + 1
        workspace = self.tmp / f"job{self.jobs}-{job}" / "workspace"
        (workspace.parent / "temp").mkdir(parents=True)
        contexts = {"github": github, "matrix": matrix or {}, "inputs": inputs or {},
                    "needs": needs or {}, "steps": {}, "runner": {"os": runner_os, "arch": ARCH},
                    "vars": github.get("vars", {})}
        ev = Expressions(contexts, ok=all(n["result"] == "success" for n in contexts["needs"]
                                          .values()))
        image = {"Linux": "ubuntu-", "Windows": "windows-"}[runner_os]
        assert ev.interpolate(spec["runs-on"]).startswith(image), "not rehearsed on this OS"
        if not ev.condition(spec.get("if", "success()")):
            return {"result": "skipped", "outputs": {}}
        workspace.mkdir()
        if prepare:
            prepare(workspace)
        ev.ok, paths, shell = True, [], spec.get("defaults", {}).get("run", {}).get("shell")
        envs, summaries = {**self.environment(github, workspace, job, runner_os),
                           **(env or {})}, []
        for number, step in enumerate(spec["steps"]):
            label = f"--- {name} {job}: {step.get('name') or step.get('uses') or step['run']}"
            outputs, outcome = {}, "success"
            if not ev.condition(step.get("if", "success()")):
                self.log.append(f"{label}: skipped")
                continue
            if "uses" in step:
                given = {key: ev.interpolate(value) for key, value in step.get("with", {}).items()}
                try:
                    outputs = self.stand_in(step["uses"], given, workspace, paths, github, store)
                except ActionFailed as error:
                    self.log.append(f"{label}: failed: {error}")
                    outcome = "failure"
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
                summaries.append(files["GITHUB_STEP_SUMMARY"].read_bytes().decode())
                if done.returncode != 0:
                    outcome = "failure"
            if outcome == "failure" and step.get("continue-on-error") is not True:
                ev.ok = False
            if "id" in step:
                contexts["steps"][step["id"]] = {"outputs": outputs, "outcome": outcome}
        return {"result": "success" if ev.ok else "failure", "workspace": workspace,
                "summary": "".join(summaries),
                "outputs": {key: ev.interpolate(value)
                            for key, value in spec.get("outputs", {}).items()}}

    def stand_in(self, uses: str, given: dict[str, Any], workspace: Path, paths: list[str],
                 github: dict[str, Any], store: ArtifactStore) -> dict[str, str]:
        action = uses.split("@")[0]
        if action == "actions/checkout":
            checkout(self.origin, workspace, given, github)
        elif action == "actions/setup-python":  # a fresh runner: its own tool cache
            version = str(given["python-version"])
            if version not in OFFERED:
                raise ActionFailed(NOT_FOUND.format(version, ARCH.lower()))
            python = self.python(version, workspace.parent / "toolcache" / version)
            paths.insert(0, str(python.parent))
            return {"python-version": version, "python-path": str(python)}
        elif action == "actions/upload-artifact":
            self.log.append(store.upload(workspace, given))
        elif action == "actions/download-artifact":
            self.log.append(f"downloaded: {store.download(workspace, given)}")
        elif action == "actions/upload-pages-artifact":
            for page in ("index.html", "crossversion.html"):
                if not (workspace / given["path"] / page).is_file():
                    raise ActionFailed(f"the site has no {page}")
            # Its own upload-artifact step: if-no-files-found error, no overwrite.
            store.upload(workspace, {"name": given.get("name", "github-pages"),
                                     "path": given["path"], "if-no-files-found": "error"})
        elif action == "actions/deploy-pages":
            name = given.get("artifact_name", "github-pages")
            if name not in store.names():
                raise ActionFailed(f"No uploaded artifact was found named {name}")
            return {"page_url": "https://example.github.io/taskbench/"}
        else:
            raise ValueError(f"no local stand-in for {uses}")
        return {}


def github_of(r: Rehearsal, event: str, run_id: str, inputs: dict[str, Any] | None
              ) -> dict[str, Any]:
    payload = {"inputs": inputs} if event == "workflow_dispatch" else {}  # schedule: nothing
    return {"event_name": event, "ref": "refs/heads/main", "sha": r.commit, "run_id": run_id,
            "run_attempt": "1", "repository": "example/taskbench", "event": payload}


def quick_run(r: Rehearsal) -> dict[str, Any]:
    inputs = {"quick": True, "ref": ""}
    github, store = github_of(r, "workflow_dispatch", "4242", inputs), r.store("4242")
    plan = r.job("benchmarks.yml", "plan", github, store, inputs=inputs)
    (r.tmp / "fault" / "sitecustomize.py").write_text(FAULT)
    (r.tmp / "crlf").mkdir()
    (r.tmp / "crlf" / "sitecustomize.py").write_text(CRLF.format(tests=str(ROOT / "tests")))
    bench = r.job("benchmarks.yml", "bench", github, store, inputs=inputs, matrix=LINUX,
                  needs={"plan": plan}, env={"ASV_PYTHONPATH": str(r.tmp / "fault")})
    windows = r.job("benchmarks.yml", "bench", github, store, inputs=inputs, runner_os="Windows",
                    matrix=WINDOWS_MATRIX, needs={"plan": plan}, spec=windows_job(),
                    env={"PYTHONPATH": str(r.tmp / "crlf")})
    merge = r.job("benchmarks.yml", "merge", github, store, inputs=inputs,
                  needs={"plan": plan, "bench": bench})
    return {"plan": plan, "bench": bench, "windows": windows, "merge": merge, "store": store,
            "main": git(r.origin, "rev-parse", "main")}


def bad_ref_run(r: Rehearsal) -> dict[str, Any]:
    inputs = {"quick": False, "ref": "no-such-branch"}
    github, store = github_of(r, "workflow_dispatch", "4243", inputs), r.store("4243")
    plan = r.job("benchmarks.yml", "plan", github, store, inputs=inputs)
    bench = r.job("benchmarks.yml", "bench", github, store, inputs=inputs, matrix=LINUX,
                  needs={"plan": plan})
    return {"plan": plan, "bench": bench, "log": r.tail(3000)}


def measured(folder: Path, partial: bool, workspace: Path) -> None:
    """A bench job's ci-results/: the try-out's, or only its build facts (a first attempt)."""
    shutil.copytree(folder, workspace / "ci-results")
    if partial:
        for path in (workspace / "ci-results").rglob("*.json"):
            path.unlink()


def stand_in_uploads(r: Rehearsal, tryout: ArtifactStore, github: dict[str, Any],
                     store: ArtifactStore, plan: dict[str, Any]) -> None:
    """The scheduled bench jobs' uploads, by their own upload step, of the try-out's folders."""
    upload = [s for s in flow("benchmarks.yml")["jobs"]["bench"]["steps"]
              if s.get("uses", "").startswith("actions/upload-artifact@")]
    spec = {"runs-on": "${{ matrix.os }}", "steps": upload}
    for matrix, runner_os, attempts in ((LINUX, "Linux", 2), (WINDOWS_MATRIX, "Windows", 1)):
        folder = tryout.folder / f"tryout-{matrix['os']}"
        for partial in [True] * (attempts - 1) + [False]:  # a failed first attempt, a re-run
            job = r.job("benchmarks.yml", "bench", github, store, spec=spec, matrix=matrix,
                        needs={"plan": plan}, runner_os=runner_os,
                        prepare=functools.partial(measured, folder, partial))
            assert job["result"] == "success", r.tail()


def scheduled_run(r: Rehearsal, tryout: ArtifactStore) -> dict[str, Any]:
    github, store = github_of(r, "schedule", "4244", None), r.store("4244")
    plan = r.job("benchmarks.yml", "plan", github, store)
    stand_in_uploads(r, tryout, github, store, plan)
    broken = store.folder / "results-ubuntu-24.04-truncated"
    shutil.copytree(store.folder / "results-ubuntu-24.04", broken)
    for path in [*(broken / MACHINE).glob("*-py3.12.json"), broken / MACHINE / FACTS]:
        path.write_bytes(path.read_bytes()[:-3])  # cut inside its last line
    elsewhere, landed = r.tmp / "elsewhere", r.tmp / "landed"
    subprocess.run(["git", "clone", "-q", str(r.origin), str(elsewhere)], check=True)
    git(elsewhere, "commit", "-q", "--allow-empty", "-m", "pushed while the benchmarks ran")

    def race(workspace: Path) -> None:  # lands between the merge job's fetch and its push
        hook = workspace / ".git" / "hooks" / "post-commit"
        hook.write_text(f"#!/bin/sh\nunset GIT_DIR GIT_INDEX_FILE GIT_WORK_TREE\n[ -e "
                        f"'{landed}' ] && exit 0\n: > '{landed}'\n"
                        f"exec git -C '{elsewhere}' push -q origin HEAD:main\n")
        hook.chmod(0o755)

    merge = r.job("benchmarks.yml", "merge", github, store, after_checkout=race,
                  needs={"plan": plan, "bench": {"result": "failure", "outputs": {}}})
    call = flow("benchmarks.yml")["jobs"]["pages"]
    ev = Expressions({"needs": {"merge": merge}, "github": github, "inputs": {}})
    assert ev.condition(call["if"]), r.tail()
    given = {key: ev.interpolate(value) for key, value in call["with"].items()}
    build = r.job("pages.yml", "build", github, store, inputs=given)
    deploy = r.job("pages.yml", "deploy", github, store, inputs=given, needs={"build": build})
    return {"plan": plan, "merge": merge, "build": build, "deploy": deploy, "store": store,
            "other": git(elsewhere, "rev-parse", "HEAD")}


def empty_run(r: Rehearsal) -> dict[str, Any]:
    github, store = github_of(r, "schedule", "4245", None), r.store("4245")
    plan = r.job("benchmarks.yml", "plan", github, store)
    before = git(r.origin, "rev-parse", "main")
    merge = r.job("benchmarks.yml", "merge", github, store,
                  needs={"plan": plan, "bench": {"result": "failure", "outputs": {}}})
    return {"merge": merge, "before": before, "after": git(r.origin, "rev-parse", "main"),
            "log": r.tail(4000)}


def protected_run(r: Rehearsal, tryout: ArtifactStore) -> dict[str, Any]:
    """A scheduled run onto a main that refuses the bot's push (GitHub's GH006)."""
    hook = r.origin / "hooks" / "pre-receive"
    hook.write_text(DECLINE)
    hook.chmod(0o755)
    before = git(r.origin, "rev-parse", "main")
    github, store = github_of(r, "schedule", "4247", None), r.store("4247")
    try:
        plan = r.job("benchmarks.yml", "plan", github, store)
        stand_in_uploads(r, tryout, github, store, plan)
        merge = r.job("benchmarks.yml", "merge", github, store,
                      needs={"plan": plan, "bench": {"result": "success", "outputs": {}}})
    finally:
        hook.unlink()
    return {"merge": merge, "store": store, "before": before,
            "after": git(r.origin, "rev-parse", "main")}


@pytest.fixture(scope="module")
def rehearsal(tmp_path_factory: pytest.TempPathFactory) -> Rehearsal:
    return Rehearsal(tmp_path_factory.mktemp("rehearsal"))


@pytest.fixture(scope="module")
def run(rehearsal: Rehearsal) -> dict[str, Any]:
    started = time.monotonic()
    asked = [found.get("with", {}).get("python-version")
             for found in flow("benchmarks.yml")["jobs"]["bench"]["steps"]]
    assert set(OFFERED) <= set(asked) and set(FREE_THREADED) <= set(asked)
    quick = quick_run(rehearsal)
    bad = bad_ref_run(rehearsal)
    protected = protected_run(rehearsal, quick["store"])  # before results land on main
    scheduled = scheduled_run(rehearsal, quick["store"])
    empty = empty_run(rehearsal)
    return {"quick": quick, "bad": bad, "scheduled": scheduled, "empty": empty,
            "protected": protected, "seconds": time.monotonic() - started}


def test_a_job_whose_benchmark_fails_still_uploads_what_it_measured(
        rehearsal: Rehearsal, run: dict[str, Any]) -> None:
    log, quick = rehearsal.tail(10**9), run["quick"]
    assert quick["bench"]["result"] == "failure", rehearsal.tail()
    # asv's status 2: a benchmark failed (and interpreters are missing) on the runner
    assert re.search(r"benchmarks.yml bench: run the suite on every interpreter, in "
                     r"interleaved blocks \(\d+ s, status 2\)", log)
    assert "upload what was measured, even when a benchmark failed: skipped" not in log
    figures = load(quick["store"].folder / "tryout-ubuntu-24.04").figures
    for python in OFFERED:
        values = {f.benchmark: f.value for f in figures
                  if f.python == python and f.params in ((1_000,), ("1000",))}
        assert values[TASK_COST.name] and values[MEMORY.name] is None, values
    machine = json.loads((quick["store"].folder / "tryout-ubuntu-24.04" / MACHINE /
                          "machine.json").read_text())
    facts = [json.loads(line) for line in (quick["store"].folder / "tryout-ubuntu-24.04" /
                                           MACHINE / FACTS).read_text().splitlines()]
    assert {f["cpu"] for f in facts} == {cpu_model()}  # the host's model, beside the results
    assert machine["cpu"] == host_label(fingerprint())  # and the host named: a line its own


def test_each_runner_measures_its_interpreters_in_one_run_of_interleaved_blocks(
        rehearsal: Rehearsal, run: dict[str, Any]) -> None:
    log = rehearsal.tail(10**9)
    for artifact, machine in (("tryout-ubuntu-24.04", MACHINE),
                              ("tryout-windows-2022", WINDOWS)):
        folder = run["quick"]["store"].folder / artifact / machine
        records = blocklog.read(folder / blocklog.BLOCKS_FILE)
        (own,) = [record for (_, env), record in records.items() if env == ""]
        assert len(own["blocks"]) == 1 and sorted(own["blocks"][0]["order"]) == sorted(
            environment for environment in {f.env_name for f in load(folder.parent).figures})
        assert len({record["runner"] for record in records.values()}) == 1
        # The interpreters setup-python could not install are named, with why.
        assert set(own["missing"]) == set(CI_PYTHONS) - set(OFFERED), own["missing"]
        assert NOT_FOUND.format("3.13t", ARCH.lower()) in log
        assert own["missing"]["3.13t"] == "actions/setup-python installed no interpreter for it"
    for version in FREE_THREADED:  # the free-threaded builds are asked for on every runner
        assert f"interpreter {version}: failed: {NOT_FOUND.format(version, ARCH.lower())}" in log


def test_a_quick_run_is_a_tryout_shown_in_summaries_and_never_merged(
        rehearsal: Rehearsal, run: dict[str, Any]) -> None:
    quick = run["quick"]
    assert quick["plan"]["outputs"] == {"commit": rehearsal.commit, "publish": "false"}
    assert quick["store"].names() == ["tryout-ubuntu-24.04", "tryout-windows-2022"]
    for job in (quick["bench"], quick["windows"]):
        assert TRYOUT in job["summary"] and TASK_COST.name in job["summary"], job["summary"]
        assert "| benchmark | parameters | 3.11 | 3.12 |" in job["summary"]
    assert quick["merge"]["result"] == "skipped" and quick["main"] == rehearsal.commit


def test_the_windows_job_runs_with_windows_line_endings_and_names_results_after_interpreters(
        rehearsal: Rehearsal, run: dict[str, Any]) -> None:
    windows = run["quick"]["windows"]
    # Measured, though the missing interpreters make it a failure, as they would on GitHub.
    assert windows["result"] == "failure" and "valgrind, for the instruction counts: skipped" \
        in rehearsal.tail(10**9)
    assert "\r\n" in windows["summary"]  # written in text mode: Windows' "\r\n" was in force
    assert "could not be made" not in rehearsal.tail(10**9)  # git read what the job wrote
    folder = run["quick"]["store"].folder / "tryout-windows-2022"
    for python in OFFERED:
        assert (folder / WINDOWS / f"{rehearsal.commit[:8]}-existing-py{python}.json").is_file()
    assert {(f.python, f.env_name) for f in load(folder).figures} == {
        (python, f"existing-py{python}") for python in OFFERED}


def test_a_ref_that_does_not_exist_stops_the_run_before_anything_is_measured(
        run: dict[str, Any]) -> None:
    bad = run["bad"]
    assert bad["plan"]["result"] == "failure" and bad["bench"]["result"] == "skipped"
    assert "inputs.ref 'no-such-branch' is no commit id, branch or tag" in bad["log"]
    assert "nothing was measured" in bad["log"]


def test_the_merge_lands_on_a_main_that_moved_and_loses_nothing(
        rehearsal: Rehearsal, run: dict[str, Any]) -> None:
    log, origin, scheduled = rehearsal.tail(10**9), rehearsal.origin, run["scheduled"]
    pushed = scheduled["merge"]["outputs"]["commit"]
    assert scheduled["plan"]["outputs"]["publish"] == "true"
    assert scheduled["merge"]["result"] == "success" and pushed, rehearsal.tail()
    assert git(origin, "rev-parse", "main", f"{pushed}^", f"{scheduled['other']}^").split() == [
        pushed, scheduled["other"], rehearsal.commit]  # results on the other commit, on ours
    assert "the push was rejected" in log
    for name in (FACTS, f"{rehearsal.commit[:8]}-virtualenv-py3.12.json"):
        assert re.search(f"refused: .*results-ubuntu-24.04-truncated/{MACHINE}/{name}", log), name
    for machine, artifact in ((MACHINE, "ubuntu-24.04"), (WINDOWS, "windows-2022")):
        # The re-run's upload replaced its first attempt's, which held no results file.
        uploaded = scheduled["store"].folder / f"results-{artifact}" / machine
        assert len(list(uploaded.glob("*-py3.1[12].json"))) == 2
        for path in uploaded.iterdir():
            committed = subprocess.run(["git", "-C", str(origin), "show", f"main:results/"
                                        f"{machine}/{path.name}"], capture_output=True).stdout
            assert committed == path.read_bytes() or path.name == FACTS, path


def test_a_merge_of_two_runners_artifacts_pairs_every_version_step_within_one_runner(
        rehearsal: Rehearsal, run: dict[str, Any], tmp_path: Path) -> None:
    landed = tmp_path / "landed"
    subprocess.run(["git", "clone", "-q", str(rehearsal.origin), str(landed)], check=True)
    pairing = step_pairing(landed / "results")
    assert {step.machine for step in pairing} == {MACHINE, WINDOWS}
    assert [(step.a, step.b) for step in pairing] == [("3.11", "3.12")] * 2
    crossed = [step for step in pairing if step.status != PAIRED]
    assert crossed == [], crossed  # 0 cross-runner pairs
    log = rehearsal.tail(10**9)
    assert f"2 of 2 version steps on {MACHINE}, {WINDOWS} are {PAIRED}." in log
    assert "macos-15: no results at all" in log  # no artifact from that runner in this run
    assert re.search(f"{MACHINE}: no results for 3.8 .*3.13t \\(actions/setup-python "
                     "installed no interpreter for it\\)", log)


def test_the_site_is_built_from_the_pushed_commit_checked_out_detached(
        rehearsal: Rehearsal, run: dict[str, Any]) -> None:
    scheduled = run["scheduled"]
    assert scheduled["build"]["result"] == scheduled["deploy"]["result"] == "success", \
        rehearsal.tail()
    workspace = scheduled["build"]["workspace"]
    assert git(workspace, "rev-parse", "HEAD") == scheduled["merge"]["outputs"]["commit"]
    assert git(workspace, "for-each-ref", "refs/heads") == ""  # detached, no branch: as on GitHub
    site = scheduled["store"].folder / "github-pages-1"
    assert MACHINE in (site / "index.html").read_text()  # the front door is the answer
    slowest = sorted(re.findall(r"^--- (.*) \((\d+) s, status", rehearsal.tail(10**9), re.M),
                     key=lambda found: -int(found[1]))[:8]
    # Each runner builds two asv environments and a protected main is rehearsed too (issue
    # 31): about 5.5 minutes of CPU time, 12 minutes on this 2-core machine while others ran.
    assert run["seconds"] < 900, f"the rehearsal took {run['seconds']:.0f} s: {slowest}"


def test_a_run_whose_every_job_failed_before_uploading_has_nothing_to_merge(
        run: dict[str, Any]) -> None:
    empty = run["empty"]
    assert empty["merge"]["result"] == "success" and empty["before"] == empty["after"]
    assert "Nothing to merge" in empty["log"] and not empty["merge"]["outputs"]["commit"]


def test_a_protected_main_keeps_the_results_and_says_what_to_do(
        rehearsal: Rehearsal, run: dict[str, Any]) -> None:
    protected = run["protected"]
    assert protected["before"] == protected["after"]  # main refused the push
    assert protected["merge"]["result"] == "failure", rehearsal.tail()
    summary = protected["merge"]["summary"]
    assert "unpushed-results" in summary and "TASKBENCH_RESULTS_VIA=pull-request" in summary
    assert "main is protected and refused the bot's push" in summary
    assert protected["store"].names() == ["results-ubuntu-24.04", "results-windows-2022",
                                          "unpushed-results"]
    kept = protected["store"].folder / "unpushed-results"
    assert {f.machine for f in load(kept / "results-ubuntu-24.04").figures} == {MACHINE}


def test_a_pull_request_gets_its_relative_benchmark(rehearsal: Rehearsal) -> None:
    event = {"pull_request": {"base": {"sha": rehearsal.parent},
                              "head": {"sha": rehearsal.commit}, "title": "$(touch PWNED)"}}
    github = {"event_name": "pull_request", "ref": "refs/pull/1/merge", "run_id": "4246",
              "run_attempt": "1",
              "sha": rehearsal.commit, "repository": "example/taskbench", "event": event}
    store = rehearsal.store("4246")
    job = rehearsal.job("tests.yml", "pr-benchmark", github, store)
    log = rehearsal.tail(10**9)
    assert job["result"] == "success" and "Exact counts on 3.12" in log, rehearsal.tail()
    assert "track_bytes_per_task" in log and not (job["workspace"] / "PWNED").exists()
    measured = {f.commit for f in load(store.folder / "pr-results").figures}
    assert measured == {rehearsal.parent, rehearsal.commit}
