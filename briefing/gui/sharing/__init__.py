"""Exchanging work: merging a colleague's file, importing ACLED data, share copies, editions."""

from briefing.gui.sharing.actions import SharingActions

__all__ = ["SharingActions"]
