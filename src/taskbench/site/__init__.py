"""The published site: the cross-version answer as its front door, asv's pages over what the
catalogue declares in ``results/`` (intervals drawn on its graphs, counts on a log axis), and
every third-party file served from the site itself. Tools venv only.

``python -m taskbench.site`` (``make site``) builds it into the configuration's ``html_dir``.

=============  ==============================================================================
``build``      ``make site``: the self-contained site from ``results/``
``published``  the copy of ``results/`` asv's graphs are drawn from: the catalogue's only
``asvpages``   asv's pages fitted into the site after ``asv publish`` wrote them
``intervals``  asv's graphs with every point's 99% interval drawn (``intervals.js``)
``readymade``  ready-made views of asv's graphs, linked from the front page
``links``      where the project link and the commit links point
``vendor``     every third-party file served from the site itself
``swap``       the site built beside the published one and swapped in when complete
``preview``    ``make preview``: the built site on 127.0.0.1 only
=============  ==============================================================================
"""
