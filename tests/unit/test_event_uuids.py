"""Event data sets name their records by UUIDs derived from the event: exactly uuid5's."""

from __future__ import annotations

import uuid

from hypothesis import given
from hypothesis import strategies as st

from briefing.io import acled, ucdp
from briefing.io.event_import import name_uuid


@given(name=st.text())
def test_name_uuid_is_uuid5(name: str) -> None:
    for namespace in (acled.NAMESPACE, ucdp.NAMESPACE, uuid.NAMESPACE_DNS):
        try:
            name.encode()
        except UnicodeEncodeError:  # a lone surrogate: neither can name it
            continue
        assert name_uuid(namespace, name) == str(uuid.uuid5(namespace, name))
