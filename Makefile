# wiretrace: `make run` shows the seed comparison, `make test` runs the suite, `make lint` checks style.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SEEDS := ../shared/examples/seeds
# torch must come first and pinned: 2.13.0 is the local CPU build; any other spec pulls CUDA.
TORCH := torch==2.13.0
EXTRAS ?= all

.PHONY: run test test-fast lint bench clean

$(BIN)/wiretrace: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet $(TORCH)
	$(BIN)/python -m pip install --quiet -e ".[$(EXTRAS)]"
	touch $@

run: $(BIN)/wiretrace
	$(BIN)/wiretrace compare $(SEEDS)/000_a59e668317105786.txt $(SEEDS)/001_53f5005e8be909a9.txt

test: $(BIN)/wiretrace
	$(BIN)/python -m pytest -q

# The quick loop: everything but the Spark and browser tests (make test and CI run those too).
test-fast: $(BIN)/wiretrace
	$(BIN)/python -m pytest -q -m "not spark and not browser"

lint: $(BIN)/wiretrace
	$(BIN)/ruff check wiretrace tests bench
	$(BIN)/ruff format --check wiretrace tests bench
	$(BIN)/mypy

# The tables in README.md and docs/ (several minutes; bench/scale.py and bench/spark_speed.py,
# which take hours or a cluster, are run by hand).
bench: $(BIN)/wiretrace
	$(BIN)/python bench/reprints_eval.py
	$(BIN)/python bench/fit_verdict.py --dry-run
	$(BIN)/python bench/substitutions_eval.py
	$(BIN)/python bench/calibrate.py
	$(BIN)/python bench/alignment.py
	$(BIN)/python bench/wordalign.py
	$(BIN)/python bench/families_eval.py --docs 1000
	$(BIN)/python bench/collate_speed.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
