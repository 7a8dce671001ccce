"""Line layout for paragraphs in complex scripts: shaped, broken, reordered, aligned.

ReportLab's paragraph shapes a whole space-separated word with one font and one
guessed direction and leaves line order to a library we do not have. A
paragraph holding Arabic, Hebrew, Indic, Thai or Myanmar text is laid out here
instead, from the same parsed markup (fonts, bold, colours): the text is cut
into pieces of one font and one embedding level, each piece is shaped with
HarfBuzz in its own direction, lines are broken at spaces (and between CJK
characters), and each line's pieces are put in display order by the Unicode
bidirectional algorithm. A right-to-left paragraph is aligned to the right.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from reportlab.graphics.shapes import Group, String
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.pdfbase.pdfmetrics import stringWidth

from briefing.export import scripts
from briefing.export.fonts import SANS, SCRIPT_FONTS, font_chain
from briefing.export.shaping import shape


@dataclass
class Piece:
    """Text of one font, colour and embedding level, shaped for drawing."""

    text: str
    frag: Any
    level: int
    glyphs: str = ""
    width: float = 0.0
    space: bool = False
    start: int = 0


def _cjk(char: str) -> bool:
    return "\u2e80" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" or char >= "\U00020000"


def _punctuation(char: str) -> bool:
    return unicodedata.category(char)[0] in "PS"


def _cut(text: str, owners: list[int], levels: list[int]) -> list[tuple[int, int]]:
    """Spans of one frag and one level, split at spaces and around CJK characters.

    Right-to-left punctuation is cut from its word, so that it is written apart.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or (
            owners[i] != owners[start]
            or levels[i] != levels[start]
            or (text[i] == " ") != (text[start] == " ")
            or _cjk(text[i])
            or _cjk(text[i - 1])
            or (levels[i] % 2 and _punctuation(text[i]) != _punctuation(text[i - 1]))
        ):
            spans.append((start, i))
            start = i
    return spans


def _measure(piece: Piece) -> None:
    f = piece.frag
    text = scripts.INVISIBLE.sub("", piece.text)  # direction marks steer, print nothing
    if not text:
        return
    if piece.space:
        piece.glyphs = " " * len(text)
        piece.width = stringWidth(piece.glyphs, f.fontName, f.fontSize)
        return
    rtl = piece.level % 2 == 1
    if scripts.is_complex(text) or rtl:  # HarfBuzz mirrors brackets in right-to-left runs
        piece.glyphs, piece.width = shape(text, f.fontName, f.fontSize, rtl)
    else:
        piece.glyphs = text
        piece.width = stringWidth(text, f.fontName, f.fontSize)


def pieces(frags: list[Any], rtl: bool) -> list[Piece | None]:
    """The paragraph as measured pieces in logical order; ``None`` is a forced line break."""
    found: list[Piece | None] = []
    chunk_text: list[str] = []
    chunk_owners: list[int] = []
    offset = 0

    def flush() -> None:
        nonlocal offset
        text = "".join(chunk_text)
        if text:
            levels = scripts.bidi_levels(text, rtl)
            for start, end in _cut(text, chunk_owners, levels):
                piece = Piece(text[start:end], frags[chunk_owners[start]], levels[start],
                              space=text[start] == " ", start=offset + start)  # fmt: skip
                _measure(piece)
                found.append(piece)
        offset += len(text) + 1
        chunk_text.clear()
        chunk_owners.clear()

    for index, frag in enumerate(frags):
        if getattr(frag, "lineBreak", False):
            flush()
            found.append(None)
            continue
        text = getattr(frag, "text", "")
        chunk_text.append(text)
        chunk_owners.extend([index] * len(text))
    flush()
    return found


def _words(items: list[Piece | None]) -> list[list[Piece] | None]:
    """Groups that must stay on one line: a word and the spaces after it, or a break."""
    words: list[list[Piece] | None] = []
    current: list[Piece] = []
    for item in items:
        if item is None:
            if current:
                words.append(current)
            words.append(None)
            current = []
        elif current and not item.space and (current[-1].space or _cjk(item.text[0])
                                             or _cjk(current[-1].text[-1])):  # fmt: skip
            words.append(current)
            current = [item]
        else:
            current.append(item)
    if current:
        words.append(current)
    return words


def _trimmed(line: list[Piece]) -> list[Piece]:
    while line and line[-1].space:
        line = line[:-1]
    return line


def _joins(text: str, i: int) -> bool:
    """Whether ``text`` must not be cut before index ``i`` (a mark, or inside an emoji sequence)."""
    char, before = text[i], text[i - 1]
    return (
        unicodedata.category(char) in ("Mn", "Mc", "Me")
        or char in "\u200d\ufe0e\ufe0f"
        or before == "\u200d"
        or "\U0001f3fb" <= char <= "\U0001f3ff"  # skin tone
    )


def _cut_piece(piece: Piece, room: float, width: float) -> list[Piece]:
    """``piece`` cut between characters: the first part at most ``room`` wide, the rest ``width``.

    Characters are measured one by one (what the cut needs); each part is then
    shaped whole. A part always holds at least one character.
    """
    text, f = piece.text, piece.frag
    parts: list[Piece] = []
    start, used = 0, 0.0
    for i, char in enumerate(text):
        size = stringWidth(char, f.fontName, f.fontSize)
        if i > start and used + size > room + 1e-6 and not _joins(text, i):
            parts.append(Piece(text[start:i], f, piece.level, start=piece.start + start))
            start, used, room = i, 0.0, width
        used += size
    parts.append(Piece(text[start:], f, piece.level, start=piece.start + start))
    for part in parts:
        _measure(part)
    return parts


def _cut_word(word: list[Piece], width: float) -> list[list[Piece]]:
    """A word wider than a line as lines of at most ``width`` (its spaces stay at the end)."""
    lines: list[list[Piece]] = [[]]
    used = 0.0
    for piece in word:
        if piece.space or used + piece.width <= width + 1e-6:
            lines[-1].append(piece)
            used += piece.width
            continue
        first, *rest = _cut_piece(piece, width - used, width)
        if lines[-1] and first.width > width - used + 1e-6:
            lines.append([])  # not even a character of it fits beside the pieces before
            first, *rest = _cut_piece(piece, width, width)
        lines[-1].append(first)
        for part in rest:
            lines.append([part])
        used = lines[-1][-1].width if rest else used + first.width
    return lines


def break_lines(items: list[Piece | None], widths: list[float]) -> list[list[Piece]]:
    """Greedy breaking: as many words on each line as fit its width.

    A word wider than a whole line starts a line and is cut between characters.
    """
    lines: list[list[Piece]] = []
    line: list[Piece] = []
    used = 0.0
    for word in _words(items):
        if word is None:
            lines.append(_trimmed(line))
            line, used = [], 0.0
            continue
        size = sum(p.width for p in word)
        ink = size - sum(p.width for p in word if p.space)
        limit = widths[min(len(lines), len(widths) - 1)]
        if line and used + ink > limit + 1e-6:
            lines.append(_trimmed(line))
            line, used = [], 0.0
            limit = widths[min(len(lines), len(widths) - 1)]
        if ink > limit + 1e-6:
            *whole, word = _cut_word(word, limit)
            lines += [_trimmed(part) for part in whole]
            size = sum(p.width for p in word)
        line += word
        used += size
    if line or not lines:
        lines.append(_trimmed(line))
    return lines


def extent(items: list[Piece | None]) -> tuple[float, float]:
    """The widest word and the widest line (forced breaks kept) as :func:`break_lines` sees them.

    A table column holding such a paragraph is sized from these, as it is from a
    Latin paragraph's words: the text wraps between words in either direction.
    """
    widest_word = widest_line = line = 0.0
    for word in _words(items):
        if word is None:
            line = 0.0
            continue
        size = sum(p.width for p in word)
        ink = size - sum(p.width for p in word if p.space)
        widest_word = max(widest_word, ink)
        widest_line = max(widest_line, line + ink)
        line += size
    return widest_word, widest_line


def display_order(line: list[Piece]) -> list[Piece]:
    return [line[i] for i in scripts.visual_order([p.level for p in line])]


@dataclass
class Layout:
    """A paragraph's lines for one width, in display order, with their widths."""

    lines: list[list[Piece]]
    width: float


def layout(items: list[Piece | None], widths: list[float]) -> Layout:
    """The :func:`pieces` of a paragraph broken into lines of ``widths``, in display order."""
    lines = break_lines(items, widths)
    return Layout([display_order(line) for line in lines], max(widths))


def _emit(canvas: Any, line: list[Piece], x: float, y: float, colour: bool = True) -> None:
    """One text object for the line, pieces placed left to right but written in reading order.

    A reader that copies or extracts the text (a PDF viewer, pypdf) then gets it
    in logical order, words separated by the spaces written between them.
    """
    places: dict[int, float] = {}
    for piece in line:
        places[id(piece)] = x
        x += piece.width
    text = canvas.beginText()
    colour_now = None
    for piece in sorted(line, key=lambda p: p.start):
        frag = piece.frag
        text.setFont(frag.fontName, frag.fontSize)  # each time: ReportLab's shaped text needs it
        if colour and frag.textColor != colour_now:
            colour_now = frag.textColor
            text.setFillColor(colour_now)
        text.setTextOrigin(places[id(piece)], y + (getattr(frag, "rise", 0) or 0))
        text.textOut(piece.glyphs)
    canvas.drawText(text)


def draw(canvas: Any, lay: Layout, style: Any, rtl: bool, height: float) -> None:
    """Draw the lines from the top of a box ``height`` high, aligned by direction.

    Right-to-left lines are aligned right, and the style's left indent is kept
    from the right edge instead.
    """
    leading = style.leading
    y = height - style.fontSize
    for number, line in enumerate(lay.lines):
        indent = style.firstLineIndent if number == 0 else 0
        room = lay.width - style.leftIndent - style.rightIndent - indent
        used = sum(p.width for p in line)
        x = style.leftIndent + indent
        if rtl:  # indents mirrored: a list item or a quote is indented from the right
            x = lay.width - style.leftIndent - indent - used
        elif style.alignment == TA_RIGHT:
            x += room - used
        elif style.alignment == TA_CENTER:
            x += (room - used) / 2
        _emit(canvas, line, x, y)
        y -= leading


@dataclass
class _Run:
    """A stand-in for a parsed fragment: what :func:`pieces` reads."""

    text: str
    fontName: str  # noqa: N815
    fontSize: float  # noqa: N815
    textColor: Any = None  # noqa: N815


def one_line(text: str, font: str, size: float) -> tuple[list[Piece], float]:
    """A single line of project text (a header, a diagram label) in display order, and its width.

    Runs the base font cannot draw go to the shipped font that can.
    """
    bold_faces = {f.family: f"{f.family}-Bold" for f in SCRIPT_FONTS if f.bold}
    heavy = font.endswith("-Bold")  # a bold label keeps its weight in every script
    runs = [
        _Run(run, font if name == SANS else bold_faces.get(name, name) if heavy else name, size)
        for name, run in scripts.font_runs(text, font_chain())
    ]
    rtl = scripts.base_direction(text) == "rtl"
    found = [p for p in pieces(runs, rtl) if p is not None]
    line = display_order(_trimmed(found))
    return line, sum(p.width for p in line)


def line_width(text: str, font: str, size: float) -> float:
    return one_line(text, font, size)[1]


def draw_line(canvas: Any, x: float, y: float, text: str, font: str, size: float,
              anchor: str = "start") -> float:  # fmt: skip
    """Draw one line at ``x`` (its start, end or middle by ``anchor``); returns its width.

    Colour is the canvas's current fill colour.
    """
    line, width = one_line(text, font, size)
    x -= {"start": 0.0, "end": width, "middle": width / 2}[anchor]
    _emit(canvas, line, x, y, colour=False)
    return width


def fitted(text: str, width: float, size: float = 8, font: str = SANS) -> str:
    """Shorten a one-line text with an ellipsis so it never runs past ``width``."""
    if line_width(text, font, size) <= width:
        return text
    while text and line_width(text + "…", font, size) > width:
        text = text[: max(len(text) - max(len(text) // 8, 1), 0)]
    return text.rstrip() + "…"


def shaped_string(x: float, y: float, text: str, font: str, size: float, colour: Any,
                  anchor: str = "start") -> Group:  # fmt: skip
    """One line for a ReportLab drawing: shaped, in display order, each run in the font that has it.

    ``anchor`` says whether ``x`` is where the line starts, ends or has its middle.
    """
    line, width = one_line(text, font, size)
    x -= {"start": 0.0, "end": width, "middle": width / 2}[anchor]
    group = Group()
    for piece in line:
        if not piece.space:
            group.add(String(x, y, piece.glyphs, fontName=piece.frag.fontName, fontSize=size,
                             fillColor=colour))  # fmt: skip
        x += piece.width
    return group
