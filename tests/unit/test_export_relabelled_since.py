"""The cheap look-up an export makes just before writing a read made earlier."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from briefing.export.cancel import run_to_end
from briefing.model import TimelineEntry
from briefing.model.vocab import Tlp
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


def _remove_an_item(project) -> tuple[str, int, str]:
    """Edition 1, then an item taken out: its record is named only by the changes section."""
    from briefing.services.editions import freeze_edition

    freeze_edition(project, 1)
    body = records.get_record(project, "briefing", 1)
    item = body["sections"][0]["items"].pop(1)
    records.update_record(project, "briefing", 1, {"sections": body["sections"]})
    with project.engine.connect() as connection:
        record_id = records.id_of(connection, item["kind"], item["ref"])
    assert record_id is not None
    return item["kind"], record_id, item["ref"]


def test_a_record_named_only_by_the_changes_section_is_looked_up_again(
    demo_project, demo_path
) -> None:
    kind, record_id, uuid = _remove_an_item(demo_project)
    job = run_to_end(job_steps(demo_project, 1, Path("out.pdf"), changes=True))
    assert job.snapshot.changes is not None and (kind, uuid) in job.snapshot.changes.records
    assert uuid not in {m.uuid for m in job.snapshot.included}
    assert not relabelled_since(demo_project, job)
    with open_project(demo_path, "Colleague") as other:
        records.update_record(other, kind, record_id, {"tlp": "RED"})
    assert relabelled_since(demo_project, job)
    again = run_to_end(current_job(demo_project, job))
    assert isinstance(again, ExportJob) and again.snapshot.changes is not None
    assert (kind, uuid) not in again.snapshot.changes.records
    assert again.snapshot.changes.withheld and not job.snapshot.changes.withheld


def test_a_changes_record_marked_within_the_label_needs_no_new_read(demo_project) -> None:
    kind, record_id, _ = _remove_an_item(demo_project)
    job = run_to_end(job_steps(demo_project, 1, Path("out.pdf"), Tlp.AMBER, changes=True))
    records.update_record(demo_project, kind, record_id, {"tlp": "AMBER"})
    assert not relabelled_since(demo_project, job)
    records.update_record(demo_project, kind, record_id, {"tlp": "AMBER+STRICT"})
    assert relabelled_since(demo_project, job)


def test_a_party_named_only_in_a_frozen_change_is_looked_up_again(demo_project, demo_path) -> None:
    """Edition 1 quotes a statement by a party the brief no longer names: the changes
    section shows that party's name ("speaker: old → new"), so its label is looked up too."""
    from briefing.services.editions import freeze_edition

    body = records.get_record(demo_project, "briefing", 1)
    item = next(i for s in body["sections"] for i in s["items"] if i["kind"] == "statement")
    with demo_project.engine.connect() as connection:
        statement_id = records.id_of(connection, "statement", item["ref"])
    made = records.create_record(
        demo_project, "party", {"name": "Kalbajar Watch", "kind": "organisation"}
    )
    speaker_uuid, speaker_id = made.created_uuids[0], made.ids["party"][0]
    records.update_record(demo_project, "statement", statement_id, {"speaker": speaker_uuid})
    freeze_edition(demo_project, 1)
    records.update_record(demo_project, "statement", statement_id, {"speaker": None})
    job = run_to_end(job_steps(demo_project, 1, Path("out.pdf"), Tlp.GREEN, changes=True))
    assert job.snapshot.changes is not None and job.snapshot.changes.changed
    assert ("party", speaker_uuid) in job.snapshot.changes.records
    assert speaker_uuid not in {m.uuid for m in job.snapshot.included}
    assert not relabelled_since(demo_project, job)
    with open_project(demo_path, "Colleague") as other:
        records.update_record(other, "party", speaker_id, {"tlp": "RED"})
    assert relabelled_since(demo_project, job)
    again = run_to_end(current_job(demo_project, job))
    assert isinstance(again, ExportJob) and again.snapshot.changes is not None
    assert ("party", speaker_uuid) not in again.snapshot.changes.records
