# Build the onedir bundle on Windows into dist\pos-app, then smoke-test it.
$ErrorActionPreference = "Stop"
$root = Split-Path -Parent $PSScriptRoot
Set-Location $root
if (-not (Test-Path .venv)) { py -3.12 -m venv .venv }
.\.venv\Scripts\python -m pip install --quiet -e ".[dev]" "pyinstaller>=6.10"
.\.venv\Scripts\pyinstaller --noconfirm --clean --distpath dist --workpath build\pyinstaller packaging\pos_app.spec
$env:QT_QPA_PLATFORM = "offscreen"
& dist\pos-app\pos-app.exe --self-test
if ($LASTEXITCODE -ne 0) { throw "self-test of the built app failed" }
