"""``make readme``: regenerate every generated block of the README and of ``docs/``.

What each block says is made by :mod:`taskbench.reports.bodies` (its docstring lists them);
this module finds the blocks in the documents, replaces them and writes what changed. The
documents are the README and every ``docs/*.md`` beside it; each block lives in exactly one
of them, wherever its markers are. Nothing is written when the results cannot all be read (a
block would silently lose an interpreter), or when a block would not show an interpreter the
results hold: the command says why and exits 1. A block whose results are missing (no figure
to answer with, no block log, no precision record) is kept as it was, never emptied; the
command names it, says why, writes the others and exits 1. ``--check`` writes nothing and
exits 1 when a document or picture differs from what the results give, or a block cannot be
regenerated (the golden test runs it). Every file is written atomically.

Usage::

    python -m taskbench.reports.readme [--check] [--results results] [README.md]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

from taskbench import arguments, files
from taskbench.asvadapter.config import ConfigError, results_dir
from taskbench.journal import recover
from taskbench.reports import markdown
from taskbench.reports.bodies import DOCS, Generated, ReadmeError, generate
from taskbench.reports.precision import PRECISION_DIR
from taskbench.reports.runmodel import ModelError

__all__ = ["DOCS", "Generated", "ReadmeError", "generate", "main"]


def documents(readme: Path) -> list[Path]:
    """The README and every page of ``docs/`` beside it."""
    return [readme, *sorted((readme.parent / DOCS).glob("*.md"))]


def kept_messages(texts: dict[Path, str], kept: dict[str, str]) -> list[str]:
    """What is said of each block that cannot be regenerated: which, where, and why."""
    said = []
    for name, reason in kept.items():
        holders = [str(path) for path, text in texts.items() if f"<!-- {name}:begin -->" in text]
        where = f" of {', '.join(holders)}" if holders else ""
        said.append(f"the {name} block{where} was not regenerated ({reason}): it is kept as "
                    "it was")
    return said


def updated(texts: dict[Path, str], bodies: dict[str, str]) -> dict[Path, str]:
    """Every document with its blocks replaced; MarkerError when a block is in none of them,
    or in more than one (which copy would be the answer?)."""
    new = dict(texts)
    for name, body in bodies.items():
        holders = [path for path, text in texts.items() if f"<!-- {name}:begin -->" in text]
        if len(holders) != 1:
            where = ", ".join(str(path) for path in holders) or "none of them"
            raise markdown.MarkerError(
                f"the {name} block must be in exactly one of {', '.join(map(str, texts))}; "
                f"it is in {where}")
        new[holders[0]] = markdown.replace_block(new[holders[0]], name, body)
    return new


def _existing_folder(text: str) -> Path:
    """``--precision``: a folder that exists (a mistyped one would empty the block)."""
    folder = arguments.path(text)
    if not folder.is_dir():
        raise argparse.ArgumentTypeError(f"{text} is not a folder")
    return folder


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m taskbench.reports.readme", description=__doc__.split("\n\n")[0],
        epilog="Exit status: 0 when the documents are up to date or were updated, 1 when "
               "they are stale (--check) or cannot be regenerated, 2 for bad arguments.")
    parser.add_argument("readme", nargs="?", type=arguments.path, default=Path("README.md"),
                        help="the README; the pages of the docs/ folder beside it go too")
    parser.add_argument("--results", type=arguments.path, default=None,
                        help="the results folder (default: asv.conf.json's results_dir)")
    parser.add_argument("--precision", type=_existing_folder, default=PRECISION_DIR,
                        help=f"the precision records (default: {PRECISION_DIR})")
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 when a block or picture is stale")
    return parser


def _settled_results(args: argparse.Namespace) -> Path:
    """The results folder, with a merge that stopped midway settled before anything reads
    it (ReadmeError, ConfigError: why it cannot be)."""
    results: Path = args.results or results_dir()
    problem = recover(results)
    if problem:
        raise ReadmeError(problem)
    return results


def _read(paths: list[Path]) -> dict[Path, str]:
    """Every document's text (OSError, UnicodeDecodeError: the one that cannot be read)."""
    return {path: path.read_text(encoding="utf-8") for path in paths}


def _pictures(readme: Path, pictures: dict[str, str]) -> dict[Path, str]:
    return {readme.parent / DOCS / name: svg for name, svg in pictures.items()}


def _stale(texts: dict[Path, str], wanted: dict[Path, str]) -> list[Path]:
    """The files whose content differs from what the results give."""
    stale = []
    for path, content in wanted.items():
        current = texts.get(path)
        if current is None:
            try:
                current = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                current = None
        if current != content:
            stale.append(path)
    return stale


def _write(stale: list[Path], wanted: dict[Path, str]) -> int:
    """Write every stale file; on a failure, say which were written and which was not."""
    written: list[Path] = []
    for path in stale:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            files.write_text(path, wanted[path])
        except OSError as error:
            done = f"; updated {', '.join(map(str, written))}" if written else ""
            print(f"error: cannot write {path} (left as it was): {error.strerror or error}"
                  f"{done}", file=sys.stderr)
            return 1
        written.append(path)
    print(f"updated {', '.join(map(str, written))}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        results = _settled_results(args)
    except (OSError, ConfigError, ReadmeError) as error:
        print(f"error: {args.readme} not regenerated: {error}", file=sys.stderr)
        return 1
    try:
        texts = _read(documents(args.readme))
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or error
        where = getattr(error, "filename", None) or args.readme
        print(f"error: cannot read {where}: {reason}", file=sys.stderr)
        return 2
    try:
        generated = generate(results, args.precision)
        wanted = {**updated(texts, generated.bodies),
                  **_pictures(args.readme, generated.pictures)}
    except (OSError, ConfigError, ReadmeError, markdown.MarkerError, ModelError) as error:
        print(f"error: {args.readme} not regenerated: {error}", file=sys.stderr)
        return 1
    stale = _stale(texts, wanted)
    kept = kept_messages(texts, generated.kept)
    if args.check:
        for message in kept:
            print(f"error: {message}", file=sys.stderr)
        if stale:
            print(f"stale, not matching the results: {', '.join(map(str, stale))}: run "
                  "`make readme` and commit the result", file=sys.stderr)
        if stale or kept:
            return 1
        print(f"{args.readme} and its docs match the results")
        return 0
    status = _write(stale, wanted) if stale else 0
    if not stale:
        print(f"{args.readme} and its docs were already up to date")
    for message in kept:
        print(f"error: {message}", file=sys.stderr)
    return 1 if kept else status


if __name__ == "__main__":
    raise SystemExit(main())
