"""Files the pages hand out: a response the browser saves under a given name."""

from __future__ import annotations

from collections.abc import Iterable

from flask import Response


def as_download(body: bytes | str | Iterable[str], content_type: str, filename: str) -> Response:
    """`body` as an attachment named `filename` (saved, not shown in the browser)."""
    response = Response(body, content_type=content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
