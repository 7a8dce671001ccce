"""Failures a user can cause or fix; ``str(error)`` is one sentence fit to show them."""

from __future__ import annotations

import errno


class BriefingError(Exception):
    """Base of every error meant for the user rather than for a traceback."""


class RecordError(BriefingError):
    """A record in a document or an edit is wrong; the message names the record and field."""


class DamagedFile(BriefingError):
    """Rows of a file that opened do not agree with each other (a spoiled page or index).

    The open-time checks are cheap and let such a file through; ``briefing check``
    finds the damage. Readers raise this instead of failing on the first row that does
    not fit.
    """

    def __init__(self, what: str) -> None:
        super().__init__(f"the file is damaged: {what}; run briefing check")


def file_problem(name: str, error: OSError, what: str = "a file") -> str:
    """Why the file a user named cannot be read, in the one wording every door uses.

    ``what`` is what a folder given instead is not ("a project file").
    """
    if isinstance(error, FileNotFoundError | NotADirectoryError) or error.errno == errno.ENOENT:
        return f"{name} does not exist."
    if isinstance(error, IsADirectoryError) or error.errno == errno.EISDIR:
        return f"{name} is a folder, not {what}."
    return f"{name} cannot be read ({error.strerror or error})."


def not_a_file(name: str, is_folder: bool, what: str = "a file") -> str:
    """The same wording for a path found, before opening it, missing or a folder."""
    error = IsADirectoryError if is_folder else FileNotFoundError
    return file_problem(name, error(errno.EISDIR if is_folder else errno.ENOENT, ""), what)
