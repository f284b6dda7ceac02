"""asv's statistics, where taskbench uses them: the one place that imports ``asv._stats``.

``asv._stats`` is private to asv; its ``is_different`` is the test ``asv compare`` applies
(a Mann-Whitney U test where there are enough samples, else non-overlapping 99% intervals).
It is used here as asv 0.6.6 defines it (see :data:`taskbench.asvadapter.ASV_VERSION`).
"""

from __future__ import annotations

from typing import Sequence


def samples_differ(samples_a: Sequence[float] | None, samples_b: Sequence[float] | None,
                   interval_a: tuple[float, float], interval_b: tuple[float, float]) -> bool:
    """asv's own verdict on two figures: whether their samples (or intervals) differ."""
    from asv import _stats

    return bool(_stats.is_different(
        list(samples_a) if samples_a else None, list(samples_b) if samples_b else None,
        {"ci_99_a": interval_a[0], "ci_99_b": interval_a[1]},
        {"ci_99_a": interval_b[0], "ci_99_b": interval_b[1]}))
