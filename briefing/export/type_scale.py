"""The brief's type sizes, one home for the PDF and the Word document alike.

A scale of ratio about 1.2: 8.5 (tables, notes), 10 (body), 12 (second-level
headings), 15 (section headings) and 24 (title). Table text is set at 1.2 times
its size, so a row of a long timeline stays a few lines high. Nothing here
depends on how a document is written: :mod:`briefing.export.styles` builds the
PDF's paragraph styles from it and :mod:`briefing.export.docx.house` the Word
styles, so a table word has one size in both.
"""

from __future__ import annotations

BODY_SIZE = 10.0
TABLE_SIZE = 8.5
SMALL_SIZE = 8.5
SUBHEADING_SIZE = 12.0
HEADING_SIZE = 15.0
TITLE_SIZE = 24.0
TABLE_LEADING = round(TABLE_SIZE * 1.2, 1)
"""Line pitch of table text (points)."""
