"""The layout of a PDF, in a child process of a task worker (``renderings.lay_out``).

No Django here: the child is forked from a clean server process (``forkserver``) that
imports this module and WeasyPrint once, so a layout starts at once, shares no lock or
connection with the worker's threads, and is killed at the deadline without harm.

Every PDF is PDF/A-3b (ISO 19005-3: for archiving, fonts embedded, an sRGB output
intent, files attached as the document's data) and PDF/UA-1 (ISO 14289-1: tagged,
headings, tables and the language in the structure, so a screen reader reads it in
order). WeasyPrint writes one of the two variants; the tags of the other are asked for
with ``pdf_tags``, and ``_mark_universal_access`` adds PDF/UA's identification to the
XMP metadata, declared as a PDF/A extension schema as PDF/A requires.

A file linked in the HTML with ``<link rel="attachment" title="name.json" href="data:…">``
is attached under its title, as the document's data (``AFRelationship /Data``): the
sealed content of a signed report, readable by a machine.
"""

import io
import logging
from multiprocessing.connection import Connection
from typing import Any

logger = logging.getLogger(__name__)

PDF_VARIANT = "pdf/a-3b"
# What the child answers: ``(READY, pages, pdf)`` or ``(PAGES | ERROR, pages, b"")``.
READY = "ready"
PAGES = "pages"
ERROR = "error"

# PDF/UA-1's identification in the XMP metadata, and its declaration as an extension
# schema (ISO 19005-3, 6.6.2.3: a property outside the predefined schemas is declared).
UA_DESCRIPTION = b"""<rdf:Description rdf:about="" \
xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" pdfuaid:part="1"/>\
<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" \
xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" \
xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">\
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">\
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>\
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>\
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">\
<pdfaProperty:name>part</pdfaProperty:name>\
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>\
<pdfaProperty:category>internal</pdfaProperty:category>\
<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed\
</pdfaProperty:description>\
</rdf:li></rdf:Seq></pdfaSchema:property>\
</rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>"""


def _name_attachments(document: Any) -> None:
    """An attachment linked in the HTML is named by its title and is the document's data."""
    for attachment in document.metadata.attachments:
        if attachment.description:
            attachment.name = attachment.description
            attachment.relationship = "Data"


def _mark_universal_access(pdf: bytes) -> bytes:
    """The PDF with PDF/UA-1's identification added to its XMP metadata."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        metadata = document.Root.Metadata
        xmp = metadata.read_bytes()
        end = xmp.rindex(b"</rdf:RDF>")
        metadata.write(xmp[:end] + UA_DESCRIPTION + xmp[end:])
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()


def lay_out_in_child(html: str, stylesheet: str, pages_allowed: int,
                     sender: Connection) -> None:
    """Lay the document out, count its pages, and write the PDF only within the page
    budget; send ``(outcome, pages, pdf)`` to the worker."""
    try:
        import weasyprint

        document = weasyprint.HTML(string=html).render(
            stylesheets=[weasyprint.CSS(string=stylesheet)], pdf_variant=PDF_VARIANT,
            pdf_tags=True)
        pages = len(document.pages)
        if pages > pages_allowed:
            sender.send((PAGES, pages, b""))
        else:
            _name_attachments(document)
            pdf = document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True)
            assert isinstance(pdf, bytes)  # without a target WeasyPrint returns the bytes
            sender.send((READY, pages, _mark_universal_access(pdf)))
    except Exception:
        logger.exception("rendering: the layout failed")
        sender.send((ERROR, 0, b""))
    finally:
        sender.close()
