"""The one adapter between taskbench and asv: the ground floor of the tools side.

Everything else (interpreters, reports, site, jobs) stands on it; nothing here imports them.
It is the only code that

=============  ==============================================================================
``config``     reads ``asv.conf.json`` (as asv reads it) and the folders it names
``driver``     starts asv (``machine``, ``run``, ``continuous``, ``publish``, ``check``)
``results``    walks the results folders and loads them with asv's own reader, as figures
``combine``    appends a run's blocks into one results file per environment (asv's code)
``costs``      copies a results folder down to the costs, for asv's compare
``history``    draws the git history asv reads, whole, from any checkout
``stats``      touches asv's private modules (``asv._stats``), behind one function
=============  ==============================================================================

It is written against asv 0.6.6, the version ``requirements/tools.txt`` pins: a newer asv is
checked here first.
"""

ASV_VERSION = "0.6.6"
