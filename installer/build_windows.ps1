# Build the frozen app and the installer on 64-bit Windows 10/11, with Python 3.11 and NSIS 3
# (makensis on PATH or in its default folder), from a clean checkout:
#   powershell -ExecutionPolicy Bypass -File installer\build_windows.ps1
# Makes dist\ZhuxueLedger\ (zhuxue.exe, zhuxue-cli.exe, _internal\) and
# dist\ZhuxueLedger-<version>-setup.exe. The same spec and pinned versions as installer/build.sh.
$ErrorActionPreference = "Stop"
Set-Location (Split-Path $PSScriptRoot -Parent)

if (-not (Test-Path .venv-build\Scripts\python.exe)) {
    if (Get-Command py -ErrorAction SilentlyContinue) { py -3.11 -m venv .venv-build }
    else { python -m venv .venv-build }
    if ($LASTEXITCODE) { throw "could not create .venv-build (Python 3.11 is needed)" }
}
$python = ".\.venv-build\Scripts\python.exe"
& $python -c "import sys; sys.exit(sys.version_info[:2] != (3, 11))"
if ($LASTEXITCODE) { throw "the build uses Python 3.11" }
& $python -m pip install -q --disable-pip-version-check --no-deps -r installer\requirements-build.txt
if ($LASTEXITCODE) { throw "pip install failed" }

if (Test-Path dist\ZhuxueLedger) { Remove-Item -Recurse -Force dist\ZhuxueLedger }
& $python -m PyInstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build\pyinstaller installer\zhuxue.spec
if ($LASTEXITCODE) { throw "PyInstaller failed" }

# prove the build starts before wrapping it (offscreen, on a scratch database)
$env:QT_QPA_PLATFORM = "offscreen"
$smoke = Join-Path $env:TEMP "zhuxue-smoke-$PID.sqlite3"
& .\dist\ZhuxueLedger\zhuxue-cli.exe --smoke-test --db $smoke
$code = $LASTEXITCODE
Remove-Item Env:QT_QPA_PLATFORM
if ($code) { throw "smoke test failed: the build does not start" }

$version = & $python -c "import tomllib; print(tomllib.load(open('pyproject.toml', 'rb'))['project']['version'])"
$makensis = (Get-Command makensis -ErrorAction SilentlyContinue).Source
if (-not $makensis) { $makensis = Join-Path ${env:ProgramFiles(x86)} "NSIS\makensis.exe" }
$payload = Join-Path $PWD "dist\ZhuxueLedger"
$setup = Join-Path $PWD "dist\ZhuxueLedger-$version-setup.exe"
& $makensis -INPUTCHARSET UTF8 -WX -V2 "-DVERSION=$version" "-DPAYLOAD=$payload" "-DOUTFILE=$setup" installer\zhuxue.nsi
if ($LASTEXITCODE) { throw "makensis failed" }
"{0}: {1:N1} MB; folder {2:N1} MB" -f $setup, ((Get-Item $setup).Length / 1MB),
    ((Get-ChildItem -Recurse $payload | Measure-Object Length -Sum).Sum / 1MB)
