"""The cheap look-up an export makes just before writing a read made earlier."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from briefing.export.cancel import run_to_end
from briefing.model import TimelineEntry
from briefing.services import records
from briefing.services.pdf_export import ExportJob, current_job, job_steps, relabelled_since
from briefing.store.project import open_project


def _read(project) -> ExportJob:
    return run_to_end(job_steps(project, 1, Path("out.pdf")))


def test_an_unchanged_read_is_written_as_it_is(demo_project) -> None:
    job = _read(demo_project)
    assert all(m.uuid for m in job.snapshot.included)
    assert not relabelled_since(demo_project, job) and current_job(demo_project, job) is job


def test_a_looser_label_needs_no_new_read(demo_project) -> None:
    job = _read(demo_project)
    records.update_record(demo_project, "statement", 1, {"tlp": "CLEAR"})
    assert not relabelled_since(demo_project, job)


def test_a_stricter_label_from_another_connection_reads_again(demo_project, demo_path) -> None:
    job = _read(demo_project)
    with open_project(demo_path, "Colleague") as other:
        records.update_record(other, "statement", 1, {"tlp": "RED"})
    assert relabelled_since(demo_project, job)
    again = run_to_end(current_job(demo_project, job))
    assert isinstance(again, ExportJob) and again.path == job.path
    assert "TLP:RED" in {m.tlp.marking for m in again.snapshot.included}


def test_a_stricter_briefing_or_a_deleted_record_reads_again(demo_project) -> None:
    job = _read(demo_project)
    records.update_record(demo_project, "briefing", 1, {"tlp": "RED"})
    assert relabelled_since(demo_project, job)
    job = _read(demo_project)
    entry = next(m for m in job.snapshot.included if m.kind == "timeline entry")
    with demo_project.session() as session:
        entry_id = session.scalar(select(TimelineEntry.id).where(TimelineEntry.uuid == entry.uuid))
    records.delete_records(demo_project, "entry", [entry_id])
    assert relabelled_since(demo_project, job)
