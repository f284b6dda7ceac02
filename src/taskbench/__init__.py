"""taskbench: what an asyncio task costs, measured across Python versions with asv.

Where the code runs decides where it lives:

``taskbench.workloads``     inside every measured interpreter: stdlib only, Python 3.8, PyPy
``taskbench.catalogue``     every benchmark declared once (also stdlib only), with
                            ``taskbench.entries``: what one declaration is
``taskbench.cli``           ``python -m taskbench``: the classic table on this interpreter
                            (with ``taskbench.clireport``, ``taskbench.units`` and
                            ``taskbench.post``: stdlib only too)
``taskbench.share``         ``python -m taskbench share``: is the task machinery my program's
                            cost? (``taskbench.sharereport`` prints it)
``taskbench.interpreters``  tools venv: which interpreters, from where, how they were built
``taskbench.asvadapter``    tools venv: the one door to asv (its driver, results, statistics)
``taskbench.jobs``          tools venv: the main job, CI, precision and merge
``taskbench.reports``       tools venv: the run's model, verdicts, views, the README's
                            blocks, ``compare``
``taskbench.site``          tools venv: the published site, self-contained
``taskbench.files``         tools venv: the one way the project writes a file
``taskbench.asv``           tools venv: ``python -m taskbench.asv``, asv's own commands here

Records beside asv's results, and what more than one part reads: ``taskbench.blocklog``
(which block each sample came from), ``taskbench.runfacts`` (where each run ran),
``taskbench.validity`` (what every record must hold), ``taskbench.journal`` (a merge as one
transaction) with ``taskbench.lock``, ``taskbench.host`` (the machine's facts),
``taskbench.arguments`` (the command lines' types), ``taskbench.output`` (a closed
standard output) and ``taskbench.git`` (the one way git is run, on both sides).
"""
