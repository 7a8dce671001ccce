"""The demo project: the 16 November 2021 clashes on the Armenia–Azerbaijan border.

Facts follow the reference news report; the defence ministries' words are kept as
attributed quotes, and what the report calls unconfirmed stays unconfirmed.
UUIDs and timestamps are fixed so that two demo files are identical.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from briefing.model import codec
from briefing.model.codec import Records
from briefing.model.rules import MAP_ITEM
from briefing.store.interface import ProjectStore
from briefing.store.opening import create_project

_NAMESPACE = uuid.UUID("6f1c1f43-3f0e-4d6b-9a51-0a7d2f1b2c11")
_STAMP = "2021-11-16T18:00:00Z"
_ANALYST = "Demo analyst"


def uid(slug: str) -> str:
    """A fixed UUID for a demo record, derived from its slug."""
    return str(uuid.uuid5(_NAMESPACE, slug))


def _record(slug: str, **values: Any) -> dict[str, Any]:
    return {
        "uuid": uid(slug),
        "created_at": _STAMP,
        "updated_at": _STAMP,
        "updated_by": _ANALYST,
        **values,
    }


def _claim(
    slug: str,
    side: str,
    category: str,
    claimant: str | None = None,
    source: str | None = None,
    claimed_at: str | None = "2021-11-16T12:00:00Z",
    **figures: Any,
) -> dict[str, Any]:
    """A casualty claim about a party of the demo (by slug), as the report gives it."""
    return {
        "uuid": uid(f"claim-{slug}"),
        "side": "party",
        "party": uid(side),
        "category": category,
        "low": figures.get("low"),
        "best": figures.get("best"),
        "high": figures.get("high"),
        "words": figures.get("words", ""),
        "claimant": uid(claimant) if claimant else None,
        "source": uid(source) if source else None,
        "claimed_at": claimed_at,
    }


def _parties() -> list[dict[str, Any]]:
    p = _record
    return [
        p("armenia", name="Armenia", short_name="Armenia", kind="state", colour="#D90012",
          description="Հայաստանի Հանրապետություն (Republic of Armenia)."),
        p("azerbaijan", name="Azerbaijan", short_name="Azerbaijan", kind="state",
          colour="#00B5E2", description="Azərbaycan Respublikası (Republic of Azerbaijan)."),
        p("arm-mod", name="Ministry of Defence of Armenia", short_name="Armenian MoD",
          kind="ministry", parent=uid("armenia"), colour="#B0202A",
          description="Հայաստանի Հանրապետության պաշտպանության նախարարություն."),
        p("aze-mod", name="Ministry of Defence of Azerbaijan", short_name="Azerbaijani MoD",
          kind="ministry", parent=uid("azerbaijan"), colour="#1D7FB0",
          description="Azərbaycan Respublikasının Müdafiə Nazirliyi."),
        p("arm-forces", name="Armed Forces of Armenia", short_name="Armenian forces",
          kind="armed force", parent=uid("armenia"), colour="#E0605A"),
        p("aze-forces", name="Armed Forces of Azerbaijan", short_name="Azerbaijani forces",
          kind="armed force", parent=uid("azerbaijan"), colour="#3FA7D6"),
        p("grigoryan", name="Armen Grigoryan (Արմեն Գրիգորյան)", short_name="Armen Grigoryan",
          kind="official", parent=uid("armenia"), colour="#902030",
          description="Secretary of the Security Council of Armenia."),
        p("russia", name="Russia", short_name="Russia", kind="state", colour="#3A4FA0",
          description="Российская Федерация (Russian Federation)."),
        p("ru-peacekeepers", name="Russian peacekeeping contingent", short_name="Russian peacekeepers",
          kind="armed force", parent=uid("russia"), colour="#6A7CC0",
          description="Российский миротворческий контингент, deployed under the November 2020 ceasefire."),
        p("turkey", name="Turkey", short_name="Turkey", kind="state", colour="#C8102E",
          description="Türkiye Cumhuriyeti (Republic of Türkiye)."),
        p("aldin", name="Aldin (@aldin_ww)", short_name="@aldin_ww", kind="outlet",
          colour="#808080", description="Social media account that shared footage of the clashes."),
    ]  # fmt: skip


def _sources() -> list[dict[str, Any]]:
    s = _record
    day = "2021-11-16T18:00:00Z"
    return [
        s("article", title="Fresh fighting erupts between Armenia and Azerbaijan along disputed border",
          publisher="News report (web)", kind="news", reliability="C", published_at=day,
          accessed_at="2021-11-16T20:00:00Z",
          description="Report of the 16 November 2021 clashes quoting both defence ministries."),
        s("arm-mod-statement", title="Statement on the fighting at the border",
          publisher="Ministry of Defence of Armenia", kind="official statement", reliability="B",
          published_at="2021-11-16T14:00:00Z", description="Quoted in the news report."),
        s("aze-mod-statement", title="Statement on the provocation at the state border",
          publisher="Ministry of Defence of Azerbaijan", kind="official statement",
          reliability="B", published_at="2021-11-16T12:00:00Z",
          description="Quoted in the news report."),
        s("grigoryan-statement", title="Statement requesting Russian assistance",
          publisher="Security Council of Armenia", author="Armen Grigoryan",
          kind="official statement", reliability="B", published_at="2021-11-16T16:00:00Z"),
        s("aldin-footage", title="Footage published by the Armenian MoD of the area of the clashes",
          publisher="Twitter", author="@aldin_ww", url="https://pic.twitter.com/8MdhDyzzH6",
          kind="social media post", reliability="F", published_at="2021-11-16T15:00:00Z"),
        s("aldin-advance", title="Video footage of the fighting and an Azerbaijani advance",
          publisher="Twitter", author="@aldin_ww", url="https://pic.twitter.com/5JP86fhfnE",
          kind="social media post", reliability="F", published_at="2021-11-16T16:00:00Z"),
    ]  # fmt: skip


def _entries() -> list[dict[str, Any]]:
    e = _record
    return [
        e("war-2020", title="Forty-four-day war over Nagorno-Karabakh",
          description="War between Armenia and Azerbaijan over Nagorno-Karabakh. Armenia gave up "
          "a significant amount of territory and withdrew its forces (and some of the civilian "
          "population).",
          start_utc="2020-09-27T00:00:00Z", end_utc="2020-11-10T00:00:00Z", zone="Asia/Baku",
          precision="day", place="Nagorno-Karabakh", latitude=39.8177, longitude=46.7528,
          status="confirmed", credibility=1,
          parties=[{"party": uid("armenia"), "role": "involved"},
                   {"party": uid("azerbaijan"), "role": "involved"}],
          sources=[uid("article")], tags="context, 2020 war"),
        e("ceasefire-2020", title="Russia-brokered ceasefire ends the war",
          description="The ceasefire halted the war; Russian peacekeepers deployed.",
          start_utc="2020-11-10T00:00:00Z", zone="Asia/Yerevan", precision="day",
          place="Nagorno-Karabakh", latitude=39.8177, longitude=46.7528, status="confirmed",
          credibility=1,
          parties=[{"party": uid("russia"), "role": "initiator"},
                   {"party": uid("armenia"), "role": "involved"},
                   {"party": uid("azerbaijan"), "role": "involved"}],
          sources=[uid("article")], tags="context, ceasefire"),
        e("clash", title="Clashes on the Armenia–Azerbaijan border",
          description="Fighting along the disputed border, the first large clash since the 2020 "
          "ceasefire. Heavy artillery was reportedly used. The Armenian MoD says Armenian forces "
          "lost control of two military positions; the Azerbaijani MoD says its troops surrounded "
          "and detained Armenian servicemen. Each side says the other attacked first.",
          start_utc="2021-11-16T07:00:00Z", zone="Asia/Baku", precision="minute",
          place="Armenia–Azerbaijan state border", latitude=39.54, longitude=46.06,
          status="disputed", credibility=3,
          claims=[
              _claim("clash-wounded", "armenia", "wounded", best=4,
                     words="four people were injured", claimant="arm-mod",
                     source="arm-mod-statement"),
              _claim("clash-killed", "armenia", "killed",
                     words="there are fatalities", claimant="arm-mod",
                     source="arm-mod-statement"),
              _claim("clash-detained", "armenia", "captured",
                     words="surrounded and detained Armenian servicemen", claimant="aze-mod",
                     source="aze-mod-statement"),
          ],
          parties=[{"party": uid("arm-forces"), "role": "involved"},
                   {"party": uid("aze-forces"), "role": "involved"}],
          sources=[uid("article"), uid("arm-mod-statement"), uid("aze-mod-statement"),
                   uid("aldin-footage"), uid("aldin-advance")],
          tags="border, artillery"),
        e("captives-videos", title="Videos appear to show captured Armenian servicemen",
          description="Social media videos, unconfirmed, appeared to show up to a dozen Armenian "
          "servicemen held captive.",
          start_utc="2021-11-16T14:00:00Z", zone="Asia/Yerevan", precision="day",
          place="Armenia–Azerbaijan state border", latitude=39.58, longitude=45.98,
          status="unconfirmed", credibility=3,
          claims=[
              _claim("videos-captives", "armenia", "captured", high=12,
                     words="up to a dozen", source="article",
                     claimed_at=None),
          ],
          parties=[{"party": uid("aze-forces"), "role": "initiator"},
                   {"party": uid("arm-forces"), "role": "target"}],
          sources=[uid("article")], tags="captives"),
        e("request-russia", title="Armenia asks Russia to defend its territory under the 1997 treaty",
          description="A verbal request by the Secretary of the Security Council, to be made "
          "in writing.",
          start_utc="2021-11-16T12:00:00Z", zone="Asia/Yerevan", precision="day",
          place="Yerevan", latitude=40.1792, longitude=44.4991, status="confirmed",
          credibility=2,
          parties=[{"party": uid("armenia"), "role": "initiator"},
                   {"party": uid("russia"), "role": "target"}],
          sources=[uid("grigoryan-statement"), uid("article")], tags="diplomacy, treaty"),
    ]  # fmt: skip


def _statements() -> list[dict[str, Any]]:
    s = _record
    day = "2021-11-16T12:00:00Z"
    return [
        s("arm-mod-attack", speaker=uid("arm-mod"), said_at=day, zone="Asia/Yerevan",
          precision="day", kind="accusation", entry=uid("clash"),
          source=uid("arm-mod-statement"),
          quote="There are fatalities and wounded among Armenian troops as a result of fighting "
          "that erupted following an attack by Azerbaijani forces.",
          contradicts=[uid("aze-mod-provocation")]),
        s("arm-mod-positions", speaker=uid("arm-mod"), said_at=day, zone="Asia/Yerevan",
          precision="day", kind="claim", entry=uid("clash"), source=uid("arm-mod-statement"),
          quote="lost control of two military positions"),
        s("arm-mod-casualties", speaker=uid("arm-mod"), said_at=day, zone="Asia/Yerevan",
          precision="day", kind="claim", entry=uid("clash"), source=uid("arm-mod-statement"),
          quote="The data on Armenian casualties is being clarified. At the moment, we can say "
          "definitely that four people were injured."),
        s("aze-mod-provocation", speaker=uid("aze-mod"), said_at=day, zone="Asia/Baku",
          precision="day", kind="accusation", entry=uid("clash"),
          source=uid("aze-mod-statement"),
          quote="Armenia’s armed forces committed a large-scale provocation at the state border "
          "at 11:00 am (GMT 0700) on Tuesday."),
        s("aze-mod-detained", speaker=uid("aze-mod"), said_at=day, zone="Asia/Baku",
          precision="day", kind="claim", entry=uid("clash"), source=uid("aze-mod-statement"),
          quote="stopped the enemy’s advance, surrounded and detained Armenian servicemen"),
        s("grigoryan-request", speaker=uid("grigoryan"), person="Armen Grigoryan",
          person_title="Secretary of the Security Council of Armenia", said_at=day,
          zone="Asia/Yerevan", precision="day", kind="request", entry=uid("request-russia"),
          source=uid("grigoryan-statement"),
          quote="As the attack [by Azerbaijan] was against Armenia’s sovereign territory, we are "
          "requesting that Russia defend Armenia’s territorial integrity within the framework of "
          "the 1997 agreement. This a verbal request that will be made in writing.",
          contradicts=[uid("aze-mod-provocation")]),
    ]  # fmt: skip


def _relationships() -> list[dict[str, Any]]:
    r = _record
    return [
        r("treaty-1997", party_a=uid("russia"), party_b=uid("armenia"), kind="defence treaty",
          title="1997 Treaty of Friendship, Cooperation and Mutual Assistance",
          since="1997-08-29", status="in force", sources=[uid("article")],
          description="Armenia invoked it on 16 November 2021 to request Russian help."),
        r("base-gyumri", party_a=uid("russia"), party_b=uid("armenia"), kind="military base",
          title="Russian military base on Armenian soil", status="in force",
          sources=[uid("article")],
          description="The Kremlin has shown reluctance to get involved other than for "
          "peace-keeping purposes."),
        r("peacekeeping", party_a=uid("ru-peacekeepers"), party_b=uid("azerbaijan"),
          kind="peacekeeping", title="Russian peacekeepers under the November 2020 ceasefire",
          since="2020-11", status="in force", sources=[uid("article")]),
        r("turkey-backing", party_a=uid("turkey"), party_b=uid("azerbaijan"),
          kind="political backing", title="Turkey’s active backing of Azerbaijan",
          status="in force", sources=[uid("article")]),
        r("syrian-mercenaries", party_a=uid("turkey"), party_b=uid("azerbaijan"),
          kind="arms supply", title="Turkish-backed Syrian mercenaries sent to bolster Azerbaijani forces",
          since="2020", status="alleged", sources=[uid("article")],
          description="Reported during the 2020 war; not independently confirmed."),
        r("karabakh-rivalry", party_a=uid("armenia"), party_b=uid("azerbaijan"), kind="rivalry",
          title="Dispute over Nagorno-Karabakh and the border zone", since="1988",
          status="in force", sources=[uid("article")]),
    ]  # fmt: skip


def _briefing() -> dict[str, Any]:
    def items(kind: str, *slugs: str) -> list[dict[str, str]]:
        return [{"uuid": uid(f"item-{slug}"), "kind": kind, "ref": uid(slug)} for slug in slugs]

    return _record(
        "briefing",
        title="Armenia–Azerbaijan border clashes",
        subtitle="Fighting one year after the Russia-brokered ceasefire — 16 November 2021",
        as_of="2021-11-16T18:00:00Z",
        zone="Asia/Yerevan",
        authors="Demo analyst",
        tlp="GREEN",
        status="draft",
        bluf=(
            "Fighting broke out on the Armenia–Azerbaijan border at about **11:00 Baku time "
            "(07:00 UTC)** on 16 November 2021, the most serious since the 2020 ceasefire. "
            "Each side's defence ministry blames the other. Armenia reports fatalities, four "
            "wounded and the loss of two positions; Azerbaijan says it detained Armenian "
            "servicemen. Armenia has asked Russia for help under the 1997 treaty."
        ),
        judgments=[
            {
                "uuid": uid("kj-russia"),
                "likelihood": "likely",
                "confidence": "moderate",
                "text": "Russia will answer Armenia's request with diplomacy and its peacekeeping "
                "role rather than with military action under the 1997 treaty.",
            },
            {
                "uuid": uid("kj-escalation"),
                "likelihood": "unlikely",
                "confidence": "low",
                "text": "The clashes will grow into a renewed large-scale war in the coming weeks.",
            },
        ],  # fmt: skip
        sections=[
            {
                "uuid": uid("section-events"),
                "heading": "What happened",
                "body": (
                    "Clashes began at the state border on Tuesday morning. Heavy artillery was "
                    "*reportedly* used. Casualty figures are **still being clarified**; videos "
                    "of captured servicemen are unconfirmed."
                ),
                "items": [
                    *items("entry", "clash", "captives-videos"),
                    {"uuid": uid("item-map"), "kind": MAP_ITEM},  # where they happened
                ],
            },
            {
                "uuid": uid("section-claims"),
                "heading": "What each side says",
                "body": (
                    "The two defence ministries give contradicting accounts:\n\n"
                    "- the Armenian MoD (Հայաստանի պաշտպանության նախարարություն) says "
                    "Azerbaijani forces attacked first;\n"
                    "- the Azerbaijani MoD (Azərbaycan Müdafiə Nazirliyi) speaks of a "
                    "large-scale Armenian provocation."
                ),
                "items": items(
                    "statement",
                    "arm-mod-attack",
                    "aze-mod-provocation",
                    "arm-mod-casualties",
                    "aze-mod-detained",
                ),
            },
            {
                "uuid": uid("section-alliances"),
                "heading": "Alliance context",
                "body": (
                    "Yerevan calls on Moscow (Российская Федерация) as it did in 2020. Despite "
                    "its base in Armenia and the 1997 treaty, the Kremlin has been reluctant to "
                    "get involved other than as peacekeeper; Turkey actively backs Azerbaijan."
                ),
                "items": [
                    *items("statement", "grigoryan-request"),
                    *items("entry", "request-russia", "war-2020", "ceasefire-2020"),
                    *items(
                        "relationship",
                        "treaty-1997",
                        "base-gyumri",
                        "peacekeeping",
                        "turkey-backing",
                        "syrian-mercenaries",
                    ),
                ],
            },
        ],
    )


def demo_records() -> Records:
    """Every record of the demo project, in the codec's dict form."""
    return {
        "party": _parties(),
        "source": _sources(),
        "entry": _entries(),
        "statement": _statements(),
        "relationship": _relationships(),
        "briefing": [_briefing()],
    }


def create_demo_project(path: Path | str, analyst: str = "") -> ProjectStore:
    """Create ``path`` (a file or a server address) holding the demo project; return it open."""
    project = create_project(path, analyst, title="Armenia–Azerbaijan border, November 2021")
    with project.transaction() as session:
        codec.load(session.connection(), demo_records())
    return project
