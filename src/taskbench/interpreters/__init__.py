"""Which interpreters the suite measures, where each comes from, and how each was built.

Runs in the tools venv. ``python -m taskbench.interpreters`` (``make pythons``) gathers every
interpreter ``asv.conf.json`` names into ``.pythons/bin`` and prints what it found:

=================  =========================================================================
``families``       the build families, one record each: pattern, command, source,
                   implementation, noise group, order, chart look, precision targets
``names``          the naming scheme (``3.X``, ``3.X-debian``, ``3.Xt``, ``pypy3.X``) and
                   the order interpreters are shown in, read from the families
``debian``         Debian's archive through a private apt, and patching what it unpacks
``sources``        one function per source: pyenv, Debian, PyPy, free-threaded builds
``provision``      all of them, with each one's build facts and the table of outcomes
``facts``          the build facts beside the results: ``interpreters.jsonl``
=================  =========================================================================
"""
