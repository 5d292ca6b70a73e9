# dataflyt: `make demo` installs and runs the example; `make test` installs, starts Neo4j and
# runs every test. Everything a fresh machine needs is installed from here.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO_MAP := $(VENV)/demo-map.json

.PHONY: install system demo test test-fast lint bench golden neo4j-start neo4j-stop clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,speed]'
	touch $(STAMP)

install: $(STAMP)

# Debian packages the tests need: Graphviz (diagrams) and Chromium (report checks)
system:
	scripts/setup-system

demo: install
	rm -f $(DEMO_MAP)
	$(BIN)/dataflyt load --map $(DEMO_MAP) $$($(BIN)/dataflyt examples)
	@echo; echo "== Which services touch call recordings?"
	$(BIN)/dataflyt touches --map $(DEMO_MAP) "call recordings"
	@echo; echo "== What does a breach at Link Mobility affect?"
	$(BIN)/dataflyt breach --map $(DEMO_MAP) "Link Mobility"
	@echo; echo "== Which data leaves the EEA, or has a location the document does not pin down?"
	$(BIN)/dataflyt transfers --map $(DEMO_MAP)
	@echo; echo "== The same in the browser: $(BIN)/dataflyt serve --map $(DEMO_MAP)"

# The whole suite, Neo4j tests against a real server this target starts (and stops). It is a
# server of the tests' own (its folder .neo4j-test/, port 7689, settings in .neo4j-test/test.env),
# as every Neo4j test empties its database: the checkout's own server and the map in it are
# never touched, and may keep running.
TEST_NEO4J := NEO4J_LOCAL_HOME=$(CURDIR)/.neo4j-test NEO4J_LOCAL_BOLT_PORT=7689 \
	NEO4J_LOCAL_ENV_FILE=$(CURDIR)/.neo4j-test/test.env
test: install system
	$(TEST_NEO4J) scripts/neo4j-local start
	set -a; . .neo4j-test/test.env; set +a; $(PY) -m pytest -q; status=$$?; \
	$(TEST_NEO4J) scripts/neo4j-local stop; exit $$status

# Quick local loop: everything but the Neo4j tests.
test-fast: install
	$(PY) -m pytest -q -m "not neo4j"

lint: install
	$(BIN)/ruff check dataflyt tests bench
	$(BIN)/mypy dataflyt

# The benchmark, against a Neo4j server of its own (folder .neo4j-bench/, port 7690), as it
# empties the database; then docs/benchmarks.md from bench/results.json.
BENCH_NEO4J := NEO4J_LOCAL_HOME=$(CURDIR)/.neo4j-bench NEO4J_LOCAL_BOLT_PORT=7690 \
	NEO4J_LOCAL_ENV_FILE=$(CURDIR)/.neo4j-bench/bench.env
bench: install system
	$(BENCH_NEO4J) scripts/neo4j-local start
	set -a; . .neo4j-bench/bench.env; set +a; $(PY) bench/run.py && $(PY) bench/page.py; \
	status=$$?; $(BENCH_NEO4J) scripts/neo4j-local stop; exit $$status

# Regenerate the golden files under tests/golden/ (review the diff like code).
golden: install
	$(PY) -m tests.regenerate_golden

neo4j-start:
	scripts/neo4j-local start

neo4j-stop:
	scripts/neo4j-local stop

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis *.egg-info .neo4j-test .neo4j-bench
