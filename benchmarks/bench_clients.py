"""Real clients of the task machinery: a message pump, and Textual mounting N widgets."""

from taskbench.cycle import measure_rate
from taskbench.pump import message_pump
from taskbench.sweeps import PUMP_COUNTS
from taskbench.textual_app import WIDGET_COUNTS, check_textual, measure_startup


class MessagePump:
    """Widgets per second of CPU time: N tasks, each with a queue, one message, shut down."""

    params = [PUMP_COUNTS]
    param_names = ["count"]
    timeout = 300
    unit = "widgets/s"
    version = "message-pump-3"

    def track_widgets_per_second(self, count):
        return measure_rate(message_pump, count).tasks_per_second


class TextualStartup:
    """A headless Textual app mounting N labels: tasks per widget, and their share of start-up."""

    params = [WIDGET_COUNTS]
    param_names = ["widgets"]
    timeout = 300
    version = "textual-startup-3"

    def setup_cache(self):
        # One start-up per widget count serves all three figures; without Textual, setup
        # skips them.
        try:
            check_textual()
        except NotImplementedError:
            return None
        return {widgets: measure_startup(widgets) for widgets in WIDGET_COUNTS}

    def setup(self, *cache_and_widgets):
        # asv passes the cache first only when setup_cache returned something.
        check_textual()

    def track_tasks_per_widget(self, startups, widgets):
        return startups[widgets].tasks_per_widget

    track_tasks_per_widget.unit = "tasks/widget"

    def track_task_share_percent(self, startups, widgets):
        return 100 * startups[widgets].task_share

    track_task_share_percent.unit = "%"

    def track_startup_cpu_seconds(self, startups, widgets):
        return startups[widgets].cpu_seconds

    track_startup_cpu_seconds.unit = "seconds"
