"""taskbench.site.readymade: the front page's views of asv's graphs are links asv's graph page
reads back as the state they name, and only for what asv published."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from taskbench.catalogue import TASK_COST
from taskbench.site.readymade import asv_link, ready_made, side_by_side


def index(pythons: list[str], counts: list[str] | None = None) -> dict[str, Any]:
    counts = counts if counts is not None else ["1", "10", "100", "1000", "10000", "100000"]
    return {"benchmarks": {TASK_COST.name: {"param_names": ["count"], "params": [counts]}},
            "params": {"python": pythons, "env-PYTHON_JIT": ["1", None]}}


def state(href: str) -> tuple[str, dict[str, list[str]]]:
    """The benchmark and state asv's parse_hash_string reads from ``href``."""
    page, _, fragment = href.partition("#")
    assert page == "asv.html"
    location, _, query = fragment.partition("?")
    found: dict[str, list[str]] = {}
    for part in query.split("&") if query else []:
        key, value = part.split("=")
        found.setdefault(unquote(key), []).append(unquote(value))
    return location, found


def test_the_headline_count_the_log_count_axis_and_two_interpreters() -> None:
    views = ready_made(index(["3.10", "3.12", "3.13", "3.14-debian", "3.15-debian", "pypy3.11",
                              "3.9"]))

    assert [state(view.href) for view in views] == [
        (TASK_COST.name, {"p-count": ["100000"]}),
        (TASK_COST.name, {"x-axis": ["count"], "y-axis-scale": ["log"]}),
        (TASK_COST.name, {"x-axis": ["count"], "y-axis-scale": ["log"], "python": ["3.12", "3.13"],
                          "env-PYTHON_JIT": ["[none]"]})]
    assert "100,000" in views[0].title and "3.12 and 3.13" in views[2].title


def test_nothing_is_offered_that_asv_did_not_publish() -> None:
    assert ready_made({"benchmarks": {}, "params": {}}) == []
    views = ready_made(index(["3.13"], counts=["1", "1000"]))
    assert [state(view.href)[1] for view in views] == [{"x-axis": ["count"],
                                                         "y-axis-scale": ["log"]}]


def test_the_pair_is_the_newest_two_of_the_largest_family() -> None:
    assert side_by_side(["3.14-debian", "3.13-debian", "3.15-debian", "3.12", "3.13"]) == (
        "3.14-debian", "3.15-debian")
    assert side_by_side(["3.9", "3.10", "3.8", "3.11-debian"]) == ("3.9", "3.10")
    assert side_by_side(["3.13", "pypy3.11", "weird"]) is None


def test_values_are_encoded_as_asv_encodes_them() -> None:
    assert asv_link("a.B.c", {"p-api": ["'create_task+wait'"]}) == \
        "asv.html#a.B.c?p-api=%27create_task%2Bwait%27"
    assert asv_link("a.B.c") == "asv.html#a.B.c"
