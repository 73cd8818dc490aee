# Build the Windows installer on 64-bit Windows 10/11 with Python 3.11 and Inno Setup 6 installed.
$ErrorActionPreference = "Stop"
Set-Location (Split-Path $PSScriptRoot -Parent)
py -3.11 -m venv .venv-win
.\.venv-win\Scripts\python -m pip install -e . pyinstaller
.\.venv-win\Scripts\pyinstaller --noconfirm installer\zhuxue.spec
$smoke = Join-Path $env:TEMP "zhuxue-smoke.sqlite3"
& .\dist\ZhuxueLedger\ZhuxueLedger.exe --smoke-test --db $smoke
if ($LASTEXITCODE -ne 0) { throw "smoke test failed: the build does not start" }
& "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe" installer\zhuxue.iss
