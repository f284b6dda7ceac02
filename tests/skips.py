"""No test skips for want of what the Makefile provides; the skips that remain are named.

``make test`` installs or gathers everything its tests need (:data:`PROVIDED`) before it runs
them. A test that would skip for want of one of these gives :func:`needs` as its reason, and
the skip is turned into a failure (:func:`pytest_runtest_makereport`): it would otherwise
pass unseen where the Makefile could have run it. The skips that remain (what no Makefile
target can provide: another Python version's APIs, root) are named, each test under its
reason, in the run's last lines (:func:`pytest_terminal_summary`). ``tests/conftest.py``
imports both hooks, so that they hold for every test.
"""

from __future__ import annotations

from typing import Any

import pytest

# What `make test` provides before the tests run, and the target that provides it.
PROVIDED = {"valgrind": "make valgrind", "interpreters": "make pythons",
            "clients": "make venv", "browser": "make browser"}
NEEDS = "needs "


def needs(what: str, detail: str = "") -> str:
    """The reason of a skip for want of something ``make test`` provides: a failure."""
    return (f"{NEEDS}{what}{f' ({detail})' if detail else ''}, which `{PROVIDED[what]}` "
            "provides and `make test` runs first")


def _reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    return str(longrepr[2]) if isinstance(longrepr, tuple) else str(longrepr)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """A skip whose reason is :func:`needs`'s fails instead."""
    outcome = yield
    report = outcome.get_result()
    reason = _reason(report) if report.skipped else ""
    if reason.removeprefix("Skipped: ").startswith(NEEDS):
        report.outcome = "failed"
        report.longrepr = (f"{item.nodeid} would have been skipped: "
                           f"{reason.removeprefix('Skipped: ')}. A test skipped for want of "
                           "what the Makefile provides is a failure (tests/skips.py).")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """The skips left, by reason, each test named: none of them can `make test` remedy."""
    skipped = terminalreporter.stats.get("skipped", [])
    by_reason: dict[str, list[str]] = {}
    for report in skipped:
        by_reason.setdefault(_reason(report).removeprefix("Skipped: "), []).append(
            report.nodeid)
    if not skipped:
        return
    terminalreporter.write_sep("=", f"{len(skipped)} skipped, for reasons no Makefile "
                                    "target can remedy")
    for reason, nodeids in sorted(by_reason.items()):
        terminalreporter.write_line(f"{len(nodeids)} skipped: {reason}")
        for nodeid in nodeids:
            terminalreporter.write_line(f"    {nodeid}")
