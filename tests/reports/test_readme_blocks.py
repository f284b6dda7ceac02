"""``make readme``: every block from one command, refusing to lose data, written atomically;
and the golden check of the committed README against the committed results."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

import pytest

from conftest import ROOT, run_python, write_results
from taskbench import files
from taskbench.catalogue import ECHO_SHARE, ECHO_TASKS, TASK_COST
from taskbench.reports import bodies, readme
from taskbench.reports.sections import Section, sections

BLOCKS = ("answer", "benchmarks", "budget", "crossversion", "findings", "interpreters",
          "needs", "precision")


@pytest.fixture
def world(world: Path) -> Path:
    """The made-up results, with build facts of one interpreter: every block has its data."""
    (world / "box" / "interpreters.jsonl").write_text(json.dumps(
        {"python": "3.12", "version": "3.12.7", "implementation": "CPython", "source": "pyenv",
         "recorded_at": "2026-01-01T00:00:00+00:00"}) + "\n")
    return world


def _readme(path: Path) -> Path:
    path.write_text("intro\n" + "".join(f"<!-- {name}:begin -->\nold\n<!-- {name}:end -->\n"
                                         for name in BLOCKS) + "outro\n")
    return path


def test_every_block_is_regenerated_by_one_command(world: Path, tmp_path: Path) -> None:
    target = _readme(tmp_path / "README.md")
    assert readme.main([str(target), "--results", str(world)]) == 0
    text = target.read_text()
    assert "| 3.12 | 3.12.7 |" in text
    assert "\nold\n" not in text and text.startswith("intro\n") and text.endswith("outro\n")
    assert "| count | 3.8 | 3.12 (3.12.7) | 3.13 |" in text
    assert "uvloop runs the classic cycle" in text
    assert "**What a task costs** on `box`" in text
    # the world's 8 blocks of a minute
    assert "a full run's phases and blocks took 8.0 minutes" in text
    for picture in ("answer-box.svg", "counts-box.svg"):
        assert f"(docs/{picture})" in text
        assert (tmp_path / "docs" / picture).read_text().startswith("<?xml")
    assert readme.main([str(target), "--results", str(world), "--check"]) == 0


def test_a_block_whose_results_are_missing_is_kept_and_named_not_emptied(
        world: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = _readme(tmp_path / "README.md")
    none = tmp_path / "none"
    none.mkdir()
    assert readme.main([str(target), "--results", str(world), "--precision", str(none)]) == 1
    text = target.read_text()
    assert "<!-- precision:begin -->\nold\n<!-- precision:end -->" in text
    assert "| count | 3.8 | 3.12 (3.12.7) | 3.13 |" in text  # the others are regenerated
    err = capsys.readouterr().err
    assert f"the precision block of {target} was not regenerated (no precision record in " \
           f"{none}): it is kept as it was" in err
    assert readme.main([str(target), "--results", str(world), "--precision", str(none),
                        "--check"]) == 1
    empty = tmp_path / "empty"
    empty.mkdir()
    assert readme.main([str(target), "--results", str(empty)]) == 1
    err = capsys.readouterr().err
    assert "the answer block" in err and f"no figure of the classic cycle in {empty}" in err
    assert "**What a task costs** on `box`" in target.read_text()  # the old answer stays


def test_blocks_live_in_the_readme_and_the_docs_beside_it(world: Path, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    target = tmp_path / "README.md"
    target.write_text("top\n<!-- answer:begin -->\n<!-- answer:end -->\n")
    page = docs / "more.md"
    page.write_text("".join(f"<!-- {name}:begin -->\nold\n<!-- {name}:end -->\n"
                            for name in BLOCKS if name != "answer"))
    assert readme.main([str(target), "--results", str(world)]) == 0
    assert "| interpreter | compared with | steady, 100,000 tasks: µs per task |" in \
        target.read_text()
    assert "\nold\n" not in page.read_text() and "| count | 3.8 | 3.12 (3.12.7) | 3.13 |" in \
        page.read_text()
    picture = docs / "answer-box.svg"
    picture.write_text(picture.read_text() + "<!-- edited by hand -->\n")
    assert readme.main([str(target), "--results", str(world), "--check"]) == 1
    assert readme.main([str(target), "--results", str(world)]) == 0
    assert "edited by hand" not in picture.read_text()


def test_a_block_in_two_documents_or_in_none_is_refused(
        world: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    target = _readme(tmp_path / "README.md")
    (docs / "copy.md").write_text("<!-- findings:begin -->\n<!-- findings:end -->\n")
    before = target.read_bytes()
    assert readme.main([str(target), "--results", str(world)]) == 1
    err = capsys.readouterr().err
    assert "the findings block must be in exactly one of" in err and "copy.md" in err
    assert target.read_bytes() == before
    (docs / "copy.md").write_text("no blocks\n")
    target.write_text(before.decode().replace("<!-- budget:begin -->", ""))
    assert readme.main([str(target), "--results", str(world)]) == 1
    assert "the budget block must be in exactly one of" in capsys.readouterr().err


def test_a_precision_folder_that_does_not_exist_is_refused_not_shown_empty(
        world: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = _readme(tmp_path / "README.md")
    before = target.read_bytes()
    with pytest.raises(SystemExit) as stopped:
        readme.main([str(target), "--results", str(world), "--precision",
                     str(tmp_path / "nonexistent")])
    assert stopped.value.code == 2
    assert "nonexistent is not a folder" in capsys.readouterr().err
    assert target.read_bytes() == before


def test_a_stale_readme_fails_the_check_and_is_not_written(world: Path, tmp_path: Path) -> None:
    target = _readme(tmp_path / "README.md")
    before = target.read_bytes()
    assert readme.main([str(target), "--results", str(world), "--check"]) == 1
    assert target.read_bytes() == before


def test_unreadable_results_are_refused_instead_of_dropping_an_interpreter(
        world: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = _readme(tmp_path / "README.md")
    before = target.read_bytes()
    broken = write_results(world, {TASK_COST: {(1,): 1.0}}, python="pypy3.9")
    broken.write_text(broken.read_text()[:50])
    assert readme.main([str(target), "--results", str(world)]) == 1
    err = capsys.readouterr().err
    assert "not regenerated" in err and broken.name in err
    assert target.read_bytes() == before


def test_run_from_elsewhere_it_says_so_instead_of_emptying_the_tables(
        tmp_path: Path) -> None:
    target = _readme(tmp_path / "README.md")
    before = target.read_bytes()
    result = run_python("-m", "taskbench.reports.readme", str(target), cwd=tmp_path)
    assert result.returncode == 1
    assert "run this from the repository root" in result.stderr
    assert "Traceback" not in result.stderr
    assert target.read_bytes() == before


def _dropping(keep: Callable[[str], bool]) -> Callable[..., list[Section]]:
    """``sections`` whose classic tables keep only the interpreters ``keep`` accepts."""
    def build(*args: Any) -> list[Section]:
        found = sections(*args)
        for section in found:
            section.classic.header[1:] = [env for env in section.classic.header[1:]
                                          if keep(env)]
        return found
    return build


def test_a_block_that_would_leave_out_an_interpreter_is_refused(
        world: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bodies, "sections", _dropping(lambda env: False))
    with pytest.raises(readme.ReadmeError, match="would leave out 3.8, 3.12, 3.13"):
        readme.generate(world)


def test_an_interpreter_is_found_by_whole_names_not_inside_a_longer_name(
        world: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # "3.8" is inside "3.8 PYTHON_JIT=1", but that is not 3.8's column.
    def jit_instead(*args: Any) -> list[Section]:
        found = sections(*args)
        for section in found:
            section.classic.header[:] = [f"{env} PYTHON_JIT=1" if env == "3.8" else env
                                         for env in section.classic.header]
        return found

    monkeypatch.setattr(bodies, "sections", jit_instead)
    with pytest.raises(readme.ReadmeError, match="would leave out 3.8 on"):
        readme.generate(world)


def test_a_missing_marker_or_file_is_named(world: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "README.md"
    target.write_text("no markers here\n")
    assert readme.main([str(target), "--results", str(world)]) == 1
    assert "the answer block must be in exactly one of" in capsys.readouterr().err
    assert readme.main([str(tmp_path / "absent.md"), "--results", str(world)]) == 2


def test_the_readme_is_written_atomically(world: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    target = _readme(tmp_path / "README.md")
    before = target.read_bytes()

    def full_disk(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", full_disk)
    assert readme.main([str(target), "--results", str(world), "--precision",
                        str(tmp_path)]) == 1
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".README")] == []


def test_precision_records_are_summarised_with_their_intervals(tmp_path: Path) -> None:
    from taskbench.reports.precision import markdown_section

    pairs = [{"interpreter": "3.13", "count": count, "first": 100.0, "second": second,
              "first_interval": [98.0, 102.0], "second_interval": interval}
             for count, second, interval in ((100_000, 101.0, [99.0, 103.0]),
                                             (200_000, 110.0, [108.0, 112.0]))]
    (tmp_path / "box-a.json").write_text(json.dumps(
        {"machine": "box", "commits": ["a" * 40, "b" * 40], "pythons": ["3.13"],
         "pairs": pairs}))
    text = markdown_section(tmp_path)
    assert "a median of 5.5% and at worst 10.0%" in text
    assert "1 of 2 (50%) lie within ±2%" in text
    assert "1 of 2 pairs are consistent with their intervals" in text
    assert "| 3.13 | 1.010 | 1.100 ✗ |" in text


@pytest.mark.parametrize("text", [
    '{"machine": ',
    '{"machine": "box", "commits": ["a"], "pythons": ["3.13"], "pairs": [{"interpreter": '
    '"3.13", "count": 100000, "first": "fast", "second": 1.0}]}',
    '{"machine": "box", "commits": ["a"], "pythons": ["3.13"], "pairs": [{"interpreter": '
    '"3.13", "count": 100000, "first": 0, "second": 1.0}]}',
    '{"commits": ["a"], "pythons": ["3.13"], "pairs": []}',
    '{"machine": "box", "commits": ["a"], "pythons": ["3.13"], "kind": "replica-check", '
    '"rounds": 2, "rows": [{"interpreter": "3.13", "count": 1, "script": [], "replica": [1]}]}',
], ids=["cut", "a word for a rate", "a zero rate", "no machine", "no samples"])
def test_a_corrupt_precision_record_is_named(text: str, world: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "box.json").write_text(text)
    with pytest.raises(readme.ReadmeError, match="box.json cannot be read"):
        readme.generate(world, tmp_path)
    target = _readme(tmp_path / "README.md")
    assert readme.main([str(target), "--results", str(world), "--precision",
                        str(tmp_path)]) == 1
    assert "box.json cannot be read" in capsys.readouterr().err


def test_the_committed_readme_matches_the_committed_results() -> None:
    result = run_python("-m", "taskbench.reports.readme", "--check", cwd=ROOT)
    assert result.returncode == 0, result.stderr + "\nrun `make readme` and commit the result"


def test_the_answer_says_what_share_of_a_real_program_its_tasks_are(tmp_path: Path) -> None:
    results = tmp_path / "results"
    echo = {ECHO_TASKS: {(200, 20): 1.0}, ECHO_SHARE: {(200, 20): [4.0, 4.2, 4.4]}}
    write_results(results, {TASK_COST: {(100_000,): [4e-6, 4.1e-6, 4.2e-6]}, **echo})
    bodies = readme.generate(results, tmp_path).bodies
    assert "of an asyncio streams echo server's CPU time" in bodies["answer"]
    assert "No: in the one real program measured" in bodies["answer"]
    assert "the clients per interpreter and why a task costs what it costs](docs/figures.md)" \
        in bodies["answer"]


@pytest.mark.parametrize("bad", [0.0, -1e-5])
def test_a_value_that_is_not_a_time_is_named_and_nothing_is_written(
        world: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], bad: float) -> None:
    from conftest import set_sample

    target = _readme(tmp_path / "README.md")
    before = target.read_bytes()
    set_sample(world / "box" / f"{'a' * 8}-virtualenv-py3.13.json", TASK_COST.name,
               TASK_COST.axes[0].values.index(100_000), 2, bad)
    assert readme.main([str(target), "--results", str(world)]) == 1
    err = capsys.readouterr().err
    assert "not regenerated" in err and f"3.13 in block 2: {bad!r} is not a time" in err
    assert target.read_bytes() == before
