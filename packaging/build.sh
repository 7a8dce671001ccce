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

# Qt's X11 platform plugin needs these; PyInstaller bundles them only when this
# machine has them, and a desktop without them then could not open the window.
if [ "$(uname -s)" = Linux ] && command -v ldconfig >/dev/null; then
  missing=()
  for lib in libxcb-cursor.so.0 libxcb-icccm.so.4 libxcb-keysyms.so.1 libxcb-image.so.0 \
    libxcb-render-util.so.0 libxcb-shape.so.0 libxkbcommon-x11.so.0; do
    ldconfig -p | grep -q "$lib" || missing+=("$lib")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "warning: the bundle will lack ${missing[*]} (Debian: apt-get install libxcb-cursor0" \
      "libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-shape0" \
      "libxkbcommon-x11-0)" >&2
  fi
fi

"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/conflict-briefing.spec

echo "Built $ROOT/dist/conflict-briefing/ ($(du -sh dist/conflict-briefing | cut -f1))"
