"""``briefing team``: the project's administrator adds analysts and lists their clearances.

``briefing team add-analyst URL NAME --clearance AMBER`` creates the analyst's
login on the server; the password is typed at a prompt (twice), or read from
the environment variable ``BRIEFING_ANALYST_PASSWORD`` for scripts, and never
printed. ``briefing team list URL`` shows every analyst with their clearance.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import Any

from briefing.errors import BriefingError

PASSWORD_VARIABLE = "BRIEFING_ANALYST_PASSWORD"


def add_team_parser(commands: Any) -> None:
    """Add ``team`` and its sub-commands to the ``briefing`` parser."""
    team = commands.add_parser(
        "team",
        help="manage the analysts of a team project on a server",
        description="Manage the analysts of a team project (its administrator only).",
    )
    team.set_defaults(handler=lambda args: _usage(team))
    actions = team.add_subparsers(dest="team_command", metavar="ACTION")
    add = actions.add_parser(
        "add-analyst",
        help="create an analyst's login with a clearance",
        description="Create an analyst's login with a clearance: the strictest TLP label "
        f"they may read. The password is asked for, or read from ${PASSWORD_VARIABLE}.",
    )
    add.add_argument("address", metavar="URL", help="postgresql://USER@HOST:PORT/DB")
    add.add_argument("name", metavar="NAME", help="the analyst's login name")
    add.add_argument(
        "--clearance",
        required=True,
        metavar="CLEAR|GREEN|AMBER|AMBER+STRICT|RED",
        help="the strictest TLP label the analyst may read",
    )
    add.set_defaults(handler=cmd_add_analyst)
    listing = actions.add_parser("list", help="list the analysts and their clearances")
    listing.add_argument("address", metavar="URL", help="postgresql://USER@HOST:PORT/DB")
    listing.set_defaults(handler=cmd_list)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def _connect(text: str) -> Any:
    from briefing.store.server.address import ServerAddress, is_server_address
    from briefing.store.server.connect import connect

    if not is_server_address(text):
        raise BriefingError(
            f"{text} is not a server address; team commands take postgresql://USER@HOST:PORT/DB."
        )
    connection = connect(ServerAddress.parse(text))
    connection.autocommit = True
    return connection


def _new_password(name: str) -> str:
    """The new analyst's password: from the environment, or typed twice at a terminal."""
    given = os.environ.get(PASSWORD_VARIABLE)
    if given is not None:
        return given
    if not sys.stdin.isatty():
        raise BriefingError(
            f"Type the password at a terminal, or set {PASSWORD_VARIABLE} for a script."
        )
    first = getpass.getpass(f"Password for {name}: ")
    if getpass.getpass("The same password again: ") != first:
        raise BriefingError("The two passwords differ; nothing was changed.")
    return first


def cmd_add_analyst(args: argparse.Namespace) -> int:
    from briefing.store import pg_team

    label = pg_team.clearance_of(args.clearance)
    pg_team.check_name(args.name)
    connection = _connect(args.address)
    try:
        analyst = pg_team.add_analyst(connection, args.name, label, _new_password(args.name))
    finally:
        connection.close()
    print(f"Added {analyst.name}, cleared for TLP:{analyst.clearance}.")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from briefing.store import pg_team

    connection = _connect(args.address)
    try:
        analysts = pg_team.list_analysts(connection)
    finally:
        connection.close()
    width = max([len(a.name) for a in analysts] + [7])
    print(f"{'analyst':<{width}}  clearance     added (UTC)           by")
    for a in analysts:
        login = "" if a.can_log_in else "  (cannot log in)"
        print(f"{a.name:<{width}}  {a.clearance:<12}  {a.added_at:<20}  {a.added_by}{login}")
    return 0
