"""A long list fills from a worker thread, a chunk per turn, its count growing as it does."""

from __future__ import annotations

import threading

import pytest

from briefing.gui.document import ProjectDocument
from briefing.gui.library import model as library_model
from briefing.gui.library.model import LibraryModel
from briefing.gui.library.view import LibraryPane
from briefing.model import codec
from briefing.services import library_query as query
from briefing.services.library_query import ListFilter

ENTRIES = 1000


def add_reports(project, count: int) -> None:
    """``count`` entries "Shelling report N" in Sotk, one in 500 in Jermuk."""
    rows = [
        {"title": f"Shelling report {n}", "start_utc": f"2022-01-{1 + n % 28:02d}T10:00:00Z",
         "zone": "Asia/Baku", "status": "reported" if n % 2 else "unconfirmed",
         "place": "Jermuk" if n % 500 == 7 else "Sotk"}
        for n in range(count)
    ]  # fmt: skip
    with project.transaction() as session:
        codec.load(session.connection(), {"entry": rows})


@pytest.fixture
def big_project(demo_project):
    add_reports(demo_project, ENTRIES)
    return demo_project


@pytest.fixture
def small_chunks(monkeypatch) -> None:
    monkeypatch.setattr(library_model, "FILL_CHUNK", 150)


def test_the_rest_is_queried_off_the_window_thread_and_appended_in_chunks(
    qtbot, qtmodeltester, big_project, small_chunks, monkeypatch
) -> None:
    threads: list[str] = []
    real = query.ordered_ids_of

    def noted(*args, **kwargs):
        threads.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(query, "ordered_ids_of", noted)
    document = ProjectDocument(big_project)
    model = LibraryModel(document, "entry")
    inserted: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda parent, first, last: inserted.append((first, last)))
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        pass
    first = model.first_rows
    assert inserted[0] == (first, first + 149) and inserted[-1][1] == ENTRIES + 4
    assert len(inserted) == -(-(ENTRIES + 5 - first) // 150)
    assert threads == ["MainThread", "library-ids"]
    assert len(set(model.ids())) == ENTRIES + 5
    qtmodeltester.check(model, force_py=True)
    document.close()


def test_the_count_grows_as_the_list_fills_with_no_full_count_first(
    qtbot, big_project, small_chunks, monkeypatch
) -> None:
    counted: list[str] = []
    real = query.count_all
    monkeypatch.setattr(query, "count_all", lambda c, kind: counted.append(kind) or real(c, kind))
    document = ProjectDocument(big_project)
    pane = LibraryPane(document, "entry")
    qtbot.addWidget(pane)
    labels: list[str] = [pane.count_label.text()]
    assert counted == []  # nothing counted the whole project before the first rows
    pane.model.grew.connect(lambda: labels.append(pane.count_label.text()))
    with qtbot.waitSignal(pane.model.loaded, timeout=10_000):
        pass
    labels.append(pane.count_label.text())
    assert labels[0] == f"{pane.model.first_rows:,} timeline entries so far…"
    assert f"{pane.model.first_rows + 150:,} timeline entries so far…" in labels
    assert labels[-1] == f"{ENTRIES + 5:,} timeline entries"
    document.close()


def test_a_filter_typed_while_the_list_fills_wins(qtbot, big_project, small_chunks) -> None:
    document = ProjectDocument(big_project)
    model = LibraryModel(document, "entry")
    qtbot.waitUntil(lambda: model.rowCount() > model.first_rows, timeout=10_000)
    model.set_filter(ListFilter(status="unconfirmed"))
    qtbot.waitUntil(lambda: not model.is_loading, timeout=10_000)
    assert model.rowCount() == ENTRIES // 2 + 1
    document.close()


def test_the_project_closing_during_the_query_is_harmless(qtbot, big_project) -> None:
    document = ProjectDocument(big_project)
    model = LibraryModel(document, "entry")
    model._finish_timer.timeout.emit()  # the worker starts now
    document.close()
    qtbot.wait(300)
    assert model.rowCount() >= model.first_rows
