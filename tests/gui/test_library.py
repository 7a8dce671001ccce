from __future__ import annotations

import json
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from briefing.gui.document import ProjectDocument
from briefing.gui.library import model as library_model
from briefing.gui.library.filter_bar import FilterBar
from briefing.gui.library.mime import MIME_TYPE, decode_records
from briefing.gui.library.model import LibraryModel
from briefing.gui.library.view import LibraryPane
from briefing.model import codec
from briefing.services import library_query as query
from briefing.services import library_rows as rows_
from briefing.services import records
from briefing.services.demo import uid
from briefing.services.library_query import ListFilter


def ids_of(project, kind: str, slugs: list[str]) -> list[int]:
    with project.engine.connect() as connection:
        found = codec.ids_for_uuids(connection, codec.table(kind), [uid(s) for s in slugs])
    return [found[uid(s)] for s in slugs]


def ordered(project, kind: str, chosen: ListFilter, sort: str | None = None, desc=False):
    with project.engine.connect() as connection:
        return query.ordered_ids(connection, kind, chosen, sort, desc)


# ---------------------------------------------------------------------------- SQL


@pytest.mark.parametrize(
    ("kind", "chosen", "expected"),
    [
        ("entry", ListFilter(text="videos captured"), ["captives-videos"]),
        ("entry", ListFilter(status="disputed"), ["clash"]),
        ("entry", ListFilter(tag="2020 war"), ["war-2020"]),
        ("entry", ListFilter(text="Grigoryan"), []),
        (
            "entry",
            ListFilter(date_from=date(2021, 11, 16), date_to=date(2021, 11, 16)),
            ["clash", "captives-videos", "request-russia"],
        ),
        ("entry", ListFilter(date_to=date(2020, 12, 31)), ["war-2020", "ceasefire-2020"]),
        ("statement", ListFilter(status="request"), ["grigoryan-request"]),
        ("statement", ListFilter(text="provocation"), ["aze-mod-provocation"]),
        ("relationship", ListFilter(status="alleged"), ["syrian-mercenaries"]),
        ("source", ListFilter(status="F"), ["aldin-footage", "aldin-advance"]),
        ("party", ListFilter(text="Արմեն"), ["grigoryan"]),
        ("entry", ListFilter(tlp="RED"), []),
    ],
)
def test_filters_select_in_sql(demo_project, kind, chosen, expected) -> None:
    found = ordered(demo_project, kind, chosen)
    assert sorted(found) == sorted(ids_of(demo_project, kind, expected))


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        # Armenia and its members: its forces, ministry and officials.
        ("entry", ["war-2020", "ceasefire-2020", "clash", "captives-videos", "request-russia"]),
        ("statement", ["arm-mod-attack", "arm-mod-positions", "arm-mod-casualties",
                       "grigoryan-request"]),
        ("relationship", ["treaty-1997", "base-gyumri", "karabakh-rivalry"]),
        ("party", ["armenia", "arm-mod", "arm-forces", "grigoryan"]),
    ],
)  # fmt: skip
def test_party_filter_includes_the_partys_members(demo_project, kind, expected) -> None:
    armenia = ids_of(demo_project, "party", ["armenia"])[0]
    found = ordered(demo_project, kind, ListFilter(party_id=armenia))
    assert sorted(found) == sorted(ids_of(demo_project, kind, expected))


@pytest.mark.parametrize(
    ("kind", "key"), [(k, c.key) for k in query.LIST_KINDS for c in query.COLUMNS[k]]
)
def test_every_column_sorts_both_ways(demo_project, kind, key) -> None:
    up = ordered(demo_project, kind, ListFilter(), key)
    down = ordered(demo_project, kind, ListFilter(), key, desc=True)
    assert sorted(up) == sorted(down) == sorted(ordered(demo_project, kind, ListFilter()))
    assert down == up[::-1]  # ties are broken by id, in the same direction


def test_sorting_by_title_is_alphabetical(demo_project) -> None:
    found = ordered(demo_project, "entry", ListFilter(), "title")
    with demo_project.engine.connect() as connection:
        rows = rows_.fetch_rows(connection, "entry", found)
    titles = [rows[i].cells[2] for i in found]
    assert titles == sorted(titles, key=str.casefold)


def test_entry_row_shows_local_utc_grade_and_casualties(demo_project) -> None:
    clash = ids_of(demo_project, "entry", ["clash"])[0]
    with demo_project.engine.connect() as connection:
        row = rows_.fetch_rows(connection, "entry", [clash])[clash]
    local, utc, title, place, parties, casualties, status, grade, tlp = row.cells
    assert (local, utc) == ("2021-11-16 11:00 +04", "2021-11-16 07:00Z")
    assert row.tips[1] == "160700Z NOV 21"
    assert parties == "Armenian forces, Azerbaijani forces"
    assert (casualties, status, grade, tlp) == ("Armenia ? k, 4 w, ? c", "disputed", "B3", "CLEAR")
    assert "k killed" in row.tips[5]


def claim(side: str, best: int, claimant: str) -> dict:
    return {"side": "party", "party": uid(side), "category": "killed", "best": best,
            "claimant": uid(claimant)}  # fmt: skip


def test_each_side_has_its_claims_and_claimants_are_never_added(demo_project) -> None:
    clash, videos = ids_of(demo_project, "entry", ["clash", "captives-videos"])
    claims = [claim("armenia", 49, "arm-mod"), claim("azerbaijan", 50, "aze-mod"),
              claim("azerbaijan", 200, "arm-mod")]  # fmt: skip
    records.update_record(demo_project, "entry", clash, {"claims": claims})
    with demo_project.engine.connect() as connection:
        row = rows_.fetch_rows(connection, "entry", [clash, videos])
    assert row[clash].cells[5] == "Armenia 49 k · Azerbaijan 50/200 k"
    assert row[videos].cells[5] == "Armenia ≤12 c"
    by_size = ordered(demo_project, "entry", ListFilter(), "casualties", desc=True)
    assert by_size[0] == clash


@pytest.mark.parametrize(
    ("precision", "local", "utc"),
    [
        ("minute", "2021-11-16 11:00 +04", "2021-11-16 07:00Z"),
        ("hour", "2021-11-16 11h +04", "2021-11-16 07hZ"),
        ("day", "2021-11-16", "2021-11-16"),
        ("month", "2021-11", "2021-11"),
    ],
)
def test_times_are_rounded_to_their_precision(precision, local, utc) -> None:
    stored = "2021-11-16T07:00:00.000000Z"
    assert rows_.local_text(stored, "Asia/Baku", precision) == local
    assert rows_.utc_text(stored, precision) == utc


def test_half_hour_zone_and_unknown_zone() -> None:
    stored = "2021-11-16T07:00:00.000000Z"
    assert rows_.local_text(stored, "Asia/Kolkata", "minute") == "2021-11-16 12:30 +05:30"
    assert rows_.local_text(stored, "Mars/Olympus", "minute") == "2021-11-16 07:00 +00"


@pytest.mark.parametrize(
    ("packed", "shown"),
    [
        ("initiator:A|target:B|involved:C", "A → B; C"),
        ("initiator:Russia|involved:Armenia", "Russia (initiator); Armenia"),
        ("target:B", "B (target)"),
        (None, ""),
    ],
)
def test_parties_read_initiator_to_target(packed, shown) -> None:
    assert rows_._parties_text(packed) == shown


# ---------------------------------------------------------------------------- models


@pytest.mark.parametrize("kind", query.LIST_KINDS)
def test_models_pass_the_model_tester(qtmodeltester, demo_project, kind) -> None:
    document = ProjectDocument(demo_project)
    model = LibraryModel(document, kind)
    qtmodeltester.check(model, force_py=True)
    model.set_filter(ListFilter(text="Armenia"))
    model.sort(2, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model, force_py=True)
    document.close()


@pytest.fixture
def big_project(demo_project):
    """The demo project plus 1,000 generated timeline entries."""
    rows = [
        {"title": f"Shelling report {n}", "start_utc": f"2022-01-{1 + n % 28:02d}T10:00:00Z",
         "zone": "Asia/Baku", "status": "reported" if n % 2 else "unconfirmed"}
        for n in range(1000)
    ]  # fmt: skip
    with demo_project.transaction() as session:
        codec.load(session.connection(), {"entry": rows})
    return demo_project


def test_rows_are_fetched_a_page_at_a_time(big_project) -> None:
    document = ProjectDocument(big_project)
    model = LibraryModel(document, "entry")
    assert model.rowCount() == model.first_rows  # the rest comes when idle
    model.finish_loading()
    assert model.rowCount() == 1005
    assert model.pages_fetched == 0
    assert model.data(model.index(500, 2)).startswith("Shelling report")
    assert model.pages_fetched == 1
    page = library_model.PAGE_SIZE
    for row in range(500 - page // 4, 500 + page - page // 4):
        model.data(model.index(row, 2))
    assert model.pages_fetched == 1  # the same page
    assert len(model._cache) <= library_model.PAGE_SIZE
    document.close()


def test_the_rest_of_a_long_list_is_appended_when_idle(qtbot, qtmodeltester, big_project) -> None:
    document = ProjectDocument(big_project)
    model = LibraryModel(document, "entry")
    inserted = []
    model.rowsInserted.connect(lambda parent, first, last: inserted.append((first, last)))
    first_rows = [model.record_id(row) for row in range(model.rowCount())]
    with qtbot.waitSignal(model.loaded):
        pass
    assert inserted == [(model.first_rows, 1004)]
    assert model.ids()[: model.first_rows] == first_rows
    model.set_filter(ListFilter(status="unconfirmed"))
    qtmodeltester.check(model, force_py=True)  # which fetches more, as a view scrolled down would
    qtbot.waitUntil(lambda: not model.is_loading)
    assert model.rowCount() == 500 + 1  # and the demo's unconfirmed videos
    document.close()


def test_cache_stays_bounded(big_project, monkeypatch) -> None:
    monkeypatch.setattr(library_model, "CACHE_LIMIT", 300)
    document = ProjectDocument(big_project)
    model = LibraryModel(document, "entry")
    for row in range(0, 1005, 50):
        model.data(model.index(row, 0))
    assert len(model._cache) <= 300
    document.close()


def watch(model: LibraryModel) -> dict[str, list]:
    seen: dict[str, list] = {"reset": [], "changed": []}
    model.modelReset.connect(lambda: seen["reset"].append(True))
    model.dataChanged.connect(lambda a, b: seen["changed"].append((a.row(), b.row())))
    return seen


def test_an_edit_refreshes_only_its_row(demo_project) -> None:
    document = ProjectDocument(demo_project)
    model = LibraryModel(document, "entry")
    clash = ids_of(demo_project, "entry", ["clash"])[0]
    row = model.row_of(clash)
    model.data(model.index(row, 2))
    seen = watch(model)
    model.apply_change(records.update_record(demo_project, "entry", clash, {"title": "Renamed"}))
    assert seen == {"reset": [], "changed": [(row, row)]}
    assert model.data(model.index(row, 2)) == "Renamed"
    document.close()


@pytest.mark.parametrize(
    ("chosen", "values", "requeried"),
    [
        (ListFilter(), {"place": "Jermuk"}, False),
        (ListFilter(), {"start_utc": "2019-01-01T00:00:00Z"}, True),  # the sort key
        (ListFilter(status="disputed"), {"status": "confirmed"}, True),
        (ListFilter(status="disputed"), {"place": "Jermuk"}, False),
        (ListFilter(text="border"), {"place": "Jermuk"}, True),  # the text may match no more
    ],
)
def test_ids_are_queried_again_only_when_order_or_membership_can_change(
    demo_project, chosen, values, requeried
) -> None:
    document = ProjectDocument(demo_project)
    model = LibraryModel(document, "entry")
    model.set_filter(chosen)
    clash = ids_of(demo_project, "entry", ["clash"])[0]
    seen = watch(model)
    model.apply_change(records.update_record(demo_project, "entry", clash, values))
    assert bool(seen["reset"]) is requeried
    document.close()


def test_filtered_out_record_leaves_and_created_record_joins(demo_project) -> None:
    document = ProjectDocument(demo_project)
    model = LibraryModel(document, "entry")
    model.set_filter(ListFilter(status="disputed"))
    clash = ids_of(demo_project, "entry", ["clash"])[0]
    assert model.ids() == [clash]
    document.changed.connect(model.apply_change)
    document.run(lambda p: records.update_record(p, "entry", clash, {"status": "confirmed"}))
    assert model.ids() == []
    document.undo_stack.undo()
    assert model.ids() == [clash]
    document.undo_stack.redo()
    assert model.ids() == []
    change = document.run(
        lambda p: records.create_record(
            p, "entry", {"title": "New", "start_utc": "2021-11-17T00:00:00Z", "status": "disputed"}
        )
    )
    assert model.ids() == [change.ids["entry"][0]]
    document.undo_stack.undo()
    assert model.ids() == []
    document.close()


def test_renaming_a_party_refreshes_the_entries_showing_it(demo_project) -> None:
    document = ProjectDocument(demo_project)
    model = LibraryModel(document, "entry")
    clash = ids_of(demo_project, "entry", ["clash"])[0]
    row = model.row_of(clash)
    forces = ids_of(demo_project, "party", ["arm-forces"])[0]
    model.apply_change(
        records.update_record(demo_project, "party", forces, {"short_name": "Armenian army"})
    )
    assert "Armenian army" in model.data(model.index(row, 4))
    document.close()


def test_rows_drag_out_as_records(demo_project) -> None:
    document = ProjectDocument(demo_project)
    model = LibraryModel(document, "statement")
    indexes = [model.index(0, 0), model.index(0, 3), model.index(2, 1)]
    data = model.mimeData(indexes)
    payload = json.loads(bytes(data.data(MIME_TYPE).data()))
    assert payload == [
        {"kind": "statement", "id": model.record_id(0)},
        {"kind": "statement", "id": model.record_id(2)},
    ]
    assert decode_records(data) == [("statement", model.record_id(r)) for r in (0, 2)]
    assert model.flags(indexes[0]) & Qt.ItemFlag.ItemIsDragEnabled
    document.close()


# ---------------------------------------------------------------------------- widgets


def test_typing_in_the_search_box_narrows_the_list(qtbot, demo_project) -> None:
    document = ProjectDocument(demo_project)
    pane = LibraryPane(document, "entry")
    qtbot.addWidget(pane)
    assert pane.model.rowCount() == 5
    qtbot.keyClicks(pane.filter_bar.search, "brokered")
    qtbot.waitUntil(lambda: pane.model.rowCount() == 1)
    assert "1 of 5" in pane.count_label.text()
    pane.filter_bar.clear()
    assert pane.model.rowCount() == 5
    document.close()


def test_status_filter_and_clear(qtbot, demo_project) -> None:
    document = ProjectDocument(demo_project)
    bar = FilterBar(document, "entry")
    qtbot.addWidget(bar)
    with qtbot.waitSignal(bar.filterChanged) as signal:
        bar.status.setCurrentIndex(bar.status.findData("unconfirmed"))
        bar.status.activated.emit(bar.status.currentIndex())
    assert signal.args[0] == ListFilter(status="unconfirmed")
    bar.party.refill()
    names = [bar.party.itemText(i) for i in range(1, 6)]
    assert names == ["Aldin (@aldin_ww)", "Armenia", "Azerbaijan", "Russia", "Turkey"]
    bar.tag.refill()
    assert "artillery" in [bar.tag.itemText(i) for i in range(bar.tag.count())]
    with qtbot.waitSignal(bar.filterChanged) as signal:
        bar.clear()
    assert signal.args[0].is_empty
    document.close()


def test_selection_survives_a_requery(qtbot, demo_project) -> None:
    document = ProjectDocument(demo_project)
    pane = LibraryPane(document, "entry")
    qtbot.addWidget(pane)
    clash = ids_of(demo_project, "entry", ["clash"])[0]
    assert pane.select_record(clash)
    pane.model.sort(2, Qt.SortOrder.AscendingOrder)
    assert pane.current_id() == clash
    assert pane.selected_ids() == [clash]
    document.close()


def test_selection_beyond_the_first_rows_is_kept_while_the_rest_loads(qtbot, big_project) -> None:
    document = ProjectDocument(big_project)
    pane = LibraryPane(document, "entry")
    qtbot.addWidget(pane)
    far = pane.model.ids()[900]
    pane.select_record(far)
    announced = []
    pane.currentRecordChanged.connect(lambda kind, record_id: announced.append(record_id))
    pane.filter_bar.search.setText("Shelling")
    qtbot.waitUntil(lambda: pane.model.list_filter.text == "Shelling")
    qtbot.waitUntil(lambda: not pane.model.is_loading)
    assert pane.current_id() == far
    assert announced == []  # the same record all along: the inspector is left alone
    assert pane.count_label.text() == "1,000 of 1,005 timeline entries match the filters"
    document.close()


def test_an_unset_date_filter_opens_its_calendar_near_the_records(qtbot, demo_project) -> None:
    document = ProjectDocument(demo_project)
    bar = FilterBar(document, "entry")
    qtbot.addWidget(bar)
    bar.show()
    with demo_project.engine.connect() as connection:
        first, last = (
            date.fromisoformat(day[:10])
            for day in connection.exec_driver_sql(
                "SELECT min(start_utc), max(start_utc) FROM timeline_entry"
            ).one()
        )
    for edit, near in ((bar.date_from, first), (bar.date_to, last)):
        qtbot.mouseClick(edit.button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(edit.calendar.isVisible)
        shown = (edit.calendar.yearShown(), edit.calendar.monthShown())
        assert shown == (near.year, near.month)
        QTest.keyClick(edit.calendar, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda e=edit: not e.calendar.isVisible())
    assert bar.current_filter().date_from is None
    document.close()


def test_dates_are_typed_into_the_filters(qtbot, demo_project) -> None:
    document = ProjectDocument(demo_project)
    bar = FilterBar(document, "entry")
    qtbot.addWidget(bar)
    bar.show()
    bar.activateWindow()
    qtbot.waitUntil(bar.isActiveWindow)
    announced = []
    bar.filterChanged.connect(announced.append)
    bar.date_from.edit.setFocus()
    qtbot.waitUntil(bar.date_from.edit.hasFocus)
    QTest.keyClicks(bar.date_from.edit, "16 Nov 2021")
    QTest.keyClick(bar.date_from.edit, Qt.Key.Key_Tab)
    QTest.keyClicks(bar.date_to.edit, "2021-11")
    QTest.keyClick(bar.date_to.edit, Qt.Key.Key_Return)
    assert bar.current_filter().date_from == date(2021, 11, 16)
    assert bar.current_filter().date_to == date(2021, 11, 30)  # a month ends on its last day
    assert bar.date_from.edit.text() == "2021-11-16"
    assert len(announced) == 2
    QTest.keyClick(bar.date_to.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(bar.date_to.edit, "next Tuesday")
    QTest.keyClick(bar.date_to.edit, Qt.Key.Key_Return)
    assert "is not a date" in bar.date_to.problem()
    assert bar.current_filter().date_to == date(2021, 11, 30)  # the last good date stays
    assert len(announced) == 2
    QTest.keyClick(bar.date_to.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(bar.date_to.edit, Qt.Key.Key_Delete)
    assert bar.current_filter().date_to is None and bar.date_to.problem() == ""
    QTest.keyClick(bar.date_to.edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(bar.date_to.calendar.isVisible)
    assert bar.date_to.calendar.monthShown() == 11  # near the other end's date
    QTest.keyClick(bar.date_to.calendar.focusProxy() or bar.date_to.calendar, Qt.Key.Key_Return)
    assert bar.current_filter().date_to == date(2021, 11, 16)
    document.close()


def test_a_list_queried_again_lets_its_old_ids_go_once_idle(big_project, qtbot) -> None:
    """Dropping a long list's ids costs time: it waits for a pause, then nothing holds them."""
    import sys

    document = ProjectDocument(big_project)
    model = LibraryModel(document, "entry")
    model.finish_loading()
    old = model._ids
    held = sys.getrefcount(old)
    model.set_filter(ListFilter(text="Shelling"))
    assert sys.getrefcount(old) == held  # the model keeps them until the window is idle
    qtbot.waitUntil(lambda: sys.getrefcount(old) == held - 1)
    assert model.rowCount() > 0
    document.close()


def test_a_search_fetches_the_rows_the_list_shows_and_no_more(qtbot, big_project) -> None:
    document = ProjectDocument(big_project)
    pane = LibraryPane(document, "entry")
    qtbot.addWidget(pane)
    pane.resize(600, 500)
    pane.show()
    qtbot.waitExposed(pane)
    qtbot.keyClicks(pane.filter_bar.search, "Shelling")
    qtbot.waitUntil(lambda: pane.model.list_filter.text == "Shelling")
    shown = pane.table.viewport().height() // pane.table.verticalHeader().defaultSectionSize()
    assert shown + 1 <= pane.model.page_size <= shown + 3
    pane.table.viewport().grab()  # paint, as the screen would
    assert pane.model.pages_fetched >= 1
    assert pane.model.page_size <= len(pane.model._cache) < library_model.PAGE_SIZE
    assert pane.model.data(pane.model.index(0, 2)).startswith("Shelling report")
    document.close()


def test_the_count_is_taken_again_only_when_records_come_or_go(
    qtbot, demo_store, monkeypatch
) -> None:
    counted_kinds: list[str] = []
    count_all = query.count_all

    def counting(connection, kind: str) -> int:
        counted_kinds.append(kind)
        return count_all(connection, kind)

    monkeypatch.setattr(query, "count_all", counting)
    document = ProjectDocument(demo_store)
    pane = LibraryPane(document, "entry")
    qtbot.addWidget(pane)
    document.changed.connect(pane.apply_change)
    assert pane.count_label.text() == "5 timeline entries"
    clash = ids_of(demo_store, "entry", ["clash"])[0]
    counted_kinds.clear()
    document.run(lambda p: records.update_record(p, "entry", clash, {"title": "Renamed"}))
    assert counted_kinds == []  # the same records: the count stands
    assert pane.count_label.text() == "5 timeline entries"
    document.undo_stack.undo()
    assert pane.count_label.text() == "5 timeline entries"
    new = {"title": "New", "start_utc": "2021-11-17T00:00:00Z", "status": "disputed"}
    assert document.run(lambda p: records.create_record(p, "entry", new)) is not None
    assert pane.count_label.text() == "6 timeline entries"
    document.undo_stack.undo()
    assert pane.count_label.text() == "5 timeline entries"
    document.run(lambda p: records.delete_records(p, "entry", [clash]))
    assert pane.count_label.text() == "4 timeline entries"
    document.undo_stack.undo()  # the deleted entry comes back
    assert pane.count_label.text() == "5 timeline entries"
    with demo_store.transaction() as session:  # as another program would, unannounced
        records.codec.load(session.connection(), {"entry": [{**new, "title": "Elsewhere"}]})
    pane.reload()
    assert pane.count_label.text() == "6 timeline entries"
    document.close()
