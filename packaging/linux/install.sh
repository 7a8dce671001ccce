#!/usr/bin/env bash
# Install the built application for one user (or, with PREFIX, for everyone):
# menu entry, icon, the .brief file type, and `briefing` on the PATH, so that
# double-clicking a .brief file opens it in the editor.
#
#   packaging/build.sh && packaging/linux/install.sh          # into ~/.local
#   conflict-briefing/linux/install.sh                         # from a copy of the bundle
#   sudo PREFIX=/usr/local packaging/linux/install.sh          # for every user
#   packaging/linux/install.sh --uninstall                     # remove it again
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
APP_ID=io.github.conflictbriefing.ConflictBriefing
MIME_ICON=application-x-conflict-briefing
PREFIX="${PREFIX:-$HOME/.local}"
# The bundle this script came with, or the one built in the checkout it lives in.
if [ -z "${BUNDLE:-}" ]; then
  if [ -x "$HERE/../briefing" ]; then
    BUNDLE="$(cd "$HERE/.." && pwd)"
  else
    BUNDLE="$(cd "$HERE/../.." && pwd)/dist/conflict-briefing"
  fi
fi
LIB="$PREFIX/lib/conflict-briefing"
BIN="$PREFIX/bin/briefing"
SHARE="$PREFIX/share"
HICOLOR="$SHARE/icons/hicolor"
SIZES="16 24 32 48 64 128 256 512"

refresh_caches() {
  # Each tool is optional: desktops rebuild these caches themselves sooner or later.
  command -v update-mime-database >/dev/null && update-mime-database "$SHARE/mime"
  command -v update-desktop-database >/dev/null && update-desktop-database -q "$SHARE/applications"
  # An icon cache only where a theme index exists: a stale cache in ~/.local
  # would hide icons other programs install there later.
  if [ -f "$HICOLOR/index.theme" ] && command -v gtk-update-icon-cache >/dev/null; then
    gtk-update-icon-cache -q -f "$HICOLOR"
  fi
}

uninstall() {
  rm -rf "$LIB"
  rm -f "$BIN" "$SHARE/applications/$APP_ID.desktop" "$SHARE/metainfo/$APP_ID.metainfo.xml" \
    "$SHARE/mime/packages/$APP_ID.xml" "$HICOLOR/scalable/apps/$APP_ID.svg" \
    "$HICOLOR/scalable/mimetypes/$MIME_ICON.svg"
  for size in $SIZES; do
    rm -f "$HICOLOR/${size}x${size}/apps/$APP_ID.png" "$HICOLOR/${size}x${size}/mimetypes/$MIME_ICON.png"
  done
  refresh_caches
  echo "Removed Conflict Briefing from $PREFIX"
}

install_icons() {
  local icons="$BUNDLE/_internal/resources/icons"
  install -Dm644 "$icons/conflict-briefing.svg" "$HICOLOR/scalable/apps/$APP_ID.svg"
  install -Dm644 "$icons/conflict-briefing.svg" "$HICOLOR/scalable/mimetypes/$MIME_ICON.svg"
  for size in $SIZES; do
    install -Dm644 "$icons/conflict-briefing-$size.png" "$HICOLOR/${size}x${size}/apps/$APP_ID.png"
    install -Dm644 "$icons/conflict-briefing-$size.png" \
      "$HICOLOR/${size}x${size}/mimetypes/$MIME_ICON.png"
  done
}

install_app() {
  if [ ! -x "$BUNDLE/briefing" ]; then
    echo "error: no application at $BUNDLE; build it first with packaging/build.sh" >&2
    exit 1
  fi
  mkdir -p "$(dirname "$LIB")" "$(dirname "$BIN")"
  if [ ! "$BUNDLE" -ef "$LIB" ]; then  # run again from the installed copy: keep it
    rm -rf "$LIB"
    cp -a "$BUNDLE" "$LIB"
  fi
  ln -sfn "$LIB/briefing" "$BIN"
  # The menu entry names the program by its full path: ~/.local/bin is not on
  # every desktop session's PATH.
  mkdir -p "$SHARE/applications"
  sed -e "s|^Exec=briefing |Exec=$BIN |" -e "s|^TryExec=briefing$|TryExec=$BIN|" \
    "$HERE/$APP_ID.desktop" >"$SHARE/applications/$APP_ID.desktop"
  install -Dm644 "$HERE/$APP_ID.metainfo.xml" "$SHARE/metainfo/$APP_ID.metainfo.xml"
  install -Dm644 "$HERE/$APP_ID.xml" "$SHARE/mime/packages/$APP_ID.xml"
  install_icons
  refresh_caches
  # Make the editor the default for .brief files (a user install only; a system
  # install leaves each user's choice alone).
  if [ "$PREFIX" = "$HOME/.local" ] && command -v xdg-mime >/dev/null; then
    xdg-mime default "$APP_ID.desktop" application/x-conflict-briefing
  fi
  echo "Installed Conflict Briefing in $LIB; run it from the menu or as $BIN"
}

case "${1:-}" in
  --uninstall) uninstall ;;
  "") install_app ;;
  *) echo "usage: $0 [--uninstall]" >&2; exit 2 ;;
esac
