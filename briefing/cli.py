"""The ``briefing`` command: a thin layer over the services, for scripts and headless machines.

Exit status: 0 on success; 1 with one ``error: …`` line on stderr when the input
is bad; 2 for wrong usage (argparse's own convention).

Each command imports what it needs when it runs, so ``--version``, ``--help`` and
a wrong argument answer without loading the database stack, the model or Qt.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol, TypeVar

from briefing import __version__
from briefing.cli_team import add_team_parser
from briefing.errors import BriefingError, file_problem

if TYPE_CHECKING:
    from pathlib import Path

    from briefing.io.event_import import EventRowsError
    from briefing.services.overview import BriefingSummary
    from briefing.store.project import Project
    from briefing.terminal import ProgressCallback

Handler = Callable[[argparse.Namespace], int]
T = TypeVar("T")


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
    from briefing.model.vocab import KIND_PLURALS
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


def cmd_export(args: argparse.Namespace) -> int:
    name = args.output.name.lower()
    if args.pages is not None and not name.endswith(".pdf"):
        raise BriefingError("--landscape, --portrait and --pages-by-length apply to PDF export.")
    if name.endswith(".stix.json"):
        return _export_stix(args)
    if name.endswith(".misp.json"):
        return _export_misp(args)
    suffix = args.output.suffix.lower()
    if suffix == ".json":
        return _export_json(args)
    if args.max_tlp is not None:
        raise BriefingError(
            "--max-tlp applies to JSON export (and STIX and MISP); a PDF or Word file is marked "
            "with --tlp."
        )
    if args.template is not None and suffix != ".docx":
        raise BriefingError("--template applies to Word export (OUT.docx).")
    if suffix == ".pdf":
        return _export_pdf(args)
    if suffix == ".docx":
        return _export_docx(args)
    raise BriefingError(
        f"Cannot export to {args.output.name}: export writes .json, .stix.json, .misp.json, "
        ".pdf or .docx."
    )


def _exchange_options(args: argparse.Namespace, what: str) -> None:
    if args.tlp is not None or args.changes or args.template is not None:
        raise BriefingError(
            f"--tlp, --changes and --template apply to PDF and Word export, not to {what}."
        )


def _export_stix(args: argparse.Namespace) -> int:
    """A STIX 2.1 bundle of the project, or of one briefing, up to ``--max-tlp``."""
    from briefing.io.stix.export import export_stix
    from briefing.model.vocab import Tlp

    _exchange_options(args, "a STIX bundle")
    ceiling = Tlp(args.max_tlp) if args.max_tlp else None
    with open_for_cli(args.file, write=False) as project:
        chosen = resolve_briefing(project, args.briefing).id if args.briefing else None
        summary = export_stix(project, args.output, chosen, ceiling)
    print(f"Exported {summary.total} STIX objects to {args.output}")
    if summary.left_out:
        print(
            f"  left out: {counted_records(summary.left_out)} marked more strictly than "
            f"{ceiling.marking if ceiling else ''}"
        )
    return 0


def _export_misp(args: argparse.Namespace) -> int:
    """One briefing as a MISP event, up to ``--max-tlp``."""
    from briefing.io.stix.misp import export_misp
    from briefing.model.vocab import Tlp
    from briefing.services.pdf_export import sole_briefing

    _exchange_options(args, "a MISP event")
    ceiling = Tlp(args.max_tlp) if args.max_tlp else None
    with open_for_cli(args.file, write=False) as project:
        chosen = resolve_briefing(project, args.briefing).id if args.briefing else None
        summary = export_misp(project, args.output, chosen or sole_briefing(project), ceiling)
    print(
        f"Exported ‘{summary.title}’ as a MISP event with {summary.attributes} attributes "
        f"and {summary.objects} objects to {args.output}"
    )
    if summary.left_out:
        print(
            f"  left out: {counted_records(summary.left_out)} marked more strictly than "
            f"{ceiling.marking if ceiling else ''}"
        )
    return 0


def counted_records(count: int) -> str:
    return f"{count} record" if count == 1 else f"{count} records"


def _export_json(args: argparse.Namespace) -> int:
    from briefing.io.jsondoc import export_json
    from briefing.model.vocab import Tlp

    if args.briefing is not None or args.tlp is not None or args.changes:
        raise BriefingError(
            "--briefing, --tlp and --changes apply to PDF export and Word export; "
            "a JSON export holds the whole project (--max-tlp leaves out stricter records)."
        )
    max_tlp = Tlp(args.max_tlp) if args.max_tlp else None
    with open_for_cli(args.file, write=False) as project:
        counts = export_json(project, args.output, max_tlp)
    upto = f", none marked above {max_tlp.marking}," if max_tlp else ""
    print(f"Exported {sum(counts.values())} records{upto} to {args.output}")
    return 0


def _stoppable(label: str, output: Path, export: Callable[[ProgressCallback], T]) -> T:
    """Run an export under a terminal bar; Ctrl-C before the file is written says it was not.

    The file is written whole at the end (:mod:`briefing.files`), so an export
    stopped while the briefing is read or laid out leaves nothing behind.
    """
    from briefing.terminal import terminal_progress

    written = [False]
    with terminal_progress(label) as bar:

        def progress(stage: str, done: int, total: int) -> None:
            written[0] = done >= total
            if bar is not None:
                bar(stage, done, total)

        try:
            return export(progress)
        except KeyboardInterrupt:
            if written[0]:
                raise
            raise BriefingError(f"Export stopped; {output.name} was not written.") from None


def _export_pdf(args: argparse.Namespace) -> int:
    """One briefing as a PDF, labelled with ``--tlp`` when given, recorded in the project.

    A project another analyst holds is exported read-only, without the record.
    """
    from briefing.model.vocab import Tlp
    from briefing.services.pdf_export import (
        export_briefing,
        remember_organisation,
        remember_timeline_pages,
        sole_briefing,
    )

    project = open_to_record(args.file)
    with project:
        chosen = resolve_briefing(project, args.briefing).id if args.briefing else None
        briefing_id = chosen if chosen is not None else sole_briefing(project)
        label = Tlp(args.tlp) if args.tlp else None
        if args.changes:
            _note_without_changes(project, briefing_id)
        if args.organisation is not None and not project.read_only:
            remember_organisation(project, args.organisation)
        if args.pages is not None and not project.read_only:
            remember_timeline_pages(project, args.pages)
        result = _stoppable(
            "Exporting PDF",
            args.output,
            lambda bar: export_briefing(
                project, briefing_id, args.output, label, changes=args.changes, progress=bar
            ),
        )
    print(f"Exported {result.pages} pages marked {result.label.marking} to {args.output}")
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if project.read_only:
        note = f"{shown(args.file)} is read-only or locked; the export was not recorded in it"
        print(f"note: {note}.", file=sys.stderr)
    return 0


def _export_docx(args: argparse.Namespace) -> int:
    """One briefing as a Word document, in the ``--template`` house style or the project's."""
    from briefing.model.vocab import Tlp
    from briefing.services.docx_export import export_briefing_docx, house_template
    from briefing.services.pdf_export import sole_briefing

    project = open_to_record(args.file)
    with project:
        chosen = resolve_briefing(project, args.briefing).id if args.briefing else None
        briefing_id = chosen if chosen is not None else sole_briefing(project)
        label = Tlp(args.tlp) if args.tlp else None
        template = args.template or house_template(project)
        if args.template is None and template is not None and not template.is_file():
            note = f"the project's template {template} is not on this computer; "
            note += "the clean style is used"
            print(f"note: {note}.", file=sys.stderr)
            template = None
        if args.changes:
            _note_without_changes(project, briefing_id)
        result = _stoppable(
            "Exporting Word",
            args.output,
            lambda bar: export_briefing_docx(
                project, briefing_id, args.output, label, template, args.changes, bar
            ),
        )
    styled = f" in the style of {template.name}" if template else ""
    print(f"Exported a Word document marked {result.label.marking}{styled} to {args.output}")
    if project.read_only:
        note = f"{shown(args.file)} is read-only or locked; the export was not recorded in it"
        print(f"note: {note}.", file=sys.stderr)
    return 0


def cmd_map(args: argparse.Namespace) -> int:
    """A briefing's map of events as PNG, SVG or PDF: the drawing the PDF brief prints."""
    from briefing.export.map_files import TimeRange, parse_day, parse_size, write_map
    from briefing.model.vocab import counted
    from briefing.services.briefing_snapshot import build_snapshot
    from briefing.services.pdf_export import sole_briefing

    span = TimeRange(
        parse_day(args.from_, "--from") if args.from_ else None,
        parse_day(args.to, "--to") if args.to else None,
    )
    size = parse_size(args.size) if args.size else None
    with open_for_cli(args.file, write=False) as project:
        chosen = resolve_briefing(project, args.briefing).id if args.briefing else None
        snapshot = build_snapshot(project, chosen if chosen is not None else sole_briefing(project))
    drawn = write_map(snapshot, args.output, *([size] if size else []), span=span, by=args.colour)
    print(f"Drew {counted('entry', drawn)} on the map in {args.output}")
    return 0


def _note_without_changes(project: Project, briefing_id: int) -> None:
    """--changes on a briefing with no earlier edition: say why the section is missing."""
    from briefing.services.edition_section import changes_section
    from briefing.services.editions import list_editions

    if changes_section(project, briefing_id) is None:
        if list_editions(project, briefing_id):
            note = (
                "the briefing is its first edition, unchanged, so there is no earlier edition to "
                "compare with; the changes section appears once you edit it after that edition"
            )
        else:
            note = (
                "the briefing has no edition yet, so no earlier edition to compare with "
                "and no changes section "
                "('briefing edition FILE --freeze' freezes one)"
            )
        print(f"note: {note}.", file=sys.stderr)


def cmd_import(args: argparse.Namespace) -> int:
    from briefing.io.stix.importer import is_bundle

    suffix = args.input.suffix.lower()
    if is_bundle(args.input):
        return _import_stix(args)
    if suffix == ".json":
        return _import_json(args)
    if suffix == ".csv":
        return _import_csv(args)
    raise BriefingError(f"Cannot import {args.input.name}: import reads .json or .csv.")


def _import_json(args: argparse.Namespace) -> int:
    from briefing.io.jsondoc import import_json
    from briefing.terminal import terminal_progress

    with open_for_cli(args.file, write=True) as project:
        _writable(project)
        with terminal_progress("Importing " + args.input.name) as progress:
            summary = import_json(project, args.input, progress)
    _print_changes(args.input.name, summary)
    return 0


class _Changes(Protocol):
    added: dict[str, int]
    updated: dict[str, int]
    unchanged: dict[str, int]


def _print_changes(name: str, summary: _Changes) -> None:
    """What an import did, as the event imports say it, then the records of each kind.

    A document imported again says its records were all there already, unchanged.
    """
    from briefing.model.vocab import counted

    added, updated = sum(summary.added.values()), sum(summary.updated.values())
    unchanged = sum(summary.unchanged.values())
    print(
        f"Imported {name}: {counted('record', added)} added, {updated} updated, "
        f"{unchanged} unchanged."
    )
    changes = (("added", summary.added), ("updated", summary.updated))
    for label, counts in (*changes, ("unchanged", summary.unchanged)):
        if counts:
            parts = ", ".join(counted(kind, n) for kind, n in counts.items())
            print(f"  {label}: {parts}")


def _import_stix(args: argparse.Namespace) -> int:
    """A STIX 2.1 bundle; objects that map to no record are listed and skipped."""
    from briefing.io.stix.importer import import_stix

    with open_for_cli(args.file, write=True) as project:
        _writable(project)
        summary = import_stix(project, args.input)
    for stix_type, stix_id in summary.skipped:
        print(f"skipped: {stix_type} {stix_id}", file=sys.stderr)
    _print_changes(args.input.name, summary)
    if summary.skipped:
        print(f"  skipped: {len(summary.skipped)} objects that map to no record (listed above)")
    return 0


def _import_csv(args: argparse.Namespace) -> int:
    """ACLED or UCDP GED events (told apart by the header); bad rows are listed by line."""
    from briefing.io.acled import AcledRowsError, run_acled_import
    from briefing.io.ucdp import GedRowsError, run_ucdp_import
    from briefing.io.ucdp_csv import is_ged_file

    run = run_ucdp_import if is_ged_file(args.input) else run_acled_import
    with open_for_cli(args.file, write=True) as project:
        _writable(project)
        try:
            report = run(project, args.input, args.skip_bad_rows)
        except (AcledRowsError, GedRowsError) as error:
            for problem in error.problems:
                print(f"problem: {problem}", file=sys.stderr)
            raise BriefingError(_bad_rows_refused(args.input.name, error)) from None
    for row in report.skipped:
        print(f"skipped: {row}", file=sys.stderr)
    print(report.summary)
    return 0


def _bad_rows_refused(name: str, error: EventRowsError) -> str:
    """The sentence under the bad rows listed one per line: nothing imported, and the way on."""
    listed = len(error.problems)
    if error.count == 1:
        which = "the bad row above"
    elif error.count == listed:
        which = f"the {error.count} bad rows above"
    else:
        which = f"its {error.count} bad rows (the first {listed} above)"
    return (
        f"Nothing was imported from {name} because of {which}; correct "
        f"{'it' if error.count == 1 else 'them'}, or run the import again with --skip-bad-rows "
        "to import the other rows."
    )


def cmd_merge(args: argparse.Namespace) -> int:
    from briefing.services.merge import Resolution, merge_project

    with open_for_cli(args.file, write=not args.dry_run) as project:
        if not args.dry_run:
            _writable(project)
        report = merge_project(project, args.other, Resolution(args.prefer), args.dry_run)
    for outcome in report.conflicts:
        print(f"conflict: {outcome.describe()}")
    for line in report.lines():
        print(line)
    print(report.summary)
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
            _writable(project)
        briefings = summarise(project).briefings
        if args.briefing is None and len(briefings) != 1:
            names = "; ".join(f"[{b.id}] {b.title}" for b in briefings) or "none"
            raise BriefingError(f"Name a briefing with --briefing ID|TITLE (briefings: {names}).")
        briefing = resolve_briefing(project, args.briefing) if args.briefing else briefings[0]
        if args.freeze:
            number = freeze_edition(project, briefing.id).number
            print(f"Froze edition {number} of ‘{briefing.title}’.")
        for edition in list_editions(project, briefing.id):
            when = edition.frozen_at.strftime("%Y-%m-%d %H:%M")
            print(f"edition {edition.number}  {when} UTC  {edition.frozen_by}")
        if not list_editions(project, briefing.id):
            print(f"‘{briefing.title}’ has no editions yet; --freeze makes the first.")
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
        print(f"  {line}")
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

    export = command(
        "export",
        cmd_export,
        "export the project as JSON or a STIX bundle, or a briefing as PDF, Word or a MISP event",
    )
    export.add_argument("file", type=project_argument, help="the project file")
    export.add_argument(
        "-o",
        "--output",
        type=path_argument,
        required=True,
        help="OUT.json, OUT.stix.json, OUT.misp.json, OUT.pdf or OUT.docx",
    )
    export.add_argument(
        "--briefing", metavar="ID|TITLE", help="the briefing to export (PDF, Word, STIX, MISP)"
    )
    export.add_argument(
        "--tlp", type=tlp_label, metavar=TLP_LABELS, help="TLP label for the PDF or Word file"
    )
    export.add_argument(
        "--template",
        type=path_argument,
        metavar="HOUSE.docx",
        help="Word document or template (.dotx) whose styles, page and header the export uses "
        "(default: the project's, else a clean style like the PDF's)",
    )
    export.add_argument(
        "--max-tlp",
        type=tlp_label,
        metavar=TLP_LABELS,
        help="JSON, STIX, MISP: leave out records and briefings stricter than this label",
    )
    export.add_argument(
        "--changes",
        action="store_true",
        help="add a 'Changes since edition N' section after the key judgments",
    )
    export.add_argument(
        "--organisation",
        metavar="NAME",
        help="PDF: the issuing organisation named on the cover, remembered in the project",
    )
    pages = export.add_mutually_exclusive_group()
    for flag, value, words in (
        ("--landscape", "landscape", "landscape pages"),
        ("--portrait", "portrait", "portrait pages"),
        ("--pages-by-length", "auto", "landscape pages only when longer than 12 rows (default)"),
    ):
        pages.add_argument(
            flag,
            dest="pages",
            action="store_const",
            const=value,
            help=f"PDF: timelines on {words}; remembered in the project",
        )

    map_ = command("map", cmd_map, "draw a briefing's timeline entries on a map (PNG, SVG, PDF)")
    map_.add_argument("file", type=project_argument, help="the project file")
    map_.add_argument(
        "-o", "--output", type=path_argument, required=True, help="OUT.png, OUT.svg or OUT.pdf"
    )
    map_.add_argument("--briefing", metavar="ID|TITLE", help="the briefing (if several)")
    map_.add_argument("--from", dest="from_", metavar="DATE", help="first day shown (UTC)")
    map_.add_argument("--to", metavar="DATE", help="last day shown (UTC)")
    map_.add_argument("--size", metavar="WxH", help="pixels for PNG, points otherwise (1200x800)")
    map_.add_argument(
        "--colour", choices=["status", "party"], default="status", help="colour markers by"
    )

    import_ = command(
        "import",
        cmd_import,
        "import a JSON document, a STIX 2.1 bundle, or an ACLED or UCDP GED CSV file",
    )
    import_.add_argument("file", type=project_argument, help="the project file to import into")
    import_.add_argument(
        "input",
        type=path_argument,
        metavar="INPUT",
        help="a JSON document, a STIX 2.1 bundle (IN.stix.json), or an ACLED or UCDP GED "
        "CSV file (told apart by its header)",
    )
    import_.add_argument(
        "--skip-bad-rows", action="store_true", help="CSV: import the good rows, list the bad"
    )

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
        print(f"error: {error}", file=sys.stderr)
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
        reason = getattr(error, "orig", None) or error
        print(f"error: the project file could not be used: {reason}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 1
