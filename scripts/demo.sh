#!/usr/bin/env bash
# Sets everything up and processes the bundled sample dossier into hoso-sample.json.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export HOSO_DATA_DIR=${HOSO_DATA_DIR:-./hoso-data}
.venv/bin/hoso process samples/dossier/ --json hoso-sample.json
echo "record written to hoso-sample.json (dossier $(.venv/bin/python -c 'import json;print(json.load(open("hoso-sample.json"))["code"])'))"
