"""taskbench.site.intervals: the bounds appended to asv's graph files are strict JSON, so that
the browser can read them: asv's interval of a single sample, (-inf, inf), is no interval."""

from __future__ import annotations

import json
from pathlib import Path

from asv.graph import Graph

from conftest import write_results
from taskbench.catalogue import THROUGHPUT
from taskbench.site.intervals import add_intervals


def _strict(text: str) -> object:
    def refuse(constant: str) -> None:
        raise ValueError(f"{constant} is not JSON")
    return json.loads(text, parse_constant=refuse)


def test_a_single_samples_interval_is_written_as_none(tmp_path: Path) -> None:
    results, html = tmp_path / "results", tmp_path / "html"
    write_results(results, {THROUGHPUT: {(100_000,): [7e4], (200_000,): [5e4, 5.1e4, 4.9e4]}},
                  python="3.13", commit="c" * 40)
    params = {"machine": "box", "python": "3.13"}
    grid = [[repr(count) for count in THROUGHPUT.axes[0].values]]
    graph = html / (Graph.get_file_path(params, THROUGHPUT.name) + ".json")
    graph.parent.mkdir(parents=True)
    graph.write_text(json.dumps([[1, [None] * len(grid[0])]]))
    (html / "index.json").write_text(json.dumps({
        "revision_to_hash": {"1": "c" * 40}, "graph_param_list": [params],
        "benchmarks": {THROUGHPUT.name: {"params": grid}}}))

    assert add_intervals(html, results) == 1

    (point,) = _strict(graph.read_text())
    single = grid[0].index("100000")
    sampled = grid[0].index("200000")
    assert point[2][single] is None and point[3][single] is None
    assert 0 < point[2][sampled] < 5e4 < point[3][sampled]
