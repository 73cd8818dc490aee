#!/usr/bin/env bash
# Set up 助学台账 on a Debian/Ubuntu machine: system libraries for Qt, a CJK TrueType font for printing,
# and a virtual environment in .venv with the app (and, with --test, what the tests need).
#   bash installer/setup.sh          # to run the app
#   bash installer/setup.sh --test   # to run the tests too (adds Xvfb, poppler, LibreOffice Calc, fiu-utils)
set -euo pipefail
cd "$(dirname "$0")/.."

with_tests=0
[ "${1:-}" = "--test" ] && with_tests=1

# Qt's xcb platform libraries and fontconfig; TrueType CJK fonts reportlab can embed: 黑体-like (wqy-zenhei),
# 宋体-like (arphic-uming) and a fallback for rare characters in names, CJK Ext A-F (hanazono).
pkgs=(libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libxcb-cursor0
      libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-randr0 libxcb-render-util0 libxcb-xinerama0
      libxcb-image0 fonts-wqy-zenhei fonts-arphic-uming fonts-hanazono)
# fiu-utils: fiu-run injects I/O errors for the fault tests (tests/faults, RELIABILITY.md T05)
[ "$with_tests" = 1 ] && pkgs+=(xvfb poppler-utils libreoffice-calc-nogui fiu-utils)

if command -v apt-get >/dev/null 2>&1; then
  missing=()
  for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "Installing system packages: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
else
  echo "Not a Debian-like system: install Qt's xcb libraries and a CJK TrueType font yourself." >&2
fi

python3 -c 'import sys; sys.exit(0 if sys.version_info[:2] >= (3, 11) else 1)' || {
  echo "Python 3.11 or newer is needed (found $(python3 --version))." >&2; exit 1; }
[ -x .venv/bin/python ] || python3 -m venv .venv
extra=""
[ "$with_tests" = 1 ] && extra="[test]"
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".${extra}"
echo "Ready: .venv/bin/python main.py"
