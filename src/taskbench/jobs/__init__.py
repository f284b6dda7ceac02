"""The jobs that run asv (through :mod:`taskbench.asvadapter.driver`) and what they leave.
Tools venv only.

================  ===========================================================================
``main``          ``make bench``: interpreters, machine, the run, then results, README, site
``preamble``      what every job does first: the same checks and set-up, written once
``machine``       the stable name and details a run is recorded under
``estimate``      how long a run should take, said before it starts and as it goes
``blockplan``     what a run measures, where, in what order; the extra blocks it plans
``blocks``        the block plan carried out: phases, first blocks, extra blocks
``burst``         interference made on purpose during one block, for a precision record
``runrecord``     a run's phases and blocks combined, and its record in the block log
``present``       the README's blocks and the site regenerated after a run
``summary``       what a CI job measured, as Markdown for the run's page
``ci``            one job of the benchmark workflow: every interpreter of one runner, in
                  interleaved blocks
``existing``      the CI job's interpreters as asv's ``existing`` environments (Windows)
``runners``       GitHub's runners: which measured what, steps paired within one, what is missing
``ciplan``        the benchmark workflow's first job: which commit, and whether to publish
``publish``       the merge job: the runners' results onto the default branch, or a pull
                  request (``pullrequest``), or kept in an artifact when nothing lands
``pullrequest``   a pull request with the results, where the bot may not push to main
``pr``            a pull request's relative benchmark: asv's ``continuous``, base against head
``merge``         results from many machines, or a run's staging folder, into ``results/``:
                  validated, atomic, never going backwards
``staging``       what one merge stages and reports
``checks``        what an incoming results file must hold
``consistency``   a results file checked against itself and its name
``descriptions``  asv's ``benchmarks.json`` merged benchmark by benchmark
``mergelogs``     the logs beside the results merged record by record
``precision``     a precision record: how far figures move between full runs
``replica_check`` does the replica measure what the post's script measures?
================  ===========================================================================
"""
