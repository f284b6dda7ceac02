"""What the results say: read through :mod:`taskbench.asvadapter`, modelled, judged, and
written as tables, words and pictures. Tools venv only.

Statistics and models:

===================  ========================================================================
``runmodel``         one model of a run in blocks: every interval and comparison come from it
``outliers``         values out of line: the host's interference told apart from noise
``inference``        the verdict engine: one rule and one set of words for every comparison
``stats``            figures with their own processes' intervals, where nothing pairs them
``views``            :class:`~taskbench.reports.views.Index`: the newest figures, found
``earlier``          which figures come from an earlier run than their machine's newest
``predictors``       does an exact count predict the timings?
===================  ========================================================================

Tables and words:

===================  ========================================================================
``cells``            the view model's cells and tables, rendered to Markdown and to HTML
``classic``          the post's table, the version steps and their verdicts
``answer``           what a task costs on each interpreter of one machine
``plain``            the answer in three plain sentences
``anatomy``          why a task costs what it costs: the anatomy's figures
``anatomy_tables``   its tables: spawn APIs, loops and frameworks against the classic cycle
``threads``          tasks across threads: T event loops against one
``growth``           instructions per task, and why tasks/s fall as N grows
``clients``          real programs: is creating tasks what makes them slow?
``findings``         sentences that sum up the anatomy, claiming only what intervals allow
``history``          which host each run had, and the exact counts across hosts
``budget``           where a full run's time goes
``needs``            what ``make bench`` needs and how long it takes, from the records
``precision``        the precision records, read
``precision_runs``   a record of two full runs in blocks, against the targets
``precision_model``  a record of labelled runs judged by the run's model
``compare``          ``python -m taskbench compare A B``
``reference``        the post's own figures, for the reports
``sections``         what the README and the cross-version page say about one machine
``bodies``           every generated block of the README and ``docs/``
``markdown``         tables as Markdown; the README's blocks replaced in place
``readme``           ``make readme``
===================  ========================================================================

Pictures and pages:

===================  ========================================================================
``chartstyle``       how every chart draws an interpreter
``charts``           the README's and the cross-version page's charts (matplotlib, SVG)
``answerchart``      the answer chart: one point per interpreter
``page``             the cross-version page, the site's front door (``templates/``, Jinja2)
===================  ========================================================================
"""
