"""The block log: which block each sample came from, for one results file's very run."""

from __future__ import annotations

from pathlib import Path

import pytest

from taskbench import blocklog


def _record(run: int, blocks: list[int]) -> blocklog.Record:
    return {"commit": "c" * 40, "env_name": "virtualenv-py3.12", "run": run,
            "figures": {"bench.X.track_y(1)": blocks}}


def test_a_record_pairs_only_the_run_it_describes(tmp_path: Path) -> None:
    log = tmp_path / blocklog.BLOCKS_FILE
    blocklog.write(log, [_record(100, [0, 2])])
    records = blocklog.read(log)
    assert blocklog.blocks_of(records, "c" * 40, "virtualenv-py3.12", 100) == {
        "bench.X.track_y(1)": [0, 2]}
    # Another run of the same commit and environment replaced the results file.
    assert blocklog.blocks_of(records, "c" * 40, "virtualenv-py3.12", 101) is None
    assert blocklog.blocks_of(records, "d" * 40, "virtualenv-py3.12", 100) is None


def test_the_newest_run_wins_a_merge_whatever_the_order(tmp_path: Path) -> None:
    log = tmp_path / blocklog.BLOCKS_FILE
    blocklog.write(log, [_record(200, [0, 1, 2])])
    blocklog.write(log, [_record(100, [0])])  # an older run arriving later
    assert blocklog.read(log)[("c" * 40, "virtualenv-py3.12")]["run"] == 200


@pytest.mark.parametrize("line", [
    "not json", '{"commit": 5, "run": 1}', '{"commit": "c", "run": "1"}',
    '{"commit": "c", "run": 1, "figures": {"x": [-1]}}',
    '{"commit": "c", "run": 1, "figures": {"x": "0,1"}}',
])
def test_a_bad_line_is_named(tmp_path: Path, line: str) -> None:
    log = tmp_path / blocklog.BLOCKS_FILE
    log.write_text(line + "\n")
    with pytest.raises(blocklog.BlockLogError, match="line 1"):
        blocklog.read(log)
