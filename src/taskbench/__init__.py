"""taskbench: what an asyncio task costs, measured across Python versions with asv.

Where the code runs decides where it lives:

``taskbench.workloads``     inside every measured interpreter: stdlib only, Python 3.8, PyPy
``taskbench.catalogue``     every benchmark declared once (also stdlib only)
``taskbench.cli``           ``python -m taskbench``: the classic table on this interpreter
                            (with ``clireport``, ``units`` and ``post``: stdlib only too)
``taskbench.interpreters``  tools venv: which interpreters, from where, how they were built
``taskbench.jobs``          tools venv: the main job, CI, precision and merge, and the one
                            driver that runs asv
``taskbench.reports``       tools venv: results read with asv's own modules, views,
                            the README's blocks, ``compare``
``taskbench.site``          tools venv: the published site, self-contained
``taskbench.files``         tools venv: the one way the project writes a file
"""
