from __future__ import annotations

import pytest
from PySide6.QtCore import QDateTime, QTimeZone

from briefing.gui.document import ProjectDocument
from briefing.gui.inspector.forms import FORMS
from briefing.gui.inspector.panel import Inspector
from briefing.model import codec
from briefing.services import records
from briefing.services.demo import uid
from briefing.services.stamps import stamp_of
from briefing.store import open_project


def id_of(project, kind: str, slug: str) -> int:
    with project.engine.connect() as connection:
        return codec.ids_for_uuids(connection, codec.table(kind), [uid(slug)])[uid(slug)]


@pytest.fixture
def inspector(qtbot, demo_project):
    document = ProjectDocument(demo_project)
    panel = Inspector(document)
    document.changed.connect(panel.apply_change)
    qtbot.addWidget(panel)
    panel.resize(420, 800)
    panel.show()
    yield panel
    document.close()


def show(inspector: Inspector, kind: str, slug: str):
    record_id = id_of(inspector.document.project, kind, slug)
    inspector.show_record(kind, record_id)
    return inspector.forms[kind], record_id


def stored(inspector: Inspector, kind: str, record_id: int) -> dict:
    return records.get_record(inspector.document.project, kind, record_id)


def finish_line(form, key: str, text: str) -> None:
    edit = form.field_for(key).edit
    edit.setText(text)
    edit.editingFinished.emit()


@pytest.mark.parametrize(
    ("kind", "slug", "heading"),
    [
        ("entry", "clash", "Clashes on the Armenia–Azerbaijan border"),
        ("statement", "arm-mod-positions", "“lost control of two military positions”"),
        ("relationship", "treaty-1997", "1997 Treaty of Friendship, Cooperation and Mutual "
                                        "Assistance"),
        ("party", "grigoryan", "Armen Grigoryan (Արմեն Գրիգորյան)"),
        ("source", "aldin-footage", "Footage published by the Armenian MoD of the area of the "
                                    "clashes"),
    ],
)  # fmt: skip
def test_each_kind_has_a_form_showing_the_record(inspector, kind, slug, heading) -> None:
    form, _ = show(inspector, kind, slug)
    assert inspector.stack.currentWidget() is form
    assert form.heading.text() == heading
    assert not any(form.field_for(k).is_dirty(form.record) for k in ("tlp", "tags", "notes"))
    for field in form.fields:
        assert not field.is_dirty(form.record), field.keys  # loading changes nothing


def test_a_finished_edit_is_one_undo_step(inspector) -> None:
    form, entry = show(inspector, "entry", "clash")
    finish_line(form, "title", "Border clashes near Jermuk")
    assert stored(inspector, "entry", entry)["title"] == "Border clashes near Jermuk"
    stack = inspector.document.undo_stack
    assert stack.count() == 1
    finish_line(form, "title", "Border clashes near Jermuk")  # unchanged: nothing to save
    assert stack.count() == 1
    stack.undo()
    assert stored(inspector, "entry", entry)["title"] == "Clashes on the Armenia–Azerbaijan border"
    assert form.field_for("title").edit.text() == "Clashes on the Armenia–Azerbaijan border"


@pytest.mark.parametrize(
    ("kind", "slug", "key", "text", "message"),
    [
        ("entry", "clash", "title", "   ", "‘Title’ is empty."),
        ("party", "armenia", "name", "", "‘Name’ is empty."),
        ("party", "armenia", "colour", "red", "‘Colour’ must be # and six hexadecimal digits"),
        ("source", "article", "url", "not a url", "‘Web address’ must start with http://"),
        (
            "relationship",
            "treaty-1997",
            "since",
            "29 Aug 1997",
            "‘Since’ must be a date written YYYY",
        ),
        ("relationship", "treaty-1997", "until", "1990", "‘Until’ is before ‘since’."),
        (
            "statement",
            "arm-mod-positions",
            "language",
            "Armenian!",
            "‘Language’ must be a language tag",
        ),
    ],
)
def test_invalid_input_is_shown_at_the_field_and_not_saved(
    inspector, kind, slug, key, text, message
) -> None:
    form, record_id = show(inspector, kind, slug)
    before = stored(inspector, kind, record_id)
    finish_line(form, key, text)
    assert form.error_text(key).startswith(message)
    assert stored(inspector, kind, record_id) == before
    assert inspector.document.undo_stack.count() == 0


@pytest.mark.parametrize(
    ("latitude", "longitude", "message"),
    [
        ("91", "44.5", "‘Latitude’ must be from −90 to 90 degrees"),
        ("40.1", "", "‘Longitude’ is missing; give both latitude and longitude"),
        ("north", "44.5", "Coordinates are decimal degrees"),
        ("40.1", "-181", "‘Longitude’ must be from −180 to 180 degrees"),
    ],
)
def test_bad_coordinates_are_refused(inspector, latitude, longitude, message) -> None:
    form, entry = show(inspector, "entry", "clash")
    before = stored(inspector, "entry", entry)["latitude"]
    field = form.field_for("latitude")
    field.latitude.setText(latitude)
    field.longitude.setText(longitude)
    field.longitude.editingFinished.emit()
    assert form.error_text("latitude").startswith(message)
    assert stored(inspector, "entry", entry)["latitude"] == before


def test_good_coordinates_are_saved_then_error_clears(inspector) -> None:
    form, entry = show(inspector, "entry", "clash")
    field = form.field_for("latitude")
    field.latitude.setText("95")
    field.latitude.editingFinished.emit()
    assert form.error_text("latitude")
    field.latitude.setText("39,84")
    field.longitude.setText("45.67")
    field.longitude.editingFinished.emit()
    assert form.error_text("latitude") == ""
    saved = stored(inspector, "entry", entry)
    assert (saved["latitude"], saved["longitude"]) == (39.84, 45.67)


def set_wall(edit, text: str) -> None:
    """Type a wall-clock time into a time field's edit."""
    moment = QDateTime.fromString(text, "yyyy-MM-dd HH:mm")
    moment.setTimeZone(QTimeZone.utc())
    edit.setDateTime(moment)


def test_time_is_edited_in_the_reported_zone_and_stored_in_utc(inspector) -> None:
    form, entry = show(inspector, "entry", "clash")
    field = form.field_for("start_utc")
    assert field.start.dateTime().toString("yyyy-MM-dd HH:mm") == "2021-11-16 11:00"
    assert field.start_utc.text().startswith("2021-11-16 07:00 UTC · 160700Z NOV 21")
    set_wall(field.start, "2021-11-16 11:30")
    field.start.editingFinished.emit()
    assert stored(inspector, "entry", entry)["start_utc"] == "2021-11-16T07:30:00Z"
    field.zone.setCurrentText("Europe/Moscow")  # same wall clock, another zone
    field.zone.activated.emit(field.zone.currentIndex())
    saved = stored(inspector, "entry", entry)
    assert (saved["zone"], saved["start_utc"]) == ("Europe/Moscow", "2021-11-16T08:30:00Z")
    assert inspector.document.undo_stack.count() == 2


def test_end_before_start_and_unknown_zone_are_refused(inspector) -> None:
    form, entry = show(inspector, "entry", "clash")
    field = form.field_for("end_utc")
    field.has_end.setChecked(True)  # the end starts at the start: valid, saved
    assert stored(inspector, "entry", entry)["end_utc"] == "2021-11-16T07:00:00Z"
    set_wall(field.end, "2021-11-16 10:00")
    field.end.editingFinished.emit()
    assert form.error_text("end_utc") == "The end is before the start."
    assert stored(inspector, "entry", entry)["end_utc"] == "2021-11-16T07:00:00Z"
    set_wall(field.end, "2021-11-16 12:00")
    field.zone.setCurrentText("Asia/Nowhere")
    field.zone.lineEdit().editingFinished.emit()
    assert "is not a time zone" in form.error_text("zone")
    assert stored(inspector, "entry", entry)["zone"] == "Asia/Baku"


def test_party_roles_and_sources_are_added_and_removed(inspector) -> None:
    form, entry = show(inspector, "entry", "request-russia")
    parties = form.field_for("parties")
    parties.picker.set_uuid(uid("turkey"))
    parties.role.setCurrentIndex(parties.role.findData("involved"))
    parties.add_button.click()
    assert {"party": uid("turkey"), "role": "involved"} in stored(inspector, "entry", entry)[
        "parties"
    ]
    sources = form.field_for("sources")
    aldin = id_of(inspector.document.project, "source", "aldin-advance")
    sources.list.recordsDropped.emit([aldin])  # dragged in from the library
    assert uid("aldin-advance") in stored(inspector, "entry", entry)["sources"]
    sources.list.item(0).setSelected(True)
    sources.remove_button.click()
    assert len(stored(inspector, "entry", entry)["sources"]) == 2
    assert inspector.document.undo_stack.count() == 3


def test_a_party_cannot_become_part_of_its_own_member(inspector) -> None:
    form, armenia = show(inspector, "party", "armenia")
    combo = form.field_for("parent").combo
    combo.set_uuid(uid("arm-mod"))  # the Armenian MoD is part of Armenia
    combo.activated.emit(combo.currentIndex())
    assert form.error_text("parent") == "‘Part of’ makes the party part of one of its own members."
    assert stored(inspector, "party", armenia)["parent"] is None
    combo.set_uuid(uid("russia"))
    combo.activated.emit(combo.currentIndex())
    assert stored(inspector, "party", armenia)["parent"] == uid("russia")


def test_contradicts_links_both_statements(inspector) -> None:
    form, positions = show(inspector, "statement", "arm-mod-positions")
    field = form.field_for("contradicts")
    field.picker.set_uuid(uid("aze-mod-detained"))
    field.add_button.click()
    other = id_of(inspector.document.project, "statement", "aze-mod-detained")
    assert stored(inspector, "statement", positions)["contradicts"] == [uid("aze-mod-detained")]
    assert uid("arm-mod-positions") in stored(inspector, "statement", other)["contradicts"]
    assert field.picker.findData(uid("arm-mod-positions")) == -1  # not itself


def test_choice_fields_save_vocabulary_values(inspector) -> None:
    form, entry = show(inspector, "entry", "clash")
    status = form.field_for("status").combo
    status.setCurrentIndex(status.findData("refuted"))
    status.activated.emit(status.currentIndex())
    credibility = form.field_for("credibility").combo
    credibility.setCurrentIndex(credibility.findData(5))
    credibility.activated.emit(credibility.currentIndex())
    saved = stored(inspector, "entry", entry)
    assert (saved["status"], saved["credibility"]) == ("refuted", 5)
    assert form.field_for("credibility").widget.currentText() == "5 – Improbable"


def test_unknown_party_name_is_refused(inspector) -> None:
    form, statement = show(inspector, "statement", "arm-mod-positions")
    combo = form.field_for("speaker").combo
    combo.setEditText("Nobody at all")
    combo.lineEdit().editingFinished.emit()
    assert "is not a party in this project" in form.error_text("speaker")
    assert stored(inspector, "statement", statement)["speaker"] == uid("arm-mod")


def test_unfinished_typing_is_saved_when_the_selection_moves(inspector) -> None:
    form, entry = show(inspector, "entry", "clash")
    form.field_for("description").edit.setPlainText("Typed, not yet left.")
    show(inspector, "entry", "war-2020")
    assert stored(inspector, "entry", entry)["description"] == "Typed, not yet left."


def test_record_deleted_elsewhere_empties_the_inspector(inspector) -> None:
    form, entry = show(inspector, "entry", "clash")
    inspector.document.run(lambda p: records.delete_records(p, "entry", [entry]))
    assert inspector.current is None
    assert inspector.stack.currentWidget() is inspector.placeholder


def test_read_only_forms_cannot_edit(qtbot, demo_path) -> None:
    project = open_project(demo_path, "Reader", read_only=True)
    document = ProjectDocument(project)
    panel = Inspector(document)
    qtbot.addWidget(panel)
    for kind in FORMS:
        form = panel.form(kind)
        assert form.field_for("tags").edit.isReadOnly()
        assert not form.delete_button.isEnabled()
    document.close()


def test_a_figure_the_program_never_writes_is_shown_without_being_written(inspector) -> None:
    """A claim whose figure is text is shown as it is and kept until the analyst edits it."""
    project = inspector.document.project
    entry = id_of(project, "entry", "clash")
    with project.transaction() as session:
        session.connection().exec_driver_sql(
            "UPDATE casualty_claim SET best = 'many' WHERE entry_id = ? AND position = 0", (entry,)
        )
    form, _ = show(inspector, "entry", "clash")
    claims = form.field_for("claims")
    assert claims.model.index(0, 2).data() == "many"
    assert not claims.is_dirty(form.record)
    form.commit_pending()
    assert stored(inspector, "entry", entry)["claims"][0]["best"] == "many"
    assert claims.model.setData(claims.model.index(0, 2), "3")  # the analyst's own edit
    assert stored(inspector, "entry", entry)["claims"][0]["best"] == 3


def test_an_edit_is_shown_from_the_change_without_reading_the_record_again(
    inspector, monkeypatch
) -> None:
    form, entry = show(inspector, "entry", "clash")
    other = id_of(inspector.document.project, "entry", "war-2020")
    reads: list[int] = []
    record = inspector.document.record
    monkeypatch.setattr(
        inspector.document, "record", lambda kind, i: reads.append(i) or record(kind, i)
    )
    inspector.document.run(lambda p: records.update_record(p, "entry", other, {"title": "Other"}))
    assert reads == [] and form.field_for("title").edit.text() != "Other"
    seen = records.get_record(inspector.document.project, "entry", entry)
    loaded = stamp_of(seen)
    inspector.document.run(
        lambda p: records.update_record(p, "entry", entry, {"title": "Shown"}, loaded=loaded)
    )
    assert reads == []
    assert form.field_for("title").edit.text() == "Shown"
    assert stamp_of(form.record) == stamp_of(stored(inspector, "entry", entry))
    finish_line(form, "title", "Shown again")  # saved under the stamp the change left
    assert stored(inspector, "entry", entry)["title"] == "Shown again"
