"""Finished table rows kept out of the document tree, compressed, until the file is packed.

A Word table of 10,000 timeline rows is about 55 MB of XML, but some ten times
that as an lxml tree. Rows are written into the tree as usual; once a table has
a few hundred finished rows (or the next table begins), they are serialised,
compressed and replaced in the table by a marker comment. When the document has
been saved, its main part is written again with each marker replaced by its
rows, one piece at a time, so the whole table is never in memory at once.
"""

from __future__ import annotations

import io
import re
import secrets
import zipfile
import zlib
from typing import IO

from lxml import etree

PARK_EVERY = 200
"""Finished rows a table holds in the tree before they are parked."""
_DECLARATION = re.compile(rb' xmlns:([\w.-]+)="([^"]*)"')


def _declared(xml: bytes) -> dict[str, str]:
    """The namespace declarations in the first tag of ``xml``."""
    return {m[1].decode(): m[2].decode() for m in _DECLARATION.finditer(xml[: xml.index(b">")])}


def _xml(rows: list[etree._Element], nsmap: dict[str | None, str]) -> bytes:
    """The rows' XML, taken out of the tree, without the declarations the root makes.

    They are serialised together in a wrapper declaring what the document's root
    declares, so no row repeats those declarations; a row that needs one of its
    own (none the writer makes) is serialised with it, alone.
    """
    wrapper = etree.Element("parked", nsmap=nsmap)
    wrapper.extend(rows)
    xml = etree.tostring(wrapper, encoding="UTF-8", xml_declaration=False)
    if all(nsmap.get(prefix) == uri for prefix, uri in _declared(xml).items()):
        return xml[xml.index(b">") + 1 : xml.rindex(b"</parked>")]
    return b"".join(etree.tostring(row, encoding="UTF-8", xml_declaration=False) for row in rows)


class ParkedRows:
    """The parked rows of one document, in order, and the rows not yet parked."""

    def __init__(self, root: etree._Element) -> None:
        self.known = dict(root.nsmap)
        self.token = f"parked-{secrets.token_hex(8)}-"
        self.pieces: list[bytes] = []
        self.live: list[etree._Element] = []
        self.table: etree._Element | None = None

    def added(self, row: etree._Element, table: etree._Element) -> None:
        """Note a new row of ``table``; park the finished ones (all but this one) when many."""
        if table is not self.table:
            self.park()  # the previous table is finished
            self.table = table
        self.live.append(row)
        if len(self.live) > PARK_EVERY:
            self.live.pop()
            self.park()
            self.live = [row]

    def park(self) -> None:
        """Replace the finished rows in the tree by one marker; keep them compressed."""
        rows, self.live = self.live, []
        if not rows:
            return
        rows[0].addprevious(etree.Comment(f"{self.token}{len(self.pieces)}"))
        self.pieces.append(zlib.compress(_xml(rows, self.known), 1))

    def splice(self, docx: bytes, part: str) -> bytes:
        """The saved document with its parked rows back in ``part`` (``word/document.xml``)."""
        if not self.pieces:
            return docx
        marker = re.compile(b"<!--" + re.escape(self.token.encode()) + rb"(\d+)-->")
        out = io.BytesIO()
        with (
            zipfile.ZipFile(io.BytesIO(docx)) as source,
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
        ):
            for info in source.infolist():
                if info.filename != part:
                    target.writestr(info, source.read(info))
                    continue
                entry = zipfile.ZipInfo(info.filename, info.date_time)
                entry.compress_type = zipfile.ZIP_DEFLATED
                with target.open(entry, "w") as stream:
                    self._write(source.read(info), marker, stream)
        return out.getvalue()

    def _write(self, xml: bytes, marker: re.Pattern[bytes], stream: IO[bytes]) -> None:
        at = 0
        for found in marker.finditer(xml):
            stream.write(xml[at : found.start()])
            stream.write(zlib.decompress(self.pieces[int(found[1])]))
            at = found.end()
        stream.write(xml[at:])
