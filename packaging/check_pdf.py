"""Check a PDF the bundle exported: fonts embedded, and Armenian text came out as text.

Used by ``packaging/smoke_test.sh``: a bundle that lost its fonts would fall back to
ReportLab's standard fonts (not embedded, no Armenian glyphs), which this catches.
Needs pypdf (the ``test`` extra). Exit 0 when the PDF passes, 1 with a reason.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pypdf import PdfReader

ARMENIAN = range(0x0531, 0x0590)


def is_embedded(font: dict) -> bool:
    """Whether a PDF font dictionary carries its font program (simple or composite font)."""
    descriptor = font.get("/FontDescriptor")
    if descriptor is None and "/DescendantFonts" in font:
        descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
    descriptor = descriptor.get_object() if descriptor is not None else {}
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def text_by_font(reader: PdfReader) -> dict[str, tuple[bool, str]]:
    """Font name → (embedded, the visible text drawn in it), over every page.

    Fonts a page merely lists (ReportLab's initial Helvetica) without drawing
    text in them do not count.
    """
    drawn: dict[str, tuple[bool, str]] = {}

    def visit(text: str, _cm: object, _tm: object, font: dict | None, _size: object) -> None:
        if font is None or not text.strip():
            return
        name = str(font.get("/BaseFont"))
        embedded, before = drawn.get(name, (is_embedded(font), ""))
        drawn[name] = (embedded, before + text)

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    return drawn


def problems(path: Path) -> list[str]:
    reader = PdfReader(path)
    if not reader.pages:
        return ["the PDF has no pages"]
    drawn = text_by_font(reader)
    found: list[str] = []
    not_embedded = sorted(name for name, (embedded, _) in drawn.items() if not embedded)
    if not_embedded:
        found.append(f"text in fonts that are not embedded: {', '.join(not_embedded)}")
    if not any("DejaVu" in name for name in drawn):
        found.append(f"no text in a DejaVu font (fonts: {', '.join(sorted(drawn)) or 'none'})")
    text = "".join(text for _, text in drawn.values())
    if not any(ord(char) in ARMENIAN for char in text):
        found.append("no Armenian letters in the PDF's text")
    return found


def main() -> int:
    path = Path(sys.argv[1])
    found = problems(path)
    for problem in found:
        print(f"problem: {path.name}: {problem}", file=sys.stderr)
    if not found:
        reader = PdfReader(path)
        print(f"{path.name}: {len(reader.pages)} pages, fonts embedded, Armenian text intact")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
