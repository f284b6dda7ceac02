# The two commands of the README: `make bench` (the main job) and `make test`.
VENV_PYTHON := .venv/bin/python

.PHONY: bench test test-fast test-slow venv browser valgrind pythons test-pythons site preview \
	readme lint

venv:
	@tools/venv.sh

bench: venv valgrind
	$(VENV_PYTHON) -m taskbench.jobs.main $(ARGS)

# Everything, both tiers in one pytest run (real asv runs, the browser, rehearsals too), with
# all the tests need installed or gathered first: the browser, valgrind, the interpreters. A
# test that would skip for want of one of them fails instead, and the few skips left are
# named in the run's last lines (tests/conftest.py).
test: venv browser valgrind test-pythons
	$(VENV_PYTHON) -m pytest $(ARGS)

# For everyday work: pure functions and fake results, under a minute.
test-fast: venv
	$(VENV_PYTHON) -m pytest -m "not slow" $(ARGS)

test-slow: venv browser valgrind test-pythons
	$(VENV_PYTHON) -m pytest -m slow $(ARGS)

browser:
	@tools/browser.sh

valgrind:
	@tools/valgrind.sh

pythons: venv
	$(VENV_PYTHON) -m taskbench.interpreters $(ARGS)

# The interpreters the tests run across (share, spawn), gathered as `make pythons` gathers
# them, without the ARGS meant for pytest; after the first time the download cache makes it
# a matter of seconds.
test-pythons: venv
	$(VENV_PYTHON) -m taskbench.interpreters

site: venv
	$(VENV_PYTHON) -m taskbench.site

# PORT is taken as it was written (not expanded by make) and reaches the command through the
# environment, quoted, never as shell text: "8081; rm -rf x" is refused as a port, not run.
ifdef PORT
override PORT := $(value PORT)
export PORT
endif
preview: venv
	$(VENV_PYTHON) -m taskbench.site.preview $(if $(value PORT),--port "$$PORT")

readme: venv
	$(VENV_PYTHON) -m taskbench.reports.readme README.md

lint: venv
	.venv/bin/ruff check src benchmarks tests
	.venv/bin/mypy
