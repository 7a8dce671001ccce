"""What the ``briefing`` commands share: opening a project, naming things, reading arguments.

Nothing here loads the database stack when imported: each piece imports what it
needs when it runs, so ``--version``, ``--help`` and a wrong argument stay quick.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from typing import TYPE_CHECKING

from briefing.errors import BriefingError

if TYPE_CHECKING:
    from pathlib import Path

    from briefing.services.overview import BriefingSummary
    from briefing.store.project import Project

Handler = Callable[[argparse.Namespace], int]
Command = Callable[[str, Handler, str], argparse.ArgumentParser]
"""Adds a sub-command with its handler and help text; returns its parser for the arguments."""


def analyst_name() -> str:
    """Who is editing, for records' ``updated_by``: $BRIEFING_ANALYST or the login name."""
    name = os.environ.get("BRIEFING_ANALYST")
    if name:
        return name
    try:
        import getpass

        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def open_for_cli(
    path: Path | str, write: bool, explain_older: bool = True, upgrade: bool = True
) -> Project:
    """Open a project; a command that only reads opens it read-only and ignores locks.

    A file this machine has verified unchanged opens without the whole-file
    checks (:mod:`briefing.store.trust`); a new one shows their progress on a terminal.
    A file of an older format is not upgraded by a command that only reads: it is
    refused with a sentence saying how to upgrade it (unless ``explain_older`` is off).
    A server address opens the team project there.
    """
    from briefing.store import ProjectLocked, open_project
    from briefing.store.errors import OlderFormat
    from briefing.store.trust import VerifiedFiles
    from briefing.terminal import terminal_progress

    if isinstance(path, str):  # a server names the analyst by their login role
        return open_project(path, "", read_only=not write)  # type: ignore[no-any-return]

    memory = VerifiedFiles.default()
    with terminal_progress("Checking " + path.name) as progress:
        try:
            if not write:
                return open_project(path, analyst_name(), True, memory=memory, progress=progress)
            return open_project(
                path, analyst_name(), memory=memory, progress=progress, upgrade=upgrade
            )
        except OlderFormat as older:
            if not explain_older or (write and upgrade):
                raise
            raise BriefingError(
                f"{path.name} is in file format {older.version}, older than this program's "
                f"format {older.current}, and was left unchanged: open it in the editor or "
                f"run 'briefing upgrade {path}' to upgrade it (a backup is written beside "
                "it first)."
            ) from older
        except ProjectLocked as locked:
            raise BriefingError(str(locked)) from locked


def open_to_record(path: Path | str) -> Project:
    """Open to export, and to record the export in the project.

    Read-only when another analyst holds the lock (the export is then not recorded).
    An older file is left unchanged, as a command that only reads leaves it.
    """
    from briefing.store import ProjectLocked

    try:
        return open_for_cli(path, write=True, upgrade=False)
    except BriefingError as error:
        if isinstance(error.__cause__, ProjectLocked):
            return open_for_cli(path, write=False)
        raise


def shown(target: Path | str) -> str:
    """A project as sentences name it: a file's name, or a server address."""
    return target if isinstance(target, str) else target.name


def writable(project: Project) -> None:
    """Refuse to change a project opened read-only (or held by someone else)."""
    if project.read_only:
        raise BriefingError(f"{project.name} is read-only or locked; nothing was changed.")


def resolve_briefing(project: Project, wanted: str) -> BriefingSummary:
    """The briefing a user named on the command line by id, UUID or title."""
    from briefing.services.overview import summarise

    briefings = summarise(project).briefings
    found = [b for b in briefings if wanted.strip() in (str(b.id), b.uuid)]
    found = found or [b for b in briefings if b.title.casefold() == wanted.strip().casefold()]
    if not found:
        raise BriefingError(
            f"{project.name} has no briefing with the id or title '{wanted}'; "
            "'briefing info' lists them."
        )
    if len(found) > 1:
        raise BriefingError(f"Several briefings are titled '{wanted}'; give the id instead.")
    return found[0]


TLP_LABELS = "{CLEAR,GREEN,AMBER,AMBER+STRICT,RED}"
"""How --tlp and --max-tlp show their labels in help (tests check it against Tlp)."""


def path_argument(text: str) -> Path:
    """A file named on the command line (pathlib is loaded only when a command takes one)."""
    from pathlib import Path

    return Path(text)


def project_argument(text: str) -> Path | str:
    """A project file, or a ``postgresql://USER@HOST:PORT/DB`` address kept as text."""
    if text.lower().startswith(("postgresql://", "postgres://")):
        return text
    return path_argument(text)


def tlp_label(text: str) -> str:
    """A TLP label as typed (``amber+strict``, ``TLP:RED``) → its value; refused by argparse.

    Checked against :data:`TLP_LABELS`, not the model, so that a usage error (argparse
    converts the default too) loads no database stack.
    """
    labels = TLP_LABELS.strip("{}").split(",")
    label = text.strip().upper().removeprefix("TLP:")
    if label not in labels:
        choices = ", ".join(labels)
        raise argparse.ArgumentTypeError(f"'{text}' is not a TLP label ({choices})")
    return label


def counted_records(count: int) -> str:
    return f"{count} record" if count == 1 else f"{count} records"
