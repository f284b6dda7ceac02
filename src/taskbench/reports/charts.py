"""The charts of the cross-version page, drawn with matplotlib as SVG documents.

matplotlib is imported when a chart is drawn, not with this module, so commands that only
print Markdown start without it.
"""

from __future__ import annotations

import io
from typing import Any

from taskbench.catalogue import ANATOMY_COUNT, SPAWN_API, TASK_COST
from taskbench.reports.anatomy import Anatomy
from taskbench.reports.reference import POST_LABEL, POST_TASKS_PER_SECOND
from taskbench.reports.stats import estimate
from taskbench.reports.views import Index


def _figure(width: float, height: float) -> tuple[Any, Any]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["svg.hashsalt"] = "taskbench"  # the same SVG for the same figures
    return plt.subplots(figsize=(width, height))


def _svg(figure: Any) -> str:
    import matplotlib.pyplot as plt

    figure.tight_layout()
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    plt.close(figure)
    return buffer.getvalue()


def _errors(values: list[tuple[float, float | None, float | None]]
            ) -> tuple[list[float], list[list[float]]]:
    centres = [value for value, _, _ in values]
    below = [value - low if low is not None else 0.0 for value, low, _ in values]
    above = [high - value if high is not None else 0.0 for value, _, high in values]
    return centres, [below, above]


def classic_chart(index: Index, machine: str) -> str:
    """Tasks/s against count, one line per interpreter with its intervals as error bars, and
    the post's own M1 figures as a labelled reference line."""
    figure, axes = _figure(9, 5.5)
    for env in index.environments(machine, [TASK_COST]):
        points = []
        for count in TASK_COST.axes[0].values:
            seconds = index.estimate(machine, env, TASK_COST, count)
            if seconds is not None:
                est = seconds.inverse()
                points.append((count, (est.value / 1000, _k(est.low), _k(est.high))))
        if points:
            centres, errors = _errors([value for _, value in points])
            axes.errorbar([count / 1000 for count, _ in points], centres, yerr=errors,
                          marker="o", markersize=3, capsize=2, linewidth=1, label=env)
    reference = sorted(POST_TASKS_PER_SECOND.items())
    axes.plot([count / 1000 for count, _ in reference], [v / 1000 for _, v in reference],
              color="black", linestyle="--", linewidth=1.5, label=POST_LABEL)
    axes.set_xlabel("tasks created and awaited (thousands)")
    axes.set_ylabel("thousand tasks/s (CPU time)")
    axes.set_title(f"The classic table on {machine}: median and 99% interval of "
                   "separate processes")
    axes.set_ylim(bottom=0)
    axes.legend(fontsize="small", loc="center left", bbox_to_anchor=(1.01, 0.5))
    return _svg(figure)


def _k(value: float | None) -> float | None:
    return None if value is None else value / 1000


def spawn_chart(found: dict[str, Anatomy], machine: str) -> str:
    """Tasks/s by interpreter, one series per spawn API and loop, with intervals."""
    environments = list(found)
    figure, axes = _figure(max(7.0, 0.7 * len(environments) + 4), 5)
    positions = {env: x for x, env in enumerate(environments)}
    for loop in SPAWN_API.axes[1].values:
        for api in SPAWN_API.axes[0].values:
            points = []
            for env in environments:
                figure_found = found[env].spawn.get((api, loop))
                seconds = estimate(figure_found)
                est = seconds.inverse() if seconds is not None else None
                if est is not None:
                    points.append((positions[env], (est.value / 1000, _k(est.low),
                                                    _k(est.high))))
            if points:
                centres, errors = _errors([value for _, value in points])
                axes.errorbar([x for x, _ in points], centres, yerr=errors, marker="o",
                              markersize=3, capsize=2,
                              linestyle="-" if loop == "asyncio" else "--",
                              label=f"{api} ({loop})")
    axes.set_xticks(range(len(environments)))
    axes.set_xticklabels(environments, rotation=45, ha="right")
    axes.set_ylabel("thousand tasks/s (CPU time)")
    axes.set_title(f"Spawn APIs at {ANATOMY_COUNT:,} tasks on {machine}")
    axes.legend(fontsize="small", ncol=2)
    return _svg(figure)

