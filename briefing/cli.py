"""The ``briefing`` command: a thin layer over the services, for scripts and headless machines.

Exit status: 0 on success; 1 with one ``error: …`` line on stderr when the input
is bad; 2 for wrong usage (argparse's own convention).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from briefing import __version__
from briefing.errors import BriefingError
from briefing.store import ProjectLocked, open_project
from briefing.store.project import Project

Handler = Callable[[argparse.Namespace], int]

KIND_PLURALS = {
    "party": "parties",
    "source": "sources",
    "entry": "timeline entries",
    "statement": "statements",
    "relationship": "relationships",
    "briefing": "briefings",
}


def analyst_name() -> str:
    """Who is editing, for records' ``updated_by``: $BRIEFING_ANALYST or the login name."""
    name = os.environ.get("BRIEFING_ANALYST")
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def open_for_cli(path: Path, write: bool) -> Project:
    """Open a project; a command that only reads opens it read-only and ignores locks."""
    if not write:
        return open_project(path, analyst_name(), read_only=True)
    try:
        return open_project(path, analyst_name())
    except ProjectLocked as locked:
        raise BriefingError(str(locked)) from locked


def _writable(project: Project) -> None:
    if project.read_only:
        raise BriefingError(f"{project.name} is read-only or locked; nothing was changed.")


# ---------------------------------------------------------------------------- commands


def cmd_new(args: argparse.Namespace) -> int:
    from briefing.store import create_project

    create_project(args.file, analyst_name(), title=args.title or "").close()
    print(f"Created {args.file}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from briefing.services.demo import create_demo_project

    create_demo_project(args.file, analyst_name()).close()
    print(f"Created the demo project {args.file}")
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    from briefing.services.overview import summarise

    with open_for_cli(args.file, write=False) as project:
        summary = summarise(project)
    print(f"Project:          {summary.title}")
    print(f"File format:      {summary.schema_version}")
    for kind, count in summary.counts.items():
        print(f"{KIND_PLURALS[kind].capitalize() + ':':<18}{count}")
    for briefing in summary.briefings:
        print(f"  [{briefing.id}] {briefing.title}  (TLP:{briefing.tlp}, {briefing.status})")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from briefing.store.verify import check_file

    problems = check_file(args.file)
    if problems:
        for problem in problems:
            print(f"problem: {problem}", file=sys.stderr)
        return 1
    print(f"{args.file.name}: no problems found")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from briefing.services.overview import search

    with open_for_cli(args.file, write=False) as project:
        hits = search(project, args.query, limit=args.limit)
    for hit in hits:
        print(f"{hit.kind:<13}{hit.record_id:>7}  {hit.title}")
    if not hits:
        print("No matches.", file=sys.stderr)
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    from briefing.services.merge import Resolution, merge_project

    with open_for_cli(args.file, write=not args.dry_run) as project:
        if not args.dry_run:
            _writable(project)
        report = merge_project(project, args.other, Resolution(args.prefer), args.dry_run)
    for outcome in report.conflicts:
        print(f"conflict: {outcome.describe()}")
    print(report.summary)
    return 0


def cmd_gui(args: argparse.Namespace) -> int:
    from briefing.gui.app import run

    return run(args.file)


# ---------------------------------------------------------------------------- parser


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

    gui = command("gui", cmd_gui, "open the editor window (the default command)")
    gui.add_argument("file", type=Path, nargs="?", help="project file to open")

    new = command("new", cmd_new, "create an empty project file")
    new.add_argument("file", type=Path)
    new.add_argument("--title", help="the project's title")

    demo = command("demo", cmd_demo, "create a project holding the demo scenario")
    demo.add_argument("file", type=Path)

    info = command("info", cmd_info, "show a project's format, record counts and briefings")
    info.add_argument("file", type=Path)

    check = command("check", cmd_check, "check a file the way opening it would, plus integrity")
    check.add_argument("file", type=Path)

    search = command("search", cmd_search, "full-text search over a project's records")
    search.add_argument("file", type=Path)
    search.add_argument("query")
    search.add_argument("--limit", type=int, default=50, help="most hits to show (50)")

    merge = command("merge", cmd_merge, "merge a colleague's copy of the project into FILE")
    merge.add_argument("file", type=Path)
    merge.add_argument("other", type=Path, metavar="OTHER")
    merge.add_argument("--dry-run", action="store_true", help="report, but change nothing")
    merge.add_argument(
        "--prefer", choices=["ours", "theirs"], default="ours", help="who wins a conflict (ours)"
    )

    return parser


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
        print(f"error: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        where = f" ({error.filename})" if error.filename else ""
        print(f"error: {error.strerror or error}{where}", file=sys.stderr)
        return 1
    except SQLAlchemyError as error:
        reason = getattr(error, "orig", None) or error
        print(f"error: the project file could not be used: {reason}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 1
