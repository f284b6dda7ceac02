"""What the generated views share: a README block replaced in place, and a chart as SVG.

matplotlib is imported when a chart is drawn, not with this module, so the commands that only
print Markdown start without it.
"""

from __future__ import annotations

import io
from typing import Any


def replace_block(text: str, begin: str, end: str, body: str) -> str:
    """``text`` with what lies between the ``begin`` and ``end`` markers replaced by ``body``.

    Raises:
        ValueError: when either marker is missing.
    """
    if begin not in text or end not in text:
        raise ValueError(f"no {begin} ... {end} block")
    before, rest = text.split(begin, 1)
    after = rest.split(end, 1)[1]
    return f"{before}{begin}\n{body}{end}{after}"


def new_chart(width: float, height: float) -> tuple[Any, Any]:
    """A matplotlib figure and axes of the given size in inches, drawn off-screen."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=(width, height))


def svg_document(figure: Any) -> str:
    """``figure`` laid out and written as an SVG document; the figure is closed after."""
    import matplotlib.pyplot as plt

    figure.tight_layout()
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg")
    plt.close(figure)
    return buffer.getvalue()
