"""A pull request with the results, for a default branch the workflow's bot may not push to.

A ``main`` protected by required checks or a ruleset refuses the merge job's push. Instead,
with the repository variable ``TASKBENCH_RESULTS_VIA=pull-request``, the merge job pushes its
commit to a branch of its own and opens a pull request from it with GitHub's REST API
(``POST /repos/{owner}/{repo}/pulls``), through the job's token: a few lines of the standard
library rather than a client library for one call. Two settings of the repository decide
whether that works, and the errors name them: GitHub Actions must be allowed to create pull
requests (Settings → Actions → General), and a pull request opened with the job's token
starts no workflow, so its required checks are run by closing and reopening it, or it is
merged by someone who may bypass them.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from typing import Any, Mapping

ALLOW_ACTIONS = ("allow GitHub Actions to open pull requests: Settings → Actions → General → "
                 "Workflow permissions → 'Allow GitHub Actions to create and approve pull "
                 "requests'")


class PullRequestError(Exception):
    """The pull request could not be opened; the message says why and what to do."""


def _reply(error: urllib.error.HTTPError) -> str:
    try:
        data: Any = json.loads(error.read().decode("utf-8", errors="replace"))
    except ValueError:
        return str(error)
    details = [str(item.get("message", "")) for item in data.get("errors", [])
               if isinstance(item, dict)] if isinstance(data, dict) else []
    message = data.get("message", str(error)) if isinstance(data, dict) else str(error)
    return "; ".join([str(message), *filter(None, details)])


def open_pull_request(head: str, base: str, title: str, body: str,
                      environ: Mapping[str, str] | None = None) -> str:
    """Open a pull request from branch ``head`` into ``base``; its address."""
    environ = os.environ if environ is None else environ
    api, repository = environ.get("GITHUB_API_URL", ""), environ.get("GITHUB_REPOSITORY", "")
    token = environ.get("GH_TOKEN") or environ.get("GITHUB_TOKEN") or ""
    if not (api and repository and token):
        raise PullRequestError("GITHUB_API_URL, GITHUB_REPOSITORY and GH_TOKEN must be set to "
                               "open a pull request (the workflow's merge job sets them)")
    request = urllib.request.Request(
        f"{api.rstrip('/')}/repos/{repository}/pulls", method="POST",
        data=json.dumps({"title": title, "head": head, "base": base, "body": body}).encode(),
        headers={"Authorization": f"Bearer {token}", "Accept": "application/vnd.github+json",
                 "X-GitHub-Api-Version": "2022-11-28", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - the API
            return str(json.loads(response.read().decode("utf-8")).get("html_url", ""))
    except urllib.error.HTTPError as error:
        reply = _reply(error)
        if error.code == 403 and "not permitted to create" in reply:
            raise PullRequestError(f"{reply}: {ALLOW_ACTIONS}") from None
        if error.code == 422 and "already exists" in reply:
            return f"(a pull request from {head} into {base} is already open)"
        raise PullRequestError(f"GitHub answered {error.code}: {reply}") from None
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise PullRequestError(f"GitHub's API could not be reached: {error}") from None
