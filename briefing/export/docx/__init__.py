"""Word (DOCX) export: the PDF's content from the same snapshot, in the house template's styles."""

from __future__ import annotations

from briefing.export.docx.writer import DocxResult, docx_steps, export_docx

__all__ = ["DocxResult", "docx_steps", "export_docx"]
