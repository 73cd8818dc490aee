#!/usr/bin/env bash
# Build the frozen app (one folder) into dist/ZhuxueLedger/ from this checkout, with the exact
# versions of installer/requirements-build.txt in their own environment (.venv-build).
#   bash installer/build.sh
# Needs Python 3.11 and Qt's system libraries (bash installer/setup.sh installs them).
# The Windows equivalent is installer/build_windows.ps1 (it also makes the installer).
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.venv-build
python3 -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)' || {
  echo "The build uses Python 3.11 (found $(python3 --version))." >&2; exit 1; }
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q --disable-pip-version-check --no-deps -r installer/requirements-build.txt
"$venv/bin/python" -m pip check >/dev/null || { "$venv/bin/python" -m pip check; exit 1; }
rm -rf dist/ZhuxueLedger
"$venv/bin/python" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller installer/zhuxue.spec
echo "Built dist/ZhuxueLedger: $(du -sh dist/ZhuxueLedger | cut -f1)"
