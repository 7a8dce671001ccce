#!/usr/bin/env bash
# Build the one-folder application: dist/conflict-briefing/briefing
#
#   packaging/build.sh                        # makes build/package-venv and builds there
#   PYTHON=.venv/bin/python packaging/build.sh # uses an existing environment instead
#
# The environment gets the project and PyInstaller (the "package" extra) if it lacks them.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
export PIP_DISABLE_PIP_VERSION_CHECK=1

if [ -z "${PYTHON:-}" ]; then
  if [ ! -x build/package-venv/bin/python ]; then
    python3 -m venv build/package-venv
  fi
  PYTHON=build/package-venv/bin/python
fi

if ! "$PYTHON" -c "import PyInstaller, briefing" >/dev/null 2>&1; then
  "$PYTHON" -m pip install -q -e ".[package]"
fi

"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/conflict-briefing.spec

echo "Built $ROOT/dist/conflict-briefing/ ($(du -sh dist/conflict-briefing | cut -f1))"
