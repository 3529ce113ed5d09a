#!/usr/bin/env bash
# Sets up (system packages, .venv with test extras) and runs the whole suite: ruff, mypy, pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
export OMP_THREAD_LIMIT=1
echo "== ruff"; .venv/bin/ruff check schemas pipeline workers synth bench tests
echo "== mypy"; .venv/bin/mypy
echo "== pytest"
set +e
.venv/bin/python -m pytest -q --durations=20 "$@"
rc=$?
set -e
[ "$rc" = 5 ] && { echo "pytest collected no tests" >&2; exit 1; }
exit "$rc"
