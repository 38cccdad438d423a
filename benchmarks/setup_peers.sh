#!/usr/bin/env bash
# Install each comparison peer into its own virtual environment: benchmarks/.venvs/<peer>.
# The peers are never dependencies of phuluc. A peer that cannot be installed leaves
# benchmarks/.venvs/<peer>.failed with pip's last lines; compare.py reports it as such.
# Idempotent: a venv whose marker file exists is kept.  Usage: bash benchmarks/setup_peers.sh [peer...]
set -uo pipefail
cd "$(dirname "$0")"
PY="${PYTHON:-python3}"
declare -A PKGS=(
  [pdfplumber]="pdfplumber"
  [camelot]="camelot-py opencv-python-headless ghostscript pypdfium2"
  [tabula]="tabula-py jpype1"
  [pymupdf]="pymupdf"
  [python-docx]="python-docx"
)
peers=("$@")
[ ${#peers[@]} -eq 0 ] && peers=(pdfplumber camelot tabula pymupdf python-docx)
mkdir -p .venvs
for peer in "${peers[@]}"; do
  venv=".venvs/$peer"
  if [ -f "$venv/.installed" ]; then echo "$peer: already installed"; continue; fi
  rm -rf "$venv" "$venv.failed"
  echo "$peer: installing ${PKGS[$peer]}"
  if "$PY" -m venv "$venv" >"$venv.log" 2>&1 \
     && "$venv/bin/python" -m pip install -q ${PKGS[$peer]} >>"$venv.log" 2>&1; then
    "$venv/bin/python" -m pip freeze > "$venv/.installed"
    echo "$peer: ok ($(grep -iE "^(${PKGS[$peer]// /|})==" "$venv/.installed" | tr '\n' ' '))"
  else
    tail -5 "$venv.log" > "$venv.failed"
    echo "$peer: FAILED (see benchmarks/$venv.failed)"
  fi
done
