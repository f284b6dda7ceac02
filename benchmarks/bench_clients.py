"""Real clients of the task machinery: a message pump, and Textual mounting N widgets."""

from __future__ import annotations

from taskbench.catalogue import PUMP, TEXTUAL_CPU, TEXTUAL_SHARE, TEXTUAL_TASKS, benchmark
from taskbench.workloads import Unavailable
from taskbench.workloads.pump import message_pump
from taskbench.workloads.textual_app import check_textual, start_app, task_share
from taskbench.workloads.timing import Samples, asv_samples, seconds_per_unit


@benchmark(PUMP)
class MessagePump:
    """CPU seconds per widget: N tasks, each with a queue, one message, shut down."""

    def track_seconds_per_widget(self, count: int) -> Samples:
        return asv_samples(seconds_per_unit(message_pump, count, cycle=PUMP.cycle_at(count)))


@benchmark(TEXTUAL_SHARE, TEXTUAL_CPU)
class TextualStartup:
    """A headless Textual app mounting N labels: its CPU time, and the tasks' share of it."""

    def setup(self, widgets: int) -> None:
        check_textual()

    def track_task_share_percent(self, widgets: int) -> Samples:
        return asv_samples(100 * task_share(widgets))

    def track_startup_cpu_seconds(self, widgets: int) -> Samples:
        return asv_samples(start_app(widgets).cpu_seconds)


@benchmark(TEXTUAL_TASKS)
class TextualTasks:
    """Tasks a headless Textual app creates per widget while mounting N labels (one count)."""

    def setup_cache(self) -> dict[int, float] | str:
        try:
            check_textual()
        except Unavailable as reason:
            return str(reason)
        return {widgets: start_app(widgets).tasks_per_widget
                for widgets in TEXTUAL_TASKS.axes[0].values}

    def setup(self, tasks: dict[int, float] | str, widgets: int) -> None:
        if isinstance(tasks, str):  # setup_cache's reason Textual is missing
            raise Unavailable(tasks)

    def track_tasks_per_widget(self, tasks: dict[int, float], widgets: int) -> float:
        return tasks[widgets]
