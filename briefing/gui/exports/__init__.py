"""The window's export dialogs: Word here; the PDF's sit in ``gui/export_pdf.py`` for now."""
