"""Fixtures for the Zoom layer's tests: the stand-in server and clients wired to it."""

from __future__ import annotations

from tests.fakes.zoom_fixtures import (  # noqa: F401  (pytest finds fixtures by name)
    make_zoom_client,
    webhook_sender,
    zoom_client,
    zoom_server,
    zoom_server_session,
)
