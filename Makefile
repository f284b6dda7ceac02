# The two commands of the README: `make bench` (the main job) and `make test`.
VENV_PYTHON := .venv/bin/python

.PHONY: bench test test-fast test-slow venv browser valgrind pythons site preview readme lint

venv:
	@tools/venv.sh

bench: venv valgrind
	$(VENV_PYTHON) -m taskbench.jobs.main $(ARGS)

# Everything, both tiers in one pytest run (real asv runs, the browser, rehearsals too).
test: venv browser
	$(VENV_PYTHON) -m pytest $(ARGS)

# For everyday work: pure functions and fake results, under a minute.
test-fast: venv
	$(VENV_PYTHON) -m pytest -m "not slow" $(ARGS)

test-slow: venv browser
	$(VENV_PYTHON) -m pytest -m slow $(ARGS)

browser:
	@tools/browser.sh

valgrind:
	@tools/valgrind.sh

pythons: venv
	$(VENV_PYTHON) -m taskbench.interpreters $(ARGS)

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
