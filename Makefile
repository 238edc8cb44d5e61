# wiretrace: `make run` shows the seed comparison, `make test` runs the suite, `make lint` checks style.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SEEDS := ../shared/examples/seeds
# torch must come first and pinned: 2.13.0 is the local CPU build; any other spec pulls CUDA.
TORCH := torch==2.13.0
EXTRAS ?= all

.PHONY: run test lint bench clean

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

lint: $(BIN)/wiretrace
	$(BIN)/ruff check wiretrace tests bench
	$(BIN)/ruff format --check wiretrace tests bench
	$(BIN)/mypy

bench: $(BIN)/wiretrace
	$(BIN)/python bench/calibrate.py
	$(BIN)/python bench/alignment.py
	$(BIN)/python bench/speed.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
