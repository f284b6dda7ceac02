"""Tables of the view model as Markdown, and the README's generated blocks replaced in place."""

from __future__ import annotations

from typing import Iterable

from taskbench.reports.cells import Table


def _escape(text: str) -> str:
    return text.replace("|", "\\|")


def table(view: Table) -> str:
    """One table: its title, a header, one line per row, then the meaning of its marks."""
    lines = [f"{view.title}:", "",
             "| " + " | ".join(_escape(cell) for cell in view.header) + " |",
             "|" + "".join(" --- |" if view.is_text(column) else " ---: |"
                           for column in range(len(view.header)))]
    for row in view.rows:
        lines.append("| " + " | ".join(_escape(cell.text + cell.mark) for cell in row) + " |")
    notes = [f"{mark}: {meaning}." for mark, meaning in view.marks_used()] + view.notes
    if notes:
        lines += ["", " ".join(notes)]
    return "\n".join(lines) + "\n"


def bullets(lines: Iterable[str]) -> str:
    """Plain sentences as a Markdown list."""
    return "\n".join(f"- {line}" for line in lines)


def document(parts: Iterable[str]) -> str:
    """Paragraphs and tables joined by blank lines, ending in one newline."""
    chunks: list[str] = [part.strip("\n") for part in parts if part.strip()]
    return "\n\n".join(chunks) + "\n"


class MarkerError(ValueError):
    """A README lacks the markers of a generated block."""


def replace_block(text: str, name: str, body: str) -> str:
    """``text`` with the block between ``<!-- name:begin -->`` and ``<!-- name:end -->``
    replaced by ``body``.

    Raises:
        MarkerError: when either marker is missing or they are out of order.
    """
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    if text.count(begin) != 1 or text.count(end) != 1 or text.index(begin) > text.index(end):
        raise MarkerError(f"no single {begin} ... {end} block")
    before, rest = text.split(begin, 1)
    after = rest.split(end, 1)[1]
    return f"{before}{begin}\n{body}{end}{after}"
