#!/usr/bin/env bash
# Build the application bundle, copy it out of the source tree and use it there the
# way an analyst would: --version, demo, info, check, search, export to PDF and Word (fonts
# from inside the bundle, Armenian intact) and the window starting offscreen.
#
#   packaging/smoke_test.sh              # build, then test
#   packaging/smoke_test.sh --no-build   # test the bundle already in dist/
#
# PYTHON is the environment that builds (see build.sh) and checks the PDF; it needs
# pypdf (the "test" extra). Default: .venv/bin/python when it exists.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
if [ -z "${PYTHON:-}" ] && [ -x .venv/bin/python ]; then
  PYTHON="$ROOT/.venv/bin/python"
fi
export PYTHON

case "${1:-}" in
  --no-build) ;;
  "")
    started=$SECONDS
    packaging/build.sh
    echo "build took $((SECONDS - started)) s"
    ;;
  *) echo "usage: $0 [--no-build]" >&2; exit 2 ;;
esac
PYTHON="${PYTHON:-$ROOT/build/package-venv/bin/python}"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/briefing-smoke.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
cp -a dist/conflict-briefing "$WORK/app"
mkdir "$WORK/home"
cd "$WORK"

# A bare environment: no virtual environment, no PYTHONPATH, no locale, no source tree,
# and no system time zones (PYTHONTZPATH empty), so the bundle must bring its own.
BARE=(env -i PATH=/usr/bin:/bin HOME="$WORK/home" QT_QPA_PLATFORM=offscreen PYTHONTZPATH=
  BRIEFING_ANALYST="Smoke test")
run() { "${BARE[@]}" "$WORK/app/briefing" "$@"; }
step() { printf '\n== %s\n' "$*"; }

step "Qt libraries complete"
# Every Qt library a shipped library or plugin needs must be shipped too (the spec
# leaves some out on purpose; this catches leaving out one still in use).
if command -v readelf >/dev/null; then
  dangling="$(find "$WORK/app" -xtype l)"
  if [ -n "$dangling" ]; then
    echo "the bundle has links to files it lacks: $dangling" >&2
    exit 1
  fi
  shipped="$(find "$WORK/app/_internal" -name 'libQt6*.so*' -xtype f -printf '%f\n' | sort -u)"
  needed="$(find "$WORK/app/_internal" -name '*.so*' -type f -exec readelf -d {} + 2>/dev/null |
    sed -n 's/.*Shared library: \[\(libQt6[^]]*\)\].*/\1/p' | sort -u)"
  lacking="$(comm -13 <(echo "$shipped") <(echo "$needed"))"
  if [ -n "$lacking" ]; then
    echo "the bundle lacks Qt libraries that it uses: $lacking" >&2
    exit 1
  fi
  echo "$(echo "$needed" | wc -l) Qt libraries needed, all shipped"
else
  echo "note: skipped, readelf is not installed"
fi

step "--version"
version="$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$ROOT/briefing/__init__.py")"
[ "$(run --version)" = "briefing $version" ] || { echo "wrong version" >&2; exit 1; }
run --version

step "demo, info, check, search"
run demo demo.brief
run info demo.brief | tee info.txt
grep -q "Armenia–Azerbaijan" info.txt || { echo "info lost its non-ASCII text" >&2; exit 1; }
run check demo.brief
run search demo.brief "russia treaty" | grep -q "1997 Treaty"

step "export to PDF"
status=0
run export demo.brief -o demo.pdf 2>export-stderr.txt || status=$?
if [ "$status" = 0 ]; then
  "$PYTHON" "$ROOT/packaging/check_pdf.py" demo.pdf
elif grep -q -e "invalid choice: 'export'" -e "PDF export is not available" export-stderr.txt; then
  echo "note: skipped, this build cannot export a PDF yet"
else
  cat export-stderr.txt >&2
  exit 1
fi

step "export to Word"
# python-docx's default document must be inside the bundle; the names must come back.
run export demo.brief -o demo.docx
"$PYTHON" -c 'import docx, sys; text = "".join(p.text for p in docx.Document(sys.argv[1]).paragraphs); assert "Armenia–Azerbaijan" in text and "TLP:GREEN" in "".join(p.text for p in docx.Document(sys.argv[1]).sections[0].header.paragraphs)' demo.docx
echo "Word document written and read back"

step "window, offscreen"
if [ -f "$ROOT/briefing/gui/app.py" ]; then
  # BRIEFING_QUIT_AFTER_MS makes the window close itself once it has been up that
  # long. It must close cleanly: status 0, no traceback, nothing in the error log
  # (an unexpected error would otherwise wait in a dialog until timeout kills it).
  status=0
  timeout 120 "${BARE[@]}" BRIEFING_QUIT_AFTER_MS="${SMOKE_GUI_MS:-3000}" \
    BRIEFING_DATA_DIR="$WORK/data" "$WORK/app/briefing" gui demo.brief \
    >/dev/null 2>gui-stderr.txt || status=$?
  if [ "$status" != 0 ] || grep -q Traceback gui-stderr.txt || [ -s "$WORK/data/errors.log" ]; then
    cat gui-stderr.txt "$WORK/data/errors.log" >&2 2>/dev/null || true
    echo "the window failed (status $status)" >&2
    exit 1
  fi
  echo "window opened demo.brief and closed itself cleanly"
else
  echo "note: skipped, this build has no window yet"
fi

printf '\nsmoke test passed: %s (%s)\n' "$ROOT/dist/conflict-briefing" "$(du -sh "$WORK/app" | cut -f1)"
