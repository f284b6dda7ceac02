"""Local stand-ins for the actions the workflows pin, each doing what the action's source does.

* :func:`checkout` follows actions/checkout v6.0.0 (``src/input-helper.ts``,
  ``src/ref-helper.ts``, ``src/git-source-provider.ts``): ``git init``, ``git remote add
  origin``, then with ``fetch-depth: 0`` a fetch of every branch into ``refs/remotes/origin/``
  and every tag (a pull request's ref too), and a targeted fetch when the ref moved; with a
  depth, a ``--depth`` fetch of only the ref or commit; then the checkout: ``-B BRANCH
  refs/remotes/origin/BRANCH`` for a branch, the bare commit for a commit id (detached, no
  local branch at all), ``refs/remotes/pull/N/merge`` for a pull request (detached).
* :class:`GitHubApi` stands in for the one call of GitHub's REST API the workflows make
  (``POST /repos/{owner}/{repo}/pulls``, opening a pull request), on a local port: it
  answers as told (201 with the pull request's address, or an error GitHub gives) and keeps
  each request.
* :class:`ArtifactStore` is one workflow run's artifacts, as upload-artifact v6 and
  download-artifact v7 keep them: a directory's files under it (hidden ones left out, as
  ``include-hidden-files: false`` does), nothing uploaded when no file is found, a second
  upload under a name already used refused unless ``overwrite: true``; a download of one
  artifact extracted straight into ``path``, of several each into ``path/NAME``, of none
  making no folder at all.
"""

from __future__ import annotations

import fnmatch
import json
import re
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

SHA = re.compile(r"[0-9a-fA-F]{40}")
TAGS = "+refs/tags/*:refs/tags/*"


class ActionFailed(Exception):
    """The action would fail the step; the message is what it would say."""


def _git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    if check and done.returncode != 0:
        raise ActionFailed(f"git {' '.join(args)}: {done.stderr.strip()}")
    return done


def _refspec(ref: str, commit: str) -> list[str]:
    """ref-helper.ts ``getRefSpec``."""
    if commit:
        for prefix, target in (("refs/heads/", "refs/remotes/origin/"),
                               ("refs/pull/", "refs/remotes/pull/"), ("refs/tags/", "refs/tags/")):
            if ref.startswith(prefix):
                return [f"+{commit}:{target}{ref[len(prefix):]}"]
        return [commit]
    if not ref.startswith("refs/"):
        return [f"+refs/heads/{ref}*:refs/remotes/origin/{ref}*",
                f"+refs/tags/{ref}*:refs/tags/{ref}*"]
    if ref.startswith("refs/heads/"):
        return [f"+{ref}:refs/remotes/origin/{ref[len('refs/heads/'):]}"]
    if ref.startswith("refs/pull/"):
        return [f"+{ref}:refs/remotes/pull/{ref[len('refs/pull/'):]}"]
    return [f"+{ref}:{ref}"]


def _fetch(workspace: Path, refspecs: list[str], depth: int) -> None:
    """git-command-manager.ts ``fetch``."""
    args = ["-c", "protocol.version=2", "fetch"]
    if TAGS not in refspecs:
        args.append("--no-tags")
    args += ["--prune", "--no-recurse-submodules"]
    if depth > 0:
        args.append(f"--depth={depth}")
    elif (workspace / ".git" / "shallow").exists():
        args.append("--unshallow")
    _git(workspace, *args, "origin", *refspecs)


def _ref_is_there(workspace: Path, ref: str, commit: str) -> bool:
    """ref-helper.ts ``testRef``."""
    if not commit:
        return True
    if not ref:
        return _git(workspace, "rev-parse", "--verify", "--quiet", f"{commit}^{{object}}",
                    check=False).returncode == 0
    for prefix, local in (("refs/heads/", "refs/remotes/origin/"), ("refs/tags/", "refs/tags/")):
        if ref.startswith(prefix):
            found = _git(workspace, "rev-parse", "--verify", "--quiet",
                         local + ref[len(prefix):], check=False)
            return found.returncode == 0 and found.stdout.strip() == commit
    return True


def _checkout_target(workspace: Path, ref: str, commit: str) -> list[str]:
    """ref-helper.ts ``getCheckoutInfo``, as ``git checkout`` arguments."""
    if not ref:
        return [commit]
    if ref.startswith("refs/heads/"):
        branch = ref[len("refs/heads/"):]
        return ["-B", branch, f"refs/remotes/origin/{branch}"]
    if ref.startswith("refs/pull/"):
        return [f"refs/remotes/pull/{ref[len('refs/pull/'):]}"]
    if ref.startswith("refs/"):
        return [commit or ref]
    if _git(workspace, "branch", "--list", "--remote", f"origin/{ref}").stdout.strip():
        return ["-B", ref, f"refs/remotes/origin/{ref}"]
    if _git(workspace, "tag", "--list", ref).stdout.strip():
        return [f"refs/tags/{ref}"]
    raise ActionFailed(f"A branch or tag with the name '{ref}' could not be found")


def checkout(origin: Path, workspace: Path, given: dict[str, Any], github: dict[str, Any]
             ) -> None:
    """actions/checkout v6.0.0 into ``workspace`` from ``origin`` (see the module docstring)."""
    ref, commit = str(given.get("ref") or ""), ""
    if not ref:
        ref, commit = github["ref"], github["sha"]
        if not ref.startswith("refs/"):
            ref = f"refs/heads/{ref}"
    elif SHA.fullmatch(ref):
        ref, commit = "", ref
    depth = int(given.get("fetch-depth", 1) or 0)
    workspace.mkdir(parents=True, exist_ok=True)
    _git(workspace, "init", "-q", str(workspace))
    _git(workspace, "remote", "add", "origin", str(origin))
    _git(workspace, "config", "--local", "gc.auto", "0")
    if depth <= 0:
        everything = ["+refs/heads/*:refs/remotes/origin/*", TAGS]
        if ref.startswith("refs/pull/"):
            everything.append(f"+{commit or ref}:refs/remotes/pull/{ref[len('refs/pull/'):]}")
        _fetch(workspace, everything, 0)
        if not _ref_is_there(workspace, ref, commit):
            _fetch(workspace, _refspec(ref, commit), 0)
    else:
        _fetch(workspace, _refspec(ref, commit), depth)
    _git(workspace, "checkout", "--progress", "--force", *_checkout_target(workspace, ref, commit))


def _visible_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file() and not any(
        part.startswith(".") for part in path.relative_to(root).parts))


class ArtifactStore:
    """One workflow run's artifacts (see the module docstring)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def names(self) -> list[str]:
        return sorted(path.name for path in self.folder.iterdir())

    def upload(self, workspace: Path, given: dict[str, Any]) -> str:
        """upload-artifact v6: what it would log; ActionFailed where it fails the step."""
        name, source = str(given.get("name") or "artifact"), workspace / str(given["path"])
        found = _visible_files(source) if source.is_dir() else []
        if not found:
            if given.get("if-no-files-found", "warn") == "error":
                raise ActionFailed(f"No files were found with the provided path: {source}.")
            return f"No files were found with the provided path: {source}. No artifacts will " \
                   "be uploaded."
        target = self.folder / name
        if target.exists():
            if str(given.get("overwrite", False)).lower() != "true":
                raise ActionFailed("Failed to CreateArtifact: (409) Conflict: an artifact with "
                                   "this name already exists on the workflow run")
            shutil.rmtree(target)
        for path in found:
            (target / path.relative_to(source)).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target / path.relative_to(source))
        return f"Artifact {name} has been successfully uploaded ({len(found)} files)"

    def download(self, workspace: Path, given: dict[str, Any]) -> list[str]:
        """download-artifact v7 by ``name`` or ``pattern``: the names it downloaded."""
        path = workspace / str(given.get("path") or ".")
        if given.get("name"):
            if given["name"] not in self.names():
                raise ActionFailed(f"Artifact '{given['name']}' not found")
            matched, single = [str(given["name"])], True
        else:
            pattern = str(given.get("pattern") or "*")
            matched = [name for name in self.names() if fnmatch.fnmatchcase(name, pattern)]
            single = len(matched) == 1 or str(given.get("merge-multiple")).lower() == "true"
        for name in matched:
            shutil.copytree(self.folder / name, path if single else path / name,
                            dirs_exist_ok=True)
        return matched


class GitHubApi:
    """GitHub's API for opening a pull request, on a local port (see the module docstring)."""

    def __init__(self, status: int = 201, reply: dict[str, Any] | None = None) -> None:
        self.requests: list[dict[str, Any]] = []
        self.status, self.reply = status, reply or {"html_url": "https://example.invalid/pull/1"}
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                api.requests.append({"path": self.path, "body": body,
                                     "authorization": self.headers["Authorization"]})
                data = json.dumps(api.reply).encode()
                self.send_response(api.status)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                return None

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def environment(self) -> dict[str, str]:
        """What a runner sets for the API: its address."""
        return {"GITHUB_API_URL": f"http://127.0.0.1:{self.server.server_port}"}

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
