"""The published site: the cross-version answer as its front door, asv's pages over what the
catalogue declares in ``results/`` (intervals drawn on its graphs, counts on a log axis), and
every third-party file served from the site itself. Tools venv only.

``python -m taskbench.site`` (``make site``) builds it into the configuration's ``html_dir``.
"""
