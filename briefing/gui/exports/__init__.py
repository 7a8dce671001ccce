"""The window's export and exchange dialogs: Word, STIX bundles and MISP events.

The PDF's dialogs sit in ``gui/export_pdf.py``.
"""
