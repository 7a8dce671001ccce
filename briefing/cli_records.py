"""``briefing search``, ``merge``, ``share`` and ``edition``: a project's records and editions."""

from __future__ import annotations

import argparse
import sys

from briefing.cli_common import (
    TLP_LABELS,
    Command,
    open_for_cli,
    path_argument,
    project_argument,
    resolve_briefing,
    tlp_label,
    writable,
)
from briefing.errors import BriefingError
from briefing.terminal import one_line


def cmd_search(args: argparse.Namespace) -> int:
    from briefing.model.fulltext import search_results, search_words
    from briefing.terminal import Column, print_rows

    columns = (Column("Kind", 12), Column("Id", 6, right=True), Column("Title"))

    with open_for_cli(args.file, write=False) as project, project.engine.connect() as connection:
        results = search_results(connection, args.query, limit=args.limit)
    hits = results.hits
    print_rows(columns, ((hit.kind, hit.record_id, hit.title) for hit in hits))
    for note in (search_words(args.query).note, results.note):
        if note:
            print(f"note: {note}", file=sys.stderr)
    if not hits:
        print("No matches.", file=sys.stderr)
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    from briefing.services.merge import Resolution, merge_project

    with open_for_cli(args.file, write=not args.dry_run) as project:
        if not args.dry_run:
            writable(project)
        report = merge_project(project, args.other, Resolution(args.prefer), args.dry_run)
    for outcome in report.conflicts:
        print(f"conflict: {one_line(outcome.describe())}")
    for line in report.lines():
        print(one_line(line))
    print(one_line(report.summary))
    return 0


def cmd_share(args: argparse.Namespace) -> int:
    from briefing.model.vocab import Tlp
    from briefing.services.share import write_share_copy

    with open_for_cli(args.file, write=False) as project:
        label = Tlp(args.max_tlp or Tlp.GREEN.value)
        report = write_share_copy(project, args.output, label, args.strip_notes)
    print(report.summary)
    return 0


def cmd_edition(args: argparse.Namespace) -> int:
    from briefing.model.vocab import counted
    from briefing.services.editions import edition_changes, freeze_edition, list_editions
    from briefing.services.overview import summarise

    with open_for_cli(args.file, write=args.freeze) as project:
        if args.freeze:
            writable(project)
        briefings = summarise(project).briefings
        if args.briefing is None and len(briefings) != 1:
            names = "; ".join(f"[{b.id}] {b.title}" for b in briefings) or "none"
            raise BriefingError(f"Name a briefing with --briefing ID|TITLE (briefings: {names}).")
        briefing = resolve_briefing(project, args.briefing) if args.briefing else briefings[0]
        if args.freeze:
            number = freeze_edition(project, briefing.id).number
            print(f"Froze edition {number} of ‘{one_line(briefing.title)}’.")
        for edition in list_editions(project, briefing.id):
            when = edition.frozen_at.strftime("%Y-%m-%d %H:%M")
            print(f"edition {edition.number}  {when} UTC  {one_line(edition.frozen_by)}")
        if not list_editions(project, briefing.id):
            print(f"‘{one_line(briefing.title)}’ has no editions yet; --freeze makes the first.")
            return 0
        diff = edition_changes(project, briefing.id, number if args.freeze else None)
    if diff.old_number is None:
        items = sum(c.is_item for c in diff.added)
        parts = len(diff.added) - items
        print(f"First edition: {counted('item', items)} in {parts} sections and judgments.")
        return 0
    since = f"edition {diff.old_number}"
    print(f"No changes since {since}." if diff.is_empty else f"Changes since {since}:")
    for line in diff.lines():
        print(f"  {one_line(line)}")
    return 0


def add_record_commands(command: Command) -> None:
    """search, merge, share and edition, in the order help lists them."""
    search = command("search", cmd_search, "full-text search over a project's records")
    search.add_argument("file", type=project_argument, help="the project file")
    search.add_argument("query", help="words to find, e.g. 'Jermuk shelling'")
    search.add_argument("--limit", type=int, default=50, help="most hits to show (50)")
    search.epilog = (
        "On a terminal the hits come under a header line; piped or redirected, each hit is "
        "one line of kind, id and title separated by tabs, without a header."
    )

    merge = command("merge", cmd_merge, "merge a colleague's copy of the project into FILE")
    merge.add_argument("file", type=project_argument, help="your project file, changed in place")
    merge.add_argument("other", type=path_argument, metavar="OTHER", help="the colleague's copy")
    merge.add_argument("--dry-run", action="store_true", help="report, but change nothing")
    merge.add_argument(
        "--prefer", choices=["ours", "theirs"], default="ours", help="who wins a conflict (ours)"
    )

    share = command("share", cmd_share, "write a copy safe to hand over, without restricted text")
    share.add_argument("file", type=project_argument, help="the project file to share")
    share.add_argument(
        "-o", "--output", type=path_argument, required=True, help="the copy, OUT.brief"
    )
    share.add_argument(
        "--max-tlp",
        type=tlp_label,
        default="GREEN",
        metavar=TLP_LABELS,
        help="leave out records and briefings stricter than this label (GREEN)",
    )
    share.add_argument("--strip-notes", action="store_true", help="blank the analysts' notes")

    edition = command("edition", cmd_edition, "list a briefing's editions and what changed")
    edition.add_argument("file", type=project_argument, help="the project file")
    edition.add_argument("--briefing", metavar="ID|TITLE", help="the briefing (if several)")
    edition.add_argument("--freeze", action="store_true", help="freeze it as the next edition")
