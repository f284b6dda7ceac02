"""One spelling of "skip": inside asv it is asv_runner's own, so that asv skips a figure
wherever it is raised; outside, a NotImplementedError; and it never imports asv_runner."""

from __future__ import annotations

from conftest import run_python


def test_inside_asv_it_is_asv_runners_skip() -> None:
    found = run_python("-c", (
        "import asv_runner.benchmarks.mark as mark\n"
        "from taskbench.workloads import Unavailable\n"
        "print(issubclass(Unavailable, mark.SkipNotImplemented))"))
    assert found.stdout.strip() == "True", found.stderr


def test_outside_asv_it_imports_nothing_of_asv_runner() -> None:
    found = run_python("-c", (
        "import sys\n"
        "from taskbench.workloads import Unavailable\n"
        "print(issubclass(Unavailable, NotImplementedError),"
        " any(name.startswith('asv_runner') for name in sys.modules))"))
    assert found.stdout.split() == ["True", "False"], found.stderr
