"""Locate files shipped in ``resources/``, from a checkout, a wheel or a bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    """Return the folder holding fonts, icons, schemas and demo data.

    An installed wheel carries it as ``briefing/resources``; a source checkout
    (and an editable install) keeps it at the top of the repository; a frozen
    bundle unpacks it beside the program.
    """
    here = Path(__file__).resolve().parent
    candidates = [here / "resources", here.parent / "resources"]
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        candidates.insert(0, Path(frozen_root) / "resources")
    for candidate in candidates:
        if (candidate / "fonts").is_dir():
            return candidate
    raise FileNotFoundError(
        "The program's resources folder is missing; reinstall Conflict Briefing."
    )


def resource_path(*parts: str) -> Path:
    """Return the path of one shipped resource, e.g. ``resource_path("fonts", "x.ttf")``."""
    return resources_dir().joinpath(*parts)
