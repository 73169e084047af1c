# Tensors & Derivatives with PyTorch: build, test and maintain the book.
#
#   make book        set up .venv, fetch MathJax, build the HTML book (executes every chapter)
#   make test        set up, then lint, unit/property tests, nbval, the -W -n build, notebook
#                    hygiene, and the rendered-site checks in a real browser
#   make lab         JupyterLab on chapters/ with autograd_mini importable
#   make notebooks   re-execute every chapter in a fresh kernel and normalize it (commit the result)
#   make bench       run every benchmarks/bench_*.py
#   make audit       Lighthouse (mobile, slow 4G) on every page of the built book, served gzipped
#   make fuzz        the differential fuzzer's long search (FUZZ_SECONDS=300): random programs on
#                    torch and autograd_mini; prints programs/s and the outcomes by kind
#   make clean       remove build artefacts (keeps .venv; `make distclean` removes it too)

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := book

# Every command imports this checkout's autograd_mini and tools (even with another editable install).
export PYTHONPATH := $(CURDIR)

PYTHON_BOOTSTRAP ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
# Rebuilt when requirements.txt or pyproject.toml change.
STAMP := $(VENV)/.make-installed
# The one torch the venv may hold (pinned in requirements.txt); checked after every install.
TORCH_VERSION := $(shell sed -n 's/^torch==\([^ #]*\).*/\1/p' requirements.txt)

# MathJax 3, pinned and checked against the npm registry's integrity hash; never committed. The build
# runs it in Node to typeset the maths into the pages (tools/static_math.py); readers never load it.
MATHJAX_VERSION := 3.2.2
MATHJAX_INTEGRITY := sha512-Bt+SSVU8eBG27zChVewOicYs7Xsdt40qm4+UpHyX7k0/O9NliPc+x77k1/FEsPsjKPZGJvtRZM1vO+geW0OhGw==
MATHJAX_DIR := _build/vendor/mathjax
MATHJAX := $(MATHJAX_DIR)/node-main.js
MATHJAX_TARBALL := _build/vendor/mathjax-$(MATHJAX_VERSION).tgz

LINT_PATHS := autograd_mini tests tools chapters $(wildcard benchmarks/*.py)
SANITIZE := tools/nbval_sanitize.cfg
# Test tiers by directory: engine (autograd_mini against torch), course (checkers, pictures),
# widgets (explorers); tests/book and tests/site need the built book.
UNIT_TIERS := tests/engine tests/course tests/widgets
BUILD := $(VENV)/bin/jupyter-book build . -W -n --keep-going --all
CHROMIUM := /usr/bin/chromium
BUILD_STEP ?=
# Lighthouse from npm, pinned by package-lock.json; node_modules is rebuilt when the lock changes
# (npm's own cache, ~/.npm, makes that quick and offline after the first time).
LIGHTHOUSE := node_modules/.package-lock.json

.PHONY: book test lab notebooks bench fuzz clean distclean setup mathjax build lint unit nbval hygiene \
  site lighthouse audit

# ---------------------------------------------------------------------------------------- setup
setup: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@if [ ! -x $(PY) ]; then \
	  echo "==> Creating $(VENV) with $(PYTHON_BOOTSTRAP) ($$($(PYTHON_BOOTSTRAP) --version))"; \
	  $(PYTHON_BOOTSTRAP) -m venv $(VENV); \
	fi
	@$(PY) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "$(VENV) is not Python 3.11: run make distclean")'
	@echo "==> Installing the pinned requirements into $(VENV) (pip install -r requirements.txt)"
	$(PY) -m pip install --disable-pip-version-check --progress-bar on -r requirements.txt \
	  | { grep -v '^Requirement already satisfied' || true; }
	@echo "==> Installing autograd_mini in editable mode (no dependency resolution: torch stays pinned)"
	$(PY) -m pip install --disable-pip-version-check --quiet --no-deps -e .
	@$(PY) -c 'import torch; v = torch.__version__; assert v.split("+")[0] == "$(TORCH_VERSION)", v; print("==> torch", v)'
	@echo "==> Warming matplotlib's font cache (its one-time message would otherwise land in outputs)"
	@$(PY) -c 'import matplotlib.font_manager'
	@touch $(STAMP)

mathjax: $(MATHJAX)

$(MATHJAX):
	@echo "==> Fetching MathJax $(MATHJAX_VERSION) from the npm registry (the build typesets the maths with it)"
	@mkdir -p _build/vendor
	@cd _build/vendor && npm pack --silent --prefer-offline mathjax@$(MATHJAX_VERSION) > /dev/null
	@actual="sha512-$$(openssl dgst -sha512 -binary $(MATHJAX_TARBALL) | base64 -w0)"; \
	  if [ "$$actual" != "$(MATHJAX_INTEGRITY)" ]; then \
	    echo "MathJax tarball integrity mismatch: $$actual"; exit 1; fi
	@rm -rf $(MATHJAX_DIR) && mkdir -p $(MATHJAX_DIR)
	@tar -xzf $(MATHJAX_TARBALL) -C $(MATHJAX_DIR) --strip-components=2 package/es5
	@echo "    $(MATHJAX_DIR) ($$(du -sh $(MATHJAX_DIR) | cut -f1))"

# ----------------------------------------------------------------------------------------- book
book: setup mathjax build
	@echo
	@echo "Book built: $(CURDIR)/_build/html/index.html"
	@echo "Serve it:   $(PY) -m http.server --bind 127.0.0.1 --directory _build/html 8000"
	@echo "            then open http://127.0.0.1:8000/"

build: setup mathjax
	@echo "==> $(BUILD_STEP)Building the book: executes every chapter, -W -n (any warning fails the build)"
	@rm -rf _build/html _build/.doctrees _build/jupyter_execute
	@start=$$(date +%s); $(BUILD); echo "==> Book built in $$(( $$(date +%s) - start )) s"

# ----------------------------------------------------------------------------------------- test
test: setup mathjax
	@start=$$(date +%s); \
	if $(MAKE) --no-print-directory --keep-going BUILD_STEP="[4/7] " \
	  lint unit nbval build hygiene site lighthouse; \
	then echo "==> make test passed in $$(( $$(date +%s) - start )) s"; \
	else echo "==> make test FAILED after $$(( $$(date +%s) - start )) s (see the steps above)"; exit 1; fi

lint: setup
	@echo "==> [1/7] ruff check, ruff format --check: $(LINT_PATHS); complexity (C901 <= 10) of autograd_mini; actionlint"
	$(VENV)/bin/ruff check $(LINT_PATHS)
	$(VENV)/bin/ruff check --select C901 autograd_mini
	$(VENV)/bin/ruff format --check $(LINT_PATHS)
	$(VENV)/bin/actionlint .github/workflows/*.yml

unit: setup
	@echo "==> [2/7] Unit and property tests: $(UNIT_TIERS)"
	$(VENV)/bin/pytest -q -p no:cacheprovider $(UNIT_TIERS)

nbval: setup
	@echo "==> [3/7] nbval: every stored output of every chapter against a fresh run"
	$(VENV)/bin/pytest -q -p no:cacheprovider --nbval --nbval-current-env \
	  --nbval-sanitize-with $(SANITIZE) chapters/

hygiene: setup
	@echo "==> [5/7] Notebook hygiene, Binder/Colab configuration, nbval self-test"
	BOOK_REQUIRE_BUILD=1 $(VENV)/bin/pytest -q -p no:cacheprovider tests/book

site: setup
	@echo "==> [6/7] Rendered site: links, page weight, and browser checks (Chromium + axe-core)"
	@[ -x $(CHROMIUM) ] || echo "Chromium not found at $(CHROMIUM): browser checks skipped (apt-get install -y chromium); in CI they fail"
	BOOK_REQUIRE_BUILD=1 BOOK_CHROMIUM=$(CHROMIUM) \
	  $(VENV)/bin/pytest -q -p no:cacheprovider --tb=short tests/site

$(LIGHTHOUSE): package.json package-lock.json
	@echo "==> Installing Lighthouse (npm ci, pinned by package-lock.json)"
	npm ci --no-audit --no-fund --prefer-offline --loglevel=error

lighthouse: setup $(LIGHTHOUSE)
	@echo "==> [7/7] Lighthouse (mobile, slow 4G, gzip): the landing page and the most demanding chapters"
	@[ -x $(CHROMIUM) ] || { echo "Chromium not found at $(CHROMIUM): apt-get install -y chromium"; exit 1; }
	CHROME_PATH=$(CHROMIUM) $(PY) tools/audit.py --check --gate

audit: setup $(LIGHTHOUSE)
	@echo "==> Lighthouse on every page of _build/html (mobile, slow 4G, served gzip-compressed)"
	CHROME_PATH=$(CHROMIUM) $(PY) tools/audit.py

# ------------------------------------------------------------------------------------ maintain
# tools/jupyterlab/overrides.json: no news pop-up, no update check (Binder's postBuild uses it too).
lab: setup
	@echo "==> JupyterLab on chapters/ (autograd_mini is installed in $(VENV) in editable mode)"
	$(VENV)/bin/jupyter lab --notebook-dir=chapters --LabApp.app_settings_dir=$(CURDIR)/tools/jupyterlab \
	  $$([ "$$(id -u)" -eq 0 ] && echo --allow-root)

notebooks: setup
	@echo "==> Re-executing every chapter in a fresh kernel and normalizing it"
	$(PY) tools/normalize_notebooks.py

bench: setup
	@echo "==> Benchmarks"
	@shopt -s nullglob; files=(benchmarks/bench_*.py); \
	if [ $${#files[@]} -eq 0 ]; then echo "no benchmarks/bench_*.py yet"; fi; \
	for f in "$${files[@]}"; do echo "==> $$f"; $(PY) "$$f"; done

FUZZ_SECONDS ?= 300

fuzz: setup
	@echo "==> Differential fuzzer: random programs on torch and autograd_mini for $(FUZZ_SECONDS) s"
	$(PY) tests/engine/fuzz_programs.py --seconds $(FUZZ_SECONDS)

clean:
	@echo "==> Removing _build/ and caches"
	rm -rf _build .pytest_cache .ruff_cache .hypothesis
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	@echo "==> Removing $(VENV)"
	rm -rf $(VENV)
