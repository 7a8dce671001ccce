"""Claims read for lists and pictures: the SQL totals follow the model's rule exactly."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.model.claim_figures import ClaimFigures, casualty_total
from briefing.model.vocab import ClaimCategory
from briefing.services import records
from briefing.services.demo import uid
from briefing.services.entry_claims import casualty_totals

SIDES = ("armenia", "azerbaijan", "civilians", "unknown", "all sides")


@st.composite
def claims(draw: st.DrawFn) -> dict:
    side = draw(st.sampled_from(SIDES))
    figures = sorted(draw(st.lists(st.integers(0, 10**6), min_size=0, max_size=3)))
    keys = draw(st.permutations(["low", "best", "high"]))[: len(figures)]
    given_ = dict(zip(sorted(keys, key=["low", "best", "high"].index), figures, strict=True))
    party = side in ("armenia", "azerbaijan")
    return {
        "side": "party" if party else side,
        "party": uid(side) if party else None,
        "category": draw(st.sampled_from([c.value for c in ClaimCategory])),
        "words": "" if given_ else "some",
        "claimant": draw(st.sampled_from([None, uid("arm-mod"), uid("aze-mod")])),
        **given_,
    }


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(claims(), max_size=8))
def test_sql_totals_agree_with_the_rule(demo_project, drawn: list[dict]) -> None:
    entry = 3
    records.update_record(demo_project, "entry", entry, {"claims": drawn})
    expected = casualty_total(
        ClaimFigures(c["party"] or c["side"], c["category"], c.get("low"), c.get("best"),
                     c.get("high"))
        for c in drawn
    )  # fmt: skip
    with demo_project.engine.connect() as connection:
        every = casualty_totals(connection)
        one = casualty_totals(connection, [entry])
    assert one.get(entry) == every.get(entry) == expected


def test_a_stored_value_that_is_no_count_is_left_out(demo_project) -> None:
    claims_ = [{"side": "civilians", "category": "killed", "best": 5},
               {"side": "unknown", "category": "killed", "best": 7}]  # fmt: skip
    records.update_record(demo_project, "entry", 3, {"claims": claims_})
    with demo_project.transaction() as session:
        session.connection().exec_driver_sql(
            "UPDATE casualty_claim SET best = 'many' WHERE entry_id = 3 AND side = 'unknown'"
        )
    with demo_project.engine.connect() as connection:
        assert casualty_totals(connection, [3]) == {3: 5}
