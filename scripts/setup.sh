#!/usr/bin/env bash
# Set up sitrep on a fresh Debian/Ubuntu machine: system libraries, a virtualenv in .venv,
# the package with its development tools. Safe to run again; it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# System libraries: WeasyPrint needs Pango and HarfBuzz (libharfbuzz-subset0 for fast font
# subsetting, see shared notes), fonts that cover French accents, and poppler-utils for the
# PDF text checks in the tests; PostgreSQL for the store tests.
SYSTEM_PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0
                 fonts-dejavu-core poppler-utils postgresql chromium chromium-driver)
# postgresql: the server binaries (initdb, pg_ctl in /usr/lib/postgresql/15/bin) that the
# store tests start a throwaway cluster with (tests/pg.py); sitrep itself needs no server.
# chromium, chromium-driver: the desk's browser tests (Playwright drives /usr/bin/chromium;
# Playwright's own browser download is not used).
missing=()
for pkg in "${SYSTEM_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup: installing system packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[dev]'

# Fail early, with the reason, if the PDF engine cannot load its libraries.
.venv/bin/python - <<'PY'
import ctypes.util, sys
if not ctypes.util.find_library("harfbuzz-subset"):
    sys.exit("setup: libharfbuzz-subset0 is missing (apt-get install libharfbuzz-subset0)")
import weasyprint  # noqa: F401  (raises with a clear message if Pango is missing)
PY
echo "setup: ok (.venv ready)"
