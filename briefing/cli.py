"""The ``briefing`` command: a thin layer over the services, for scripts and headless machines.

Exit status: 0 on success; 1 with one ``error: …`` line on stderr when the input
is bad; 2 for wrong usage (argparse's own convention).

Each command imports what it needs when it runs, so ``--version``, ``--help`` and
a wrong argument answer without loading the database stack, the model or Qt.
The commands live by group: :mod:`.cli_files` (a project file itself),
:mod:`.cli_records` (search, merge, share, editions), :mod:`.cli_export`,
:mod:`.cli_import` and :mod:`.cli_team`; :mod:`.cli_common` holds what they share.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
from collections.abc import Sequence

from briefing import __version__
from briefing.cli_common import TLP_LABELS, Handler, resolve_briefing, tlp_label
from briefing.cli_export import add_export_commands
from briefing.cli_files import add_file_commands
from briefing.cli_import import add_import_commands
from briefing.cli_records import add_record_commands
from briefing.cli_team import add_team_parser
from briefing.errors import BriefingError, file_problem
from briefing.terminal import one_line

__all__ = ["TLP_LABELS", "build_parser", "main", "resolve_briefing", "tlp_label"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefing",
        description="Conflict Briefing: assemble conflict briefings from a shared library.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        return sub

    add_file_commands(command)
    add_record_commands(command)
    add_export_commands(command)
    add_import_commands(command)
    add_team_parser(commands)
    return parser


def _is_database_error(error: Exception) -> bool:
    """An error of SQLAlchemy or of the SQLite driver, checked without importing either.

    A module is loaded if its error was raised; the driver's errors reach here from
    statements read directly on its connection.
    """
    exc = sys.modules.get("sqlalchemy.exc")
    if exc is not None and isinstance(error, exc.SQLAlchemyError):
        return True
    sqlite = sys.modules.get("sqlite3")
    return sqlite is not None and isinstance(error, sqlite.DatabaseError)


def _os_failure(error: OSError) -> str:
    """A failure of the system no door turned into a sentence; a missing file as doors say it."""
    if error.filename and error.errno in (errno.ENOENT, errno.EISDIR):
        return file_problem(os.path.basename(os.fsdecode(error.filename)), error)
    where = f" ({error.filename})" if error.filename else ""
    return f"{error.strerror or error}{where}"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    known = {
        name
        for action in parser._actions
        if isinstance(action, argparse._SubParsersAction)
        for name in action.choices
    }
    if not arguments or (arguments[0] not in known and not arguments[0].startswith("-")):
        arguments.insert(0, "gui")
    args = parser.parse_args(arguments)
    try:
        return int(args.handler(args))
    except BriefingError as error:
        print(f"error: {one_line(error)}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader stopped early (``| head``): it had all it wanted. Later writes,
        # such as the flush at exit, go nowhere instead of failing again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as error:
        print(f"error: {_os_failure(error)}", file=sys.stderr)
        return 1
    except Exception as error:
        if not _is_database_error(error):
            raise
        from briefing.store.errors import database_reason  # loaded with the project

        reason = database_reason(error)
        print(f"error: the project file could not be used: {reason}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 1
