"""The replica check: the post's program and the replica, parsed and compared row by row."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from taskbench.jobs import replica_check
from taskbench.reports.precision import markdown_section


def test_the_posts_program_prints_rows_the_check_can_read(tmp_path: Path) -> None:
    small = replica_check.POST_SCRIPT.replace("range(100_000, 1_000_000 + 1, 100_000)",
                                              "range(1_000, 3_000 + 1, 1_000)")
    assert small != replica_check.POST_SCRIPT
    script = tmp_path / "post.py"
    script.write_text(small)
    output = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                            check=True).stdout
    rows = replica_check._rows(output)
    assert sorted(rows) == [1_000, 2_000, 3_000] and all(rate > 0 for rate in rows.values())


def test_the_replicas_json_gives_the_check_a_rate_per_count(repo_root: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "taskbench", "--replica", "--json",
                             "--counts", "1000,3000"], capture_output=True, text=True,
                            check=True, cwd=repo_root)
    rows = replica_check._json_rows(result.stdout)
    assert sorted(rows) == [1_000, 3_000] and all(rate > 0 for rate in rows.values())
    assert replica_check._json_rows('{"count": 5, "seconds_per_task": NaN}\n') == {}


def test_an_unknown_interpreter_is_named(capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch, repo_root: Path
                                         ) -> None:
    monkeypatch.chdir(repo_root)
    assert replica_check.main(["--python", "3.99"]) == 2
    assert "'3.99' not in asv.conf.json's pythons" in capsys.readouterr().err


def test_the_record_is_summarised_against_the_ten_percent_target(tmp_path: Path) -> None:
    rows = [{"interpreter": "3.13", "count": 100_000, "script": [100.0, 102.0],
             "replica": [105.0, 107.0]},
            {"interpreter": "3.13", "count": 200_000, "script": [90.0, 90.0],
             "replica": [90.0, 90.0]}]
    (tmp_path / "box-replica-a.json").write_text(json.dumps(
        {"machine": "box", "commits": ["a" * 40], "kind": "replica-check",
         "pythons": ["3.13"], "rounds": 2, "rows": rows}))
    text = markdown_section(tmp_path)
    assert "a median of 2.48% and at worst 4.95% over 2 rows" in text
    assert "within ±10%" in text and "| 3.13 | 1.050 | 1.000 |" in text


def test_the_bare_interpreters_import_taskbench_from_this_checkout() -> None:
    # The base interpreter of the tools venv has no taskbench installed, as .pythons/bin's.
    bare = Path(sys.base_prefix) / "bin" / f"python{sys.version_info[0]}.{sys.version_info[1]}"
    rows = replica_check._run([str(bare), "-c", "import taskbench.workloads.replica as r; "
                               "print(1000, 5)"])
    assert rows == {1000: 5.0}


def test_a_run_that_lost_a_row_is_named_not_a_traceback(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "python3.13").write_text("#!/bin/sh\n")
    (tmp_path / "python3.13").chmod(0o755)
    monkeypatch.setattr(replica_check, "DEFAULT_DEST", tmp_path)
    monkeypatch.setattr(replica_check, "known_pythons", lambda names: list(names))
    monkeypatch.setattr(replica_check, "head_commit", lambda: "a" * 40)
    outputs = iter([{1_000: 5.0, 2_000: 4.0}, {1_000: 5.0}])  # the replica printed nan
    monkeypatch.setattr(replica_check, "_run", lambda command, *parse: next(outputs))
    assert replica_check.main(["--python", "3.13", "--rounds", "1"]) == 2
    err = capsys.readouterr().err
    assert "3.13: not every run gave a rate for every count (missing: 2000)" in err
    assert not list(tmp_path.glob("*.json"))
