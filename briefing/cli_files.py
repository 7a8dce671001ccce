"""``briefing gui``, ``new``, ``copy``, ``demo``, ``info``, ``upgrade`` and ``check``."""

from __future__ import annotations

import argparse
import sys

from briefing.cli_common import (
    Command,
    analyst_name,
    open_for_cli,
    path_argument,
    project_argument,
    shown,
)
from briefing.terminal import one_line


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
    from briefing.model.vocab import KIND_PLURALS
    from briefing.services.overview import summarise

    with open_for_cli(args.file, write=False) as project:
        summary = summarise(project)
    print(f"Project:          {one_line(summary.title)}")
    print(f"File format:      {summary.schema_version}")
    for kind, count in summary.counts.items():
        print(f"{KIND_PLURALS[kind].capitalize() + ':':<18}{count}")
    for briefing in summary.briefings:
        title = one_line(briefing.title)
        print(f"  [{briefing.id}] {title}  (TLP:{briefing.tlp}, {briefing.status})")
    return 0


def cmd_upgrade(args: argparse.Namespace) -> int:
    from briefing.store.errors import OlderFormat
    from briefing.store.schema import SCHEMA_VERSION

    try:
        open_for_cli(args.file, write=False, explain_older=False).close()
    except OlderFormat as older:
        version = older.version
    else:
        print(f"{args.file.name} is already in file format {SCHEMA_VERSION}; nothing was changed.")
        return 0
    project = open_for_cli(args.file, write=True)
    backup = project.upgrade_backup
    project.close()
    kept = f"; the format-{version} file is kept as {backup.name}" if backup else ""
    print(f"Upgraded {args.file.name} from file format {version} to {SCHEMA_VERSION}{kept}.")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from briefing.store.verify import check_file

    if isinstance(args.file, str):  # a server: its schema and every record against the rules
        from briefing.store.server.check import check_server_project

        with open_for_cli(args.file, write=False) as project:
            problems = check_server_project(project)
    else:
        problems = check_file(args.file, refuse=True)  # not a project: one error, as elsewhere
    if problems:
        for problem in problems:
            print(f"problem: {problem}", file=sys.stderr)
        return 1
    print(f"{shown(args.file)}: no problems found")
    return 0


def cmd_copy(args: argparse.Namespace) -> int:
    """A whole project into a new file or an empty server database, through the rules."""
    from briefing.store.copying import copy_project

    with open_for_cli(args.source, write=False) as project:
        report = copy_project(project, args.destination)
    print(report.summary)
    return 0


def cmd_gui(args: argparse.Namespace) -> int:
    from briefing.gui.app import run

    return run(args.file, demo=args.demo)


def add_file_commands(command: Command) -> None:
    """gui, new, copy, demo, info, upgrade and check, in the order help lists them."""
    gui = command("gui", cmd_gui, "open the editor window (the default command)")
    gui.add_argument("file", type=project_argument, nargs="?", help="project file to open")
    gui.add_argument(
        "--demo", action="store_true", help="open the demo project (created on first use)"
    )

    new = command("new", cmd_new, "create an empty project file")
    new.add_argument("file", type=project_argument, help="the new project file, NAME.brief")
    new.add_argument("--title", help="the project's title")

    copy = command(
        "copy", cmd_copy, "copy a project between a file and a server, records and stamps kept"
    )
    copy.add_argument("source", type=project_argument, help="a project file or server address")
    copy.add_argument(
        "destination",
        type=project_argument,
        help="a new project file, or postgresql://USER@HOST:PORT/DB of an empty database",
    )

    demo = command("demo", cmd_demo, "create a project holding the demo scenario")
    demo.add_argument("file", type=project_argument, help="the project file to create, NAME.brief")

    info = command("info", cmd_info, "show a project's format, record counts and briefings")
    info.add_argument("file", type=project_argument, help="the project file")

    upgrade = command(
        "upgrade", cmd_upgrade, "upgrade a file of an older format (a backup is written first)"
    )
    upgrade.add_argument("file", type=path_argument, help="the project file")

    check = command("check", cmd_check, "check a file the way opening it would, plus integrity")
    check.add_argument("file", type=project_argument, help="the project file to check")
