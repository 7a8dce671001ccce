"""The PDF brief: snapshot dataclasses in, a ReportLab platypus document out (no Qt)."""
