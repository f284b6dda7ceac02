"""A Textual app, run headless: it mounts WIDGETS labels and exits once they are shown."""

from textual.app import App
from textual.widgets import Label

WIDGETS = 50


class Labels(App):
    def compose(self):
        for index in range(WIDGETS):
            yield Label(f"label {index}")

    def on_mount(self):
        self.call_after_refresh(self.exit)


Labels().run(headless=True)
