"""A briefing quoting parties in every script the export supports, for tests and looks.

Each sample is (language tag, script name, party name, quote, place); the quote
of ``SAMPLES[0]`` is Arabic holding a Latin name and numbers.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from briefing.model import codec
from briefing.store import Project, create_project

SAMPLES: tuple[tuple[str, str, str, str, str], ...] = (
    ("ar", "Arabic", "وزارة الدفاع",
     "قال John Smith إن 15 جندياً قتلوا في 3 هجمات منذ عام 2021.", "الخرطوم"),
    ("fa", "Persian", "وزارت امور خارجه ایران",
     "وزیر امور خارجه گفت که گفتگوها ادامه دارد.", "تهران"),
    ("he", "Hebrew", "צבא ההגנה לישראל", "הצבא הודיע כי שְׁלוֹשָׁה חיילים נפצעו.", "עזה"),
    ("ka", "Georgian", "საქართველოს თავდაცვის სამინისტრო",
     "სამინისტრო ადასტურებს შეტაკებას საზღვარზე.", "თბილისი"),
    ("am", "Amharic", "የመከላከያ ሚኒስቴር", "መንግሥት በመቀሌ ውጊያ መኖሩን አረጋግጧል።", "መቀሌ"),
    ("my", "Burmese", "တပ်မတော်", "ဗမာစကား ပြောရေးဆိုခွင့် နေပြည်တော်တွင် တိုက်ပွဲဖြစ်ပွားသည်။",
     "နေပြည်တော်"),
    ("hi", "Hindi", "भारत सरकार", "भारत सरकार ने सीमा पर झड़प की पुष्टि की।", "नई दिल्ली"),
    ("th", "Thai", "กองทัพไทย", "กองทัพยืนยันการปะทะที่ชายแดน", "กรุงเทพ"),
    ("zh", "Chinese", "外交部", "外交部发言人表示边境局势总体稳定。", "北京"),
    ("ja", "Japanese", "防衛省", "防衛省は国境付近での衝突を確認した。", "東京"),
    ("ko", "Korean", "국방부", "국방부는 국경 충돌을 확인했다.", "서울"),
    ("und", "Emoji", "Social media account 📢", "Video posted 🎥🔥 captioned ✅ 👍", "Online"),
)  # fmt: skip
"""Language, script, party, quote, place."""


def _uid(n: int) -> str:
    return str(uuid.UUID(int=n + 1, version=4))


def records() -> dict[str, list[dict[str, Any]]]:
    """Parties, timeline entries, statements, two ties and a briefing, one set per sample."""
    parties, entries, statements = [], [], []
    for n, (language, script, party, quote, place) in enumerate(SAMPLES):
        parties.append({"uuid": _uid(100 + n), "name": party, "kind": "ministry",
                        "colour": "#1F4E79" if n % 2 else "#C05A00"})  # fmt: skip
        entries.append({"uuid": _uid(200 + n), "title": f"{script}: {party}",
                        "description": quote, "start_utc": f"2021-11-{n + 1:02d}T08:00:00Z",
                        "zone": "UTC", "precision": "minute", "place": place,
                        "parties": [{"party": _uid(100 + n), "role": "initiator"}]})  # fmt: skip
        statements.append({"uuid": _uid(300 + n), "speaker": _uid(100 + n), "kind": "claim",
                           "said_at": f"2021-11-{n + 1:02d}T09:00:00Z", "zone": "UTC",
                           "precision": "minute", "quote": quote, "language": language,
                           "translation": f"({script} quote)"})  # fmt: skip
    ties = [
        {"uuid": _uid(400), "party_a": _uid(100), "party_b": _uid(102), "kind": "rivalry",
         "title": "خصومة قديمة (since 1948)", "status": "in force"},
        {"uuid": _uid(401), "party_a": _uid(103), "party_b": _uid(108), "kind": "arms supply",
         "title": "მიწოდება 供应", "status": "alleged"},
    ]  # fmt: skip

    def items(kind: str, found: list[dict[str, Any]]) -> list[dict[str, str]]:
        return [{"uuid": str(uuid.uuid4()), "kind": kind, "ref": r["uuid"]} for r in found]

    sections = [
        {"uuid": _uid(500 + n), "heading": f"{script} — {party}", "body": f"**{script}**: {text}",
         "items": items("statement", [statements[n]])}
        for n, (_, script, party, text, _) in enumerate(SAMPLES)
    ]  # fmt: skip
    sections.append({"uuid": _uid(600), "heading": "الجدول الزمني", "body": SAMPLES[0][3],
                     "items": items("entry", entries)})  # fmt: skip
    sections.append({"uuid": _uid(601), "heading": "Alliances", "body": "",
                     "items": items("relationship", ties)})  # fmt: skip
    briefing = {
        "uuid": _uid(700), "title": "نزاع الحدود — Border dispute", "as_of": "2021-12-01T12:00:00Z",
        "zone": "UTC", "authors": "محلل 分析员", "tlp": "CLEAR", "bluf": SAMPLES[2][3],
        "subtitle": "Every script 🌍", "judgments": [], "sections": sections,
    }  # fmt: skip
    return {"party": parties, "entry": entries, "statement": statements,
            "relationship": ties, "briefing": [briefing]}  # fmt: skip


def world_project(path: Path) -> Project:
    """A new project at ``path`` holding :func:`records`."""
    project = create_project(path, "Analyst")
    with project.transaction() as session:
        codec.load(session.connection(), records())
    return project
