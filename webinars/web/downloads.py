"""Files the pages hand out: a response the browser saves under a given name."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain

from flask import Response


def as_download(body: bytes | str | Iterable[str], content_type: str, filename: str) -> Response:
    """`body` as an attachment named `filename` (saved, not shown in the browser)."""
    response = Response(body, content_type=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# Excel set up for Russia or Uzbekistan reads a CSV file without this mark as
# Windows-1251, and every Cyrillic name in it as mojibake; with it, as UTF-8.
UTF8_BOM = "\ufeff"


def csv_download(body: str | Iterable[str], filename: str) -> Response:
    """CSV text (or its chunks, streamed) as an attachment, UTF-8 with a byte order mark."""
    chunks = UTF8_BOM + body if isinstance(body, str) else chain([UTF8_BOM], body)
    return as_download(chunks, "text/csv; charset=utf-8", filename)
