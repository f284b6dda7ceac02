"""The post's own figures: the reference every table here is read against.

Will McGugan measured the classic cycle (``python -m taskbench --replica`` runs the same
script) on an M1 MacBook and published the ten rows below; the post does not say which Python
it ran. They are shown beside this suite's figures as a labelled reference, never mixed with
them: another machine, another day, one process and no interval.

Standard library only, and nothing but data: ``python -m taskbench`` prints them beside its
own figures on every interpreter it runs on, and the reports read them through
:mod:`taskbench.reports.reference`.
"""

from __future__ import annotations

POST_URL = "https://textual.textualize.io/blog/2023/03/08/overhead-of-python-asyncio-tasks/"
POST_LABEL = "the post (M1 MacBook, one process)"
POST_TASKS_PER_SECOND: dict[int, float] = {
    100_000: 280_003, 200_000: 255_275, 300_000: 248_713, 400_000: 248_383,
    500_000: 241_624, 600_000: 260_660, 700_000: 244_510, 800_000: 247_455,
    900_000: 242_744, 1_000_000: 259_715,
}
