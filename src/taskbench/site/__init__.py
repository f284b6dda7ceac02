"""The published site: asv's pages over ``results/``, the cross-version page, intervals drawn on
asv's graphs, and every third-party file served from the site itself. Tools venv only.

``python -m taskbench.site`` (``make site``) builds it into the configuration's ``html_dir``.
"""
