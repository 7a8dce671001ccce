"""The brief's XMP metadata packet: title, authors, subject, marking, language, tool.

Archives and document systems read XMP rather than the older info dictionary;
both say the same here. Every value is escaped as XML text.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape

from reportlab.pdfbase.pdfdoc import XMP

_PACKET = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{subject}</rdf:li></rdf:Alt>
   </dc:description>
   <dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>
   <dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>
   <dc:subject><rdf:Bag>{keywords}</rdf:Bag></dc:subject>
   <pdf:Keywords>{keyword_text}</pdf:Keywords>
   <pdf:Producer>{producer}</pdf:Producer>
   <xmp:CreatorTool>{creator}</xmp:CreatorTool>
   <xmp:CreateDate>{date}</xmp:CreateDate>
   <xmp:ModifyDate>{date}</xmp:ModifyDate>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


def _text(value: Any) -> str:
    return escape(str(value or ""))


def xmp_text(doc: Any) -> str:
    """The packet for a document template's title, author, subject, keywords and language."""
    keywords = doc.keywords if isinstance(doc.keywords, list | tuple) else [doc.keywords]
    keywords = [k for k in keywords if k]
    return _PACKET.format(
        title=_text(doc.title),
        subject=_text(doc.subject),
        author=_text(doc.author),
        lang=_text(getattr(doc, "lang", None) or "en"),
        keywords="".join(f"<rdf:li>{_text(k)}</rdf:li>" for k in keywords),
        keyword_text=_text(", ".join(keywords)),
        producer=_text("ReportLab PDF Library"),
        creator=_text(doc.creator),
        date=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )


def xmp_packet(doc: Any) -> XMP:
    """A metadata stream for the PDF catalogue."""
    return XMP(creator=lambda _pdf: xmp_text(doc).encode("utf-8"))
