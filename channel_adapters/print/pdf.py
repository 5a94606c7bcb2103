"""The print desk's PDF, laid out by WeasyPrint from the page's HTML."""

from __future__ import annotations

import os
from collections.abc import Callable


def build_pdf(layout: Callable[[bool], str]) -> tuple[bytes, int]:
    """The PDF of the HTML `layout(numbered)` and its page count.

    Pages are numbered only when there are two or more: a one-page release is laid
    out a second time, without numbers.
    """
    # Imported here: WeasyPrint takes a second to load, and most processes never print.
    from weasyprint import HTML, URLFetcher

    # WeasyPrint re-saves colour emoji fonts with fontTools, which stamps them with
    # the current time unless SOURCE_DATE_EPOCH is set; a fixed stamp keeps the PDF,
    # and so the rendition's hash, the same on every render.
    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")
    # Only local files (logo, pictures) may be loaded, nothing from the network.
    fetcher = URLFetcher(allowed_protocols={"file"})
    document = HTML(string=layout(True), url_fetcher=fetcher).render()
    if len(document.pages) == 1:
        document = HTML(string=layout(False), url_fetcher=fetcher).render()
    return document.write_pdf(), len(document.pages)
