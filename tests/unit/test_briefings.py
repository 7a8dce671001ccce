from __future__ import annotations

from datetime import UTC, datetime

import pytest
from postgres import demo_project_on_both_back_ends  # noqa: F401  (file and server)

from briefing.errors import RecordError
from briefing.model.vocab import Tlp
from briefing.services import briefings, charts, contradictions, records
from briefing.services.briefings import load_briefing

CLASH, CAPTIVES, WAR = 3, 4, 1
ARM_MOD_ATTACK, AZE_MOD_PROVOCATION, GRIGORYAN = 1, 4, 6


def titles(project, briefing_id: int, section: int) -> list[tuple[str, int]]:
    content = load_briefing(project, briefing_id)
    return [(i.kind, i.record_id) for i in content.sections[section].items]


def undo(project, change) -> None:
    """Put the snapshot back as the window's undo command does."""
    created = {k: v for k, v in change.after.items() if k not in change.before}
    records.restore(project, change.before, created)


@pytest.fixture
def fresh(demo_project) -> int:
    """A new briefing in the demo project; its id."""
    return briefings.create_briefing(demo_project, "Morning brief").ids["briefing"][0]


def test_new_briefing_is_a_draft_by_the_analyst_with_one_section(demo_project, fresh) -> None:
    content = load_briefing(demo_project, fresh)
    assert (content.title, content.status, content.tlp) == ("Morning brief", "draft", Tlp.CLEAR)
    assert content.authors == "Test analyst"
    assert [s.heading for s in content.sections] == ["Summary"]
    assert [b.title for b in briefings.list_briefings(demo_project)].count("Morning brief") == 1


def test_add_three_kinds_then_undo_leaves_the_section_empty(demo_project, fresh) -> None:
    wanted = [("entry", CLASH), ("statement", ARM_MOD_ATTACK), ("relationship", 1)]
    change = briefings.add_items(demo_project, fresh, wanted)
    assert titles(demo_project, fresh, 0) == wanted
    assert change.description == "Add 3 records to the briefing"
    undo(demo_project, change)
    assert titles(demo_project, fresh, 0) == []


def test_adding_twice_to_one_section_is_refused(demo_project, fresh) -> None:
    briefings.add_items(demo_project, fresh, [("entry", CLASH)])
    with pytest.raises(RecordError, match="already in that section"):
        briefings.add_items(demo_project, fresh, [("entry", CLASH)])
    briefings.add_items(demo_project, fresh, [("entry", CLASH), ("entry", WAR)], position=0)
    assert titles(demo_project, fresh, 0) == [("entry", WAR), ("entry", CLASH)]


@pytest.mark.parametrize(
    ("wanted", "message"),
    [
        ([("briefing", 1)], "cannot go in a section"),
        ([("entry", 999)], "no longer exists"),
        ([], "No records"),
    ],
)
def test_bad_additions_are_refused(demo_project, fresh, wanted, message) -> None:
    with pytest.raises(RecordError, match=message):
        briefings.add_items(demo_project, fresh, wanted)


@pytest.mark.parametrize(
    ("keys", "section", "row", "expected"),
    [
        ([(0, 0)], 0, -1, ["b", "c", "a"]),
        ([(0, 2)], 0, 0, ["c", "a", "b"]),
        ([(0, 0)], 0, 2, ["b", "a", "c"]),
        ([(0, 0), (0, 1)], 0, 3, ["c", "a", "b"]),
        ([(0, 1)], 1, 0, ["a", "c"]),
    ],
)
def test_move_items(demo_project, fresh, keys, section, row, expected) -> None:
    names = {"a": ("entry", WAR), "b": ("entry", CLASH), "c": ("entry", CAPTIVES)}
    briefings.add_items(demo_project, fresh, list(names.values()))
    briefings.add_section(demo_project, fresh, "Second")
    briefings.move_items(demo_project, fresh, keys, section, row)
    assert titles(demo_project, fresh, 0) == [names[n] for n in expected]
    moved_across = section == 1
    assert titles(demo_project, fresh, 1) == ([names["b"]] if moved_across else [])


def test_remove_items_keeps_the_library_record(demo_project, fresh) -> None:
    briefings.add_items(demo_project, fresh, [("entry", WAR), ("entry", CLASH)])
    briefings.remove_items(demo_project, fresh, [(0, 0)])
    assert titles(demo_project, fresh, 0) == [("entry", CLASH)]
    assert records.get_record(demo_project, "entry", WAR)["title"].startswith("Forty-four")
    with pytest.raises(RecordError, match="no longer in the briefing"):
        briefings.remove_items(demo_project, fresh, [(0, 5)])


def test_sections_by_position_and_uuid(demo_project, fresh) -> None:
    briefings.add_section(demo_project, fresh, "Context")
    briefings.add_section(demo_project, fresh, "Outlook", index=0)
    headings = [s.heading for s in load_briefing(demo_project, fresh).sections]
    assert headings == ["Outlook", "Summary", "Context"]
    uuid = load_briefing(demo_project, fresh).sections[2].uuid
    briefings.edit_section(demo_project, fresh, uuid, heading="Alliances", body="*Why* it matters")
    briefings.move_section(demo_project, fresh, uuid, 0)
    first = load_briefing(demo_project, fresh).sections[0]
    assert (first.uuid, first.heading, first.body) == (uuid, "Alliances", "*Why* it matters")
    briefings.remove_section(demo_project, fresh, 1)
    assert [s.heading for s in load_briefing(demo_project, fresh).sections] == [
        "Alliances",
        "Summary",
    ]
    with pytest.raises(RecordError, match="needs a heading"):
        briefings.edit_section(demo_project, fresh, 0, heading="  ")


def test_item_titles_follow_library_corrections(demo_project) -> None:
    records.update_record(demo_project, "entry", CLASH, {"title": "Border clashes (corrected)"})
    first = load_briefing(demo_project, 1).sections[0].items[0]
    assert first.title == "Border clashes (corrected)"
    assert "11:00 Baku (07:00 UTC)" in first.detail


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"title": " "}, "needs a title"),
        ({"zone": "Mars/Olympus"}, "not an IANA time zone"),
        ({"tlp": "PURPLE"}, "cannot be used"),
        ({"as_of": "2021-11-16T18:00:00"}, "has no time zone"),
        ({"as_of": "2021-13-01T00:00:00Z"}, "not a valid ISO 8601 time"),
        ({"as_of": "9999-12-31T23:59:59-05:00"}, "outside the dates"),
        ({"colour": "red"}, "no field"),
    ],
)
def test_bad_metadata_is_refused(demo_project, values, message) -> None:
    with pytest.raises(RecordError, match=message):
        briefings.edit_metadata(demo_project, 1, **values)


def test_metadata_edit_and_undo(demo_project) -> None:
    as_of = datetime(2021, 11, 17, 6, 30, tzinfo=UTC)
    change = briefings.edit_metadata(
        demo_project, 1, as_of=as_of, zone="Asia/Baku", tlp="AMBER+STRICT", status="final"
    )
    content = load_briefing(demo_project, 1)
    assert (content.as_of, content.zone, content.tlp, content.status) == (
        as_of,
        "Asia/Baku",
        Tlp.AMBER_STRICT,
        "final",
    )
    undo(demo_project, change)
    assert load_briefing(demo_project, 1).tlp is Tlp.GREEN


def test_judgments(demo_project) -> None:
    briefings.add_judgment(demo_project, 1, "Ceasefire holds.", "very likely", "high")
    briefings.move_judgment(demo_project, 1, 2, 0)
    briefings.edit_judgment(demo_project, 1, 0, confidence="moderate")
    briefings.remove_judgment(demo_project, 1, 1)
    judgments = load_briefing(demo_project, 1).judgments
    assert [(j.text[:9], j.likelihood, j.confidence) for j in judgments] == [
        ("Ceasefire", "very likely", "moderate"),
        ("The clash", "unlikely", "low"),
    ]
    with pytest.raises(RecordError, match="ICD 203"):
        briefings.edit_judgment(demo_project, 1, 0, likelihood="perhaps")
    with pytest.raises(RecordError, match="needs its text"):
        briefings.add_judgment(demo_project, 1, "")


@pytest.mark.parametrize(
    ("record_tlp", "warned"),
    [("CLEAR", False), ("GREEN", False), ("AMBER", True), ("RED", True)],
)
def test_tlp_warning_names_stricter_records(demo_project, record_tlp, warned) -> None:
    records.update_record(demo_project, "statement", AZE_MOD_PROVOCATION, {"tlp": record_tlp})
    warning = briefings.tlp_warning(load_briefing(demo_project, 1))  # the demo is TLP:GREEN
    assert bool(warning) is warned
    if warned:
        assert f"(TLP:{record_tlp})" in warning and "statement ‘Armenia’s armed forces" in warning


def test_contradictions_group_statements_by_top_level_party(demo_project) -> None:
    view = contradictions.entry_statements(demo_project, CLASH)
    assert [c.label for c in view.columns] == ["Armenia", "Azerbaijan"]
    assert [len(c.statements) for c in view.columns] == [3, 2]
    assert view.pairs == ((ARM_MOD_ATTACK, AZE_MOD_PROVOCATION),)
    assert view.partners(AZE_MOD_PROVOCATION) == [ARM_MOD_ATTACK]
    assert [(o.statement_id, o.other_id) for o in view.outside] == [
        (AZE_MOD_PROVOCATION, GRIGORYAN)
    ]
    first = view.columns[0].statements[0]
    assert (first.grade, first.attribution, first.kind) == ("B3", "Armenian MoD", "accusation")


@pytest.mark.parametrize(
    ("kind", "record_id", "entry"),
    [("entry", CLASH, CLASH), ("statement", GRIGORYAN, 5), ("party", 1, None)],
)
def test_entry_of_a_selection(demo_project, kind, record_id, entry) -> None:
    assert contradictions.entry_of(demo_project, kind, record_id) == entry


def test_timeline_chart_lanes_and_cap(demo_project) -> None:
    chart = charts.timeline_chart(demo_project)
    assert [lane.label for lane in chart.lanes] == ["Armenia", "Azerbaijan", "Russia"]
    clash = [e for e in chart.events if e.entry_id == CLASH]
    assert {e.parties for e in clash} == {
        "Armenian forces (involved)",
        "Azerbaijani forces (involved)",
    }
    assert not chart.capped
    assert charts.timeline_chart(demo_project, limit=2).capped


def test_relationship_diagram_keeps_parents_with_children(demo_project) -> None:
    diagram = charts.relationship_diagram(demo_project)
    labels = {n.label: n for n in diagram.nodes}
    assert set(labels) == {"Armenia", "Azerbaijan", "Russia", "Russian peacekeepers", "Turkey"}
    assert labels["Russian peacekeepers"].group == labels["Russia"].party_id
    assert len(diagram.edges) == 6
    assert {e.status for e in diagram.edges} == {"in force", "alleged"}
