"""``briefing export`` and ``briefing map``: a project or a briefing written to another format."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from briefing.cli_common import (
    TLP_LABELS,
    Command,
    counted_records,
    open_for_cli,
    open_to_record,
    path_argument,
    project_argument,
    resolve_briefing,
    shown,
    tlp_label,
)
from briefing.errors import BriefingError

if TYPE_CHECKING:
    from pathlib import Path

    from briefing.store.project import Project
    from briefing.terminal import ProgressCallback

T = TypeVar("T")


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
    _print_left_out(summary.left_out, ceiling)
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
    _print_left_out(summary.left_out, ceiling)
    return 0


def _print_left_out(left_out: Any, ceiling: Any) -> None:
    """The line naming what a ``--max-tlp`` ceiling kept out of an exchange file."""
    if left_out:
        marking = ceiling.marking if ceiling else ""
        print(f"  left out: {counted_records(left_out)} marked more strictly than {marking}")


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


def add_export_commands(command: Command) -> None:
    """Export and map."""
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
