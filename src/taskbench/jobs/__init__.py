"""The jobs that run asv, and the one driver they all run it through. Tools venv only.

=============  ==============================================================================
``asvdriver``  the only code that runs ``asv machine``, ``run``, ``publish`` and ``check``,
               with the configuration's folders overridden where a job needs its own
``main``       ``make bench``: interpreters, machine, the run, then results, README and site
``ci``         one job of the benchmark workflow: every interpreter of one runner, in
               interleaved blocks
``existing``   the CI job's interpreters as asv's ``existing`` environments (Windows)
``runners``    GitHub's runners: which measured what, steps paired within one, what is missing
``publish``    the merge job: the runners' results onto the default branch, or a pull request
               (``pullrequest``), or kept in an artifact when nothing lands
``precision``  how far figures move between two runs
``merge``      results from many machines, or a run's staging folder, into ``results/``:
               validated, atomic, never going backwards
``machine``    the stable name and details a run is recorded under
=============  ==============================================================================
"""
