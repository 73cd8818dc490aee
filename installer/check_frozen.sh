#!/usr/bin/env bash
# CI, after the tests: build the frozen app from this checkout, start it and drive it
# (installer/check_frozen.py), then compile the NSIS installer script against a stand-in payload
# (the Windows build cannot be made here; .github/workflows/windows.yml builds the real one).
#   bash installer/check_frozen.sh        # needs .venv (bash installer/setup.sh --test)
set -euo pipefail
cd "$(dirname "$0")/.."

# makensis (NSIS), strace (which files the frozen app looks for), localedef's zh_CN data (a GBK console)
pkgs=(nsis strace locales)
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

start=$(date +%s)
bash installer/build.sh
echo "Build: $(( $(date +%s) - start )) s"
.venv/bin/python installer/check_frozen.py dist/ZhuxueLedger

version=$(.venv/bin/python -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
standin=$(mktemp -d)
trap 'rm -rf "$standin"' EXIT
mkdir -p "$standin/payload/_internal"
for f in zhuxue.exe zhuxue-cli.exe _internal/base_library.zip; do echo "stand-in" > "$standin/payload/$f"; done
makensis -INPUTCHARSET UTF8 -WX -V2 -DVERSION="$version" -DPAYLOAD="$standin/payload" \
  -DOUTFILE="$standin/ZhuxueLedger-$version-setup.exe" installer/zhuxue.nsi
[ -s "$standin/ZhuxueLedger-$version-setup.exe" ] || { echo "makensis made no installer" >&2; exit 1; }
echo "NSIS script compiled (stand-in payload); frozen build: $(du -sh dist/ZhuxueLedger | cut -f1)"
