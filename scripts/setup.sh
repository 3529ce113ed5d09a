#!/usr/bin/env bash
# Installs what hoso needs on a fresh Debian 12 machine (run as root), and the project in .venv.
#   bash scripts/setup.sh                      runtime only (`hoso process`, `show`, `watch`, `db`)
#   bash scripts/setup.sh --extras web,train   runtime and the extras named (web, cluster, train, bench, export)
#   bash scripts/setup.sh --test               everything: all extras and what the test suite needs
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
extras=""
while [ $# -gt 0 ]; do
  case "$1" in
    --test) want_test=1 ;;
    --extras) extras="${2:?--extras needs a list, e.g. web,cluster}"; shift ;;
    *) echo "setup: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

packages=(
  tesseract-ocr tesseract-ocr-vie tesseract-ocr-osd tesseract-ocr-eng   # OCR models (engine runs in-process)
  poppler-utils                                                          # pdfinfo/pdfimages for checks, pdftoppm for bench
  libgs-common                                                           # the sRGB ICC profile of exported PDF/A files
  fonts-dejavu-core fonts-dejavu-extra fonts-liberation2 fonts-noto-core # Vietnamese fonts for the page generator (every face synth/fonts.py lists)
  python3 python3-venv python3-dev
)
if [ "$want_test" = 1 ]; then
  packages+=(redis-server postgresql docker-compose ghostscript unpaper qpdf chromium)  # servers for tests/cluster, a browser for tests/web
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "setup: missing system packages (run as root): ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python=${PYTHON:-}
if [ -z "$python" ]; then
  for cand in python3.11 python3; do
    if command -v "$cand" >/dev/null && "$cand" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
      python=$cand; break
    fi
  done
fi
[ -n "$python" ] || { echo "setup: Python 3.11 is needed" >&2; exit 1; }

[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
if [ "$want_test" = 1 ]; then
  .venv/bin/python -m pip install -q -e ".[test]"  # pulls web, cluster, train and bench
elif [ -n "$extras" ]; then
  .venv/bin/python -m pip install -q -e ".[$extras]"
else
  .venv/bin/python -m pip install -q -e .
fi
# The project's modules compiled now, as a wheel's are at install: an editable install leaves that to the
# first import, which never writes them under PYTHONDONTWRITEBYTECODE and then compiles ~90 modules (0.15 s)
# at every start of `hoso process`.
.venv/bin/python -m compileall -q schemas pipeline workers synth >/dev/null
echo "setup: done ($(.venv/bin/python -c 'import tesserocr; print(tesserocr.tesseract_version().splitlines()[0])'))"
