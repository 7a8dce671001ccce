"""The briefing composer: list of briefings, cover facts, key judgments and the outline."""

from briefing.gui.composer.composer import ComposerWidget

__all__ = ["ComposerWidget"]
