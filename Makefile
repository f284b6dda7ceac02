# The two commands of the README: `make bench` (the main job) and `make test`.
VENV_PYTHON := .venv/bin/python

.PHONY: bench test venv pythons preview lint

venv:
	@tools/venv.sh

bench: venv
	$(VENV_PYTHON) -m taskbench.mainjob $(ARGS)

test: venv
	$(VENV_PYTHON) -m pytest $(ARGS)

pythons: venv
	$(VENV_PYTHON) -m taskbench.provision $(ARGS)

preview:
	@test -d .asv/html || { echo "no site yet: run make bench first" >&2; exit 1; }
	@echo "Serving .asv/html on http://127.0.0.1:8080/ only (Ctrl-C stops)"
	$(VENV_PYTHON) -m http.server --bind 127.0.0.1 --directory .asv/html 8080

lint: venv
	.venv/bin/ruff check src benchmarks tests
	.venv/bin/mypy
