"""On a team server, a record marked more strictly after the export's read is not written stale."""

from __future__ import annotations

from pathlib import Path

from test_team_markings import desk  # noqa: F401

from briefing.export.cancel import run_to_end
from briefing.services import briefings, records
from briefing.services.pdf_export import ExportJob, current_job, job_steps, relabelled_since
from briefing.store import open_project

WORD = "Harrowgate"
"""A word only the relabelled entry holds."""


def _texts(job: ExportJob) -> str:
    return " ".join(e.title + " " + e.description for e in job.snapshot.timeline())


def test_a_record_relabelled_red_after_the_read_is_read_again(desk, tmp_path: Path) -> None:  # noqa: F811
    with open_project(desk["admin"], "postgres") as admin:
        entry = records.create_record(
            admin,
            "entry",
            {"title": f"{WORD} convoy", "start_utc": "2021-11-17T05:00:00Z", "tlp": "AMBER"},
        ).after["entry"][0]
        briefings.add_items(admin, desk["briefing"], [("entry", entry["_id"])])
        records.update_record(admin, "briefing", desk["briefing"], {"tlp": "AMBER"})
    target = tmp_path / "brief.pdf"
    with open_project(desk["AMBER"], "amber") as amber:
        job = run_to_end(job_steps(amber, desk["briefing"], target))
        assert WORD in _texts(job) and not relabelled_since(amber, job)
        with open_project(desk["admin"], "postgres") as admin:  # a colleague, meanwhile
            records.update_record(admin, "entry", entry["_id"], {"tlp": "RED"})
        assert relabelled_since(amber, job)  # gone from what this analyst may read
        again = run_to_end(current_job(amber, job))
        assert WORD not in _texts(again) and again.path == target
