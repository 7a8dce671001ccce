"""Render the application icon's PNG sizes and Windows .ico from the hand-drawn SVG.

Run after editing ``resources/icons/conflict-briefing.svg``; the PNGs are
committed so that building and installing need no SVG renderer. Needs
``rsvg-convert`` (Debian: librsvg2-bin) and Pillow (installed with ReportLab).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from PIL import Image

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SVG = ICONS / "conflict-briefing.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def png_path(size: int) -> Path:
    return ICONS / f"conflict-briefing-{size}.png"


def render(size: int) -> Path:
    """Render one size straight from the SVG, so small sizes stay crisp."""
    out = png_path(size)
    subprocess.run(
        ["rsvg-convert", "-w", str(size), "-h", str(size), str(SVG), "-o", str(out)],
        check=True,
    )
    return out


def write_ico() -> Path:
    """Windows wants one .ico holding every size; each is taken from its own PNG."""
    out = ICONS / "conflict-briefing.ico"
    images = [Image.open(png_path(size)) for size in ICO_SIZES]
    largest = images[-1]
    largest.save(out, format="ICO", sizes=[im.size for im in images], append_images=images[:-1])
    return out


def main() -> int:
    if shutil.which("rsvg-convert") is None:
        print("error: rsvg-convert is missing (Debian: librsvg2-bin)", file=sys.stderr)
        return 1
    for size in SIZES:
        print(render(size).relative_to(ICONS.parent.parent))
    print(write_ico().relative_to(ICONS.parent.parent))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
