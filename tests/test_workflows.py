"""The GitHub workflows pass actionlint and keep to the pipeline's rules."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
USES = re.compile(r"^\s*-?\s*uses:\s*(\S+)(.*)$", re.MULTILINE)


def test_there_are_the_three_workflows() -> None:
    assert {path.stem for path in WORKFLOWS} == {"tests", "benchmarks", "pages"}


def test_actionlint_passes() -> None:
    actionlint = Path(sys.executable).with_name("actionlint")
    result = subprocess.run([str(actionlint), *map(str, WORKFLOWS)], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda path: path.name)
def test_actions_are_pinned_to_a_commit_with_the_version_named(workflow: Path) -> None:
    uses = USES.findall(workflow.read_text())
    assert uses
    for action, comment in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", action), action
        assert re.search(r"#\s*v\d", comment), f"{action}: no version comment"


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda path: path.name)
def test_least_privilege_and_no_pull_request_target(workflow: Path) -> None:
    text = workflow.read_text()
    assert re.search(r"^permissions:\n  contents: read$", text, re.MULTILINE)
    assert "pull_request_target" not in text
