"""The post's own figures, for the reports: declared once in :mod:`taskbench.post`, where the
CLI, which runs inside the measured interpreters, can read them too."""

from __future__ import annotations

from taskbench.post import POST_LABEL as POST_LABEL
from taskbench.post import POST_TASKS_PER_SECOND as POST_TASKS_PER_SECOND
from taskbench.post import POST_URL as POST_URL
