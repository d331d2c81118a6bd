# The one task runner. `make test` and `make run` work on a fresh machine with
# Python 3.11+ and access to the package index.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= ../shared
STAMP := $(VENV)/.installed

.PHONY: bench setup run test lint typecheck unit fixtures conformance conformance-pretty realworld bench clean fuzz

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/butane-py --pretty examples/node.bu

lint: $(STAMP)
	$(BIN)/ruff check butane_py tests

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest

test: lint typecheck unit

# Keep fixtures/ a copy of the reference's recorded conformance cases.
fixtures:
	@if [ -d $(SHARED)/conformance/cases ]; then \
		rm -rf fixtures/cases && cp -a $(SHARED)/conformance/cases fixtures/cases && \
		cp $(SHARED)/conformance/check.py fixtures/check.py && \
		$(PYTHON) fixtures/restore_symlinks.py && \
		echo "fixtures synced from $(SHARED)/conformance"; \
	else echo "no $(SHARED)/conformance here; fixtures left as they are"; fi

conformance: $(STAMP)
	$(PYTHON) fixtures/check.py --cmd "$(BIN)/butane-py" --cases fixtures/cases

conformance-pretty: $(STAMP)
	$(PYTHON) fixtures/check.py --cmd "$(BIN)/butane-py" --cases fixtures/cases --pretty

realworld: $(STAMP)
	@if [ -d $(SHARED)/realworld/cases ]; then \
		$(PYTHON) fixtures/check.py --cmd "$(BIN)/butane-py" --cases $(SHARED)/realworld/cases; \
	else echo "SKIP: $(SHARED)/realworld is not here"; fi

# Benchmarks time an installed (non-editable, bytecode-compiled) copy, as users run it.
BENCH_VENV := .venv-bench
bench:
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install --quiet --upgrade pip
	$(BENCH_VENV)/bin/pip install --quiet --force-reinstall --no-deps . && \
		$(BENCH_VENV)/bin/pip install --quiet .
	$(BENCH_VENV)/bin/python bench/run.py --bin $(BENCH_VENV)/bin $(BENCH_ARGS)

# The long property/fuzz run: FUZZ_SCALE x ~2,000 documents in each of two
# processes (one per core), different seeds; each prints its count.
FUZZ_SCALE ?= 25
fuzz: $(STAMP)
	@BUTANE_PY_FUZZ_SCALE=$(FUZZ_SCALE) $(BIN)/pytest -q -s -p no:cacheprovider tests/test_fuzz.py --hypothesis-seed=1 & a=$$!; \
	BUTANE_PY_FUZZ_SCALE=$(FUZZ_SCALE) $(BIN)/pytest -q -s -p no:cacheprovider tests/test_fuzz.py --hypothesis-seed=2 & b=$$!; \
	wait $$a; ra=$$?; wait $$b; rb=$$?; test $$ra -eq 0 && test $$rb -eq 0

clean:
	rm -rf $(VENV) $(BENCH_VENV) bench/out build dist .mypy_cache .ruff_cache .pytest_cache
