#!/usr/bin/env bash
# Sets up everything, then runs the checks CI runs: ruff, the layer contracts, pytest.
# Needs no display: Qt runs offscreen. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== import contracts"
.venv/bin/lint-imports
echo "== pytest"
QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest "$@"
