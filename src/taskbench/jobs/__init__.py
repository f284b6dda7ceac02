"""The jobs that run asv, and the one driver they all run it through. Tools venv only.

=============  ==============================================================================
``asvdriver``  the only code that runs ``asv machine``, ``run``, ``publish`` and ``check``,
               with the configuration's folders overridden where a job needs its own
``main``       ``make bench``: interpreters, machine, the run, then results, README and site
``ci``         one job of the benchmark workflow: one interpreter on one runner
``precision``  how far figures move between two runs
``merge``      results from many machines, or a run's staging folder, into ``results/``:
               validated, atomic, never going backwards
``machine``    the stable name and details a run is recorded under
=============  ==============================================================================
"""
