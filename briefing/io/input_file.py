"""A file to import must be a regular file: a device, pipe or folder is refused unread.

Reading ``/dev/zero`` (or a link to it named ``events.csv``) never ends and
fills memory; a pipe with no writer waits forever. Every door that reads a file
to import asks here first, before reading a byte.
"""

from __future__ import annotations

import stat
from pathlib import Path

from briefing.errors import BriefingError, file_problem, not_a_file


def check_regular(path: Path) -> None:
    """Raise BriefingError in one sentence unless ``path`` is a regular file (links followed)."""
    path = Path(path)
    try:
        mode = path.stat().st_mode
    except OSError as error:
        raise BriefingError(file_problem(path.name, error)) from error
    if stat.S_ISDIR(mode):
        raise BriefingError(not_a_file(path.name, is_folder=True))
    if not stat.S_ISREG(mode):
        raise BriefingError(f"{path.name} is not a regular file; nothing was imported from it.")


def is_regular(path: Path) -> bool:
    """Whether ``path`` is a regular file that can be read to its end."""
    try:
        check_regular(path)
    except BriefingError:
        return False
    return True
