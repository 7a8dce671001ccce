"""``briefing import``: a JSON document, a STIX bundle, or an ACLED or UCDP GED CSV file."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from briefing.cli_common import (
    Command,
    open_for_cli,
    path_argument,
    project_argument,
    writable,
)
from briefing.errors import BriefingError

if TYPE_CHECKING:
    from briefing.io.event_import import EventRowsError
    from briefing.io.import_summary import RecordChanges


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
        writable(project)
        with terminal_progress("Importing " + args.input.name) as progress:
            summary = import_json(project, args.input, progress)
    _print_changes(args.input.name, summary)
    return 0


def _print_changes(name: str, changes: RecordChanges) -> None:
    from briefing.io.import_summary import summary_lines

    print("\n".join(summary_lines(name, changes)))


def _import_stix(args: argparse.Namespace) -> int:
    """A STIX 2.1 bundle; objects that map to no record are listed and skipped."""
    from briefing.io.stix.importer import import_stix

    with open_for_cli(args.file, write=True) as project:
        writable(project)
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
        writable(project)
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


def add_import_commands(command: Command) -> None:
    """Import."""
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
