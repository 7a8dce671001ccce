"""File ▸ Import Event Data… takes a UCDP GED file as it takes an ACLED export."""

from __future__ import annotations

from pathlib import Path

from test_sharing_gui import Answers, answers, project_of, window  # noqa: F401 - fixtures

from briefing.gui.main_window import MainWindow
from briefing.services import library_rows

GED = Path(__file__).parents[1] / "fixtures" / "ucdp" / "ged.csv"


def test_a_ged_file_is_imported_with_its_claims(
    window: MainWindow,  # noqa: F811 - fixtures
    answers: Answers,  # noqa: F811 - fixtures
) -> None:
    answers.path = GED
    window.sharing.import_action.trigger()
    [(summary, detail)] = answers.seen["report"]
    assert "cannot be undone" in detail and summary
    project = project_of(window)
    with project.engine.connect() as connection:
        ids = (
            connection.exec_driver_sql(
                "SELECT id FROM timeline_entry WHERE external_id IS NOT NULL"
            )
            .scalars()
            .all()
        )
        rows = library_rows.fetch_rows(connection, "entry", ids)
    assert len(ids) == 3
    assert any(row.cells[5] for row in rows.values())  # the deaths per side, as claims
