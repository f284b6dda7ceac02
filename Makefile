# The two commands of the README: `make bench` (the main job) and `make test`.
VENV_PYTHON := .venv/bin/python

.PHONY: bench test venv pythons site preview readme lint

venv:
	@tools/venv.sh

bench: venv
	$(VENV_PYTHON) -m taskbench.mainjob $(ARGS)

test: venv
	@tools/browser.sh
	$(VENV_PYTHON) -m pytest $(ARGS)

pythons: venv
	$(VENV_PYTHON) -m taskbench.provision $(ARGS)

site: venv
	$(VENV_PYTHON) -m taskbench.site

preview:
	@test -f .asv/html/index.html || { echo "no site yet: run make site (or make bench)" >&2; exit 1; }
	@echo "Serving .asv/html on http://127.0.0.1:8080/ only (Ctrl-C stops)"
	$(VENV_PYTHON) -m http.server --bind 127.0.0.1 --directory .asv/html 8080

readme: venv
	$(VENV_PYTHON) -m taskbench.crossversion --update-readme README.md
	$(VENV_PYTHON) -m taskbench.anatomy --update-readme README.md
	$(VENV_PYTHON) -m taskbench.precision --update-readme README.md

lint: venv
	.venv/bin/ruff check src benchmarks tests
	.venv/bin/mypy
