"""The layout of a PDF, in a child process of a task worker (``renderings.lay_out``).

No Django here: the child is forked from a clean server process (``forkserver``) that
imports this module and WeasyPrint once, so a layout starts at once, shares no lock or
connection with the worker's threads, and is killed at the deadline without harm.
"""

import logging
from multiprocessing.connection import Connection

logger = logging.getLogger(__name__)

# Tagged and accessible (ISO 14289-1): headings, tables and the language in the structure.
PDF_VARIANT = "pdf/ua-1"
# What the child answers: ``(READY, pages, pdf)`` or ``(PAGES | ERROR, pages, b"")``.
READY = "ready"
PAGES = "pages"
ERROR = "error"


def lay_out_in_child(html: str, stylesheet: str, pages_allowed: int,
                     sender: Connection) -> None:
    """Lay the document out, count its pages, and write the PDF only within the page
    budget; send ``(outcome, pages, pdf)`` to the worker."""
    try:
        import weasyprint

        document = weasyprint.HTML(string=html).render(
            stylesheets=[weasyprint.CSS(string=stylesheet)], pdf_variant=PDF_VARIANT)
        pages = len(document.pages)
        if pages > pages_allowed:
            sender.send((PAGES, pages, b""))
        else:
            pdf = document.write_pdf(pdf_variant=PDF_VARIANT)
            assert isinstance(pdf, bytes)  # without a target WeasyPrint returns the bytes
            sender.send((READY, pages, pdf))
    except Exception:
        logger.exception("rendering: the layout failed")
        sender.send((ERROR, 0, b""))
    finally:
        sender.close()
