#!/usr/bin/env bash
# Set up kehoach on a fresh Debian machine with Python 3.11: system packages (when root and
# missing), a virtual environment in .venv, and the project with its test extras.
# Usage: bash scripts/setup.sh            # runtime
#        bash scripts/setup.sh --test     # runtime + test tools (pytest; import-linter and ruff, which
#                                          # tests/test_house_rules.py runs)
set -euo pipefail
cd "$(dirname "$0")/.."

extras=""
[ "${1:-}" = "--test" ] && extras="[test]"

# System packages: LibreOffice reads legacy .doc/.odt, Tesseract (with Vietnamese) reads scans.
need_apt=()
python3 -c "import venv, ensurepip" 2>/dev/null || need_apt+=(python3-venv)
command -v soffice >/dev/null || need_apt+=(libreoffice-writer-nogui)
command -v tesseract >/dev/null || need_apt+=(tesseract-ocr)
{ command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx vie; } || need_apt+=(tesseract-ocr-vie)
# Tests render Word documents to PDF with LibreOffice: a Times-metric font, as plans use, so that
# every machine lays them out alike (and LibreOffice's fallback glyphs are exercised).
if [ -n "$extras" ] && ! fc-list 2>/dev/null | grep -qi "Liberation Serif"; then need_apt+=(fonts-liberation2); fi
# The review site's browser test drives Debian's headless Chromium through its chromedriver.
if [ -n "$extras" ]; then
  command -v chromium >/dev/null || need_apt+=(chromium)
  command -v chromedriver >/dev/null || need_apt+=(chromium-driver)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "setup: installing ${need_apt[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "${need_apt[@]}" >/dev/null
  else
    echo "setup: please install: ${need_apt[*]}" >&2
    exit 1
  fi
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e ".${extras}"
echo "setup: ok ($(.venv/bin/kehoach --version))"
