"""TLP labels as STIX 2.1 marking definitions, both ways.

stix2 3.0 predefines only the TLP 1.0 definitions (``stix2.v21.TLP_WHITE`` …);
TLP 2.0 has no constants there, so the OASIS objects are written out below, as
published in oasis-open/cti-stix-common-objects (extension-definition-specifications/
tlp-2.0): each is a marking definition without ``definition_type``, carrying the
``tlp_2_0`` property of extension ``extension-definition--60a3c5c5-…``. The
extension definition object itself is not copied into bundles: the OASIS
examples reference it by identifier only, as we do.

On import we also read TLP 1.0 (stix2's constants; WHITE reads as CLEAR) and the
identifiers OpenCTI mints for its own TLP:CLEAR and TLP:AMBER+STRICT.
"""

from __future__ import annotations

import json
from typing import Any

import stix2

from briefing.model.vocab import Tlp

TLP2_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
TLP2_CREATED = "2022-10-01T00:00:00.000Z"

TLP2_IDS = {
    Tlp.CLEAR: "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    Tlp.GREEN: "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    Tlp.AMBER: "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    Tlp.AMBER_STRICT: "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    Tlp.RED: "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}

TLP1_IDS = {
    stix2.v21.TLP_WHITE.id: Tlp.CLEAR,
    stix2.v21.TLP_GREEN.id: Tlp.GREEN,
    stix2.v21.TLP_AMBER.id: Tlp.AMBER,
    stix2.v21.TLP_RED.id: Tlp.RED,
}

OPENCTI_IDS = {
    "marking-definition--826578e1-40ad-459f-bc73-ede076f81f37": Tlp.AMBER_STRICT,
}
"""OpenCTI's own TLP:AMBER+STRICT; its TLP:CLEAR reuses the TLP 1.0 WHITE identifier."""

KNOWN_IDS: dict[str, Tlp] = {
    **{marking: label for label, marking in TLP2_IDS.items()},
    **TLP1_IDS,
    **OPENCTI_IDS,
}


def marking_id(label: Tlp) -> str:
    return TLP2_IDS[label]


def marking_definition(label: Tlp) -> dict[str, Any]:
    """The OASIS TLP 2.0 marking definition of a label, as a plain dict."""
    definition = stix2.v21.MarkingDefinition(
        id=TLP2_IDS[label],
        created=TLP2_CREATED,
        name=label.marking,
        extensions={
            TLP2_EXTENSION: {"extension_type": "property-extension", "tlp_2_0": label.value.lower()}
        },
    )
    result: dict[str, Any] = json.loads(definition.serialize())
    return result


def _label(text: object) -> Tlp | None:
    """``amber+strict``, ``TLP:AMBER+STRICT`` or ``white`` → a label."""
    if not isinstance(text, str) or len(text) > 40:
        return None
    value = text.strip().upper().removeprefix("TLP:")
    if value == "WHITE":
        return Tlp.CLEAR
    try:
        return Tlp(value)
    except ValueError:
        return None


def label_of_definition(definition: dict[str, Any]) -> Tlp | None:
    """The TLP label a marking-definition object states, in any of the forms in use."""
    known = KNOWN_IDS.get(str(definition.get("id")))
    if known is not None:
        return known
    extension = (definition.get("extensions") or {}) if isinstance(definition, dict) else {}
    if isinstance(extension, dict) and isinstance(extension.get(TLP2_EXTENSION), dict):
        return _label(extension[TLP2_EXTENSION].get("tlp_2_0"))
    kind = str(definition.get("definition_type", "")).lower()
    body = definition.get("definition")
    if kind == "tlp" and isinstance(body, dict):
        # TLP 1.0 writes {"tlp": "amber"}; OpenCTI writes {"TLP": "TLP:AMBER+STRICT"}.
        return _label(body.get("tlp", body.get("TLP")))
    name = definition.get("name")
    if isinstance(name, str) and name.upper().startswith("TLP:"):
        return _label(name)
    return None


def strictest(labels: list[Tlp]) -> Tlp:
    return max(labels, key=lambda t: t.rank) if labels else Tlp.CLEAR
