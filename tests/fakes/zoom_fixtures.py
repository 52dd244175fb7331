"""Pytest fixtures for the stand-in Zoom server.

Import the ones you need into a conftest.py or test module::

    from tests.fakes.zoom_fixtures import zoom_client, zoom_server, zoom_server_session

One server runs per test session (per xdist worker); ``zoom_server`` resets it for each
test, so tests see an empty account with default limits and no faults.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.fakes.zoom_server import ZoomServer
from tests.fakes.zoom_webhooks import WebhookSender
from webinars.zoom import MemoryTokenStore, ZoomClient

WEBHOOK_SECRET = "fake-webhook-secret-token"
CLIENT_TIMEOUT = 1.0  # seconds; the stand-in's slow replies (1.5 s by default) take longer


@pytest.fixture(scope="session")
def zoom_server_session() -> Iterator[ZoomServer]:
    """The stand-in Zoom server, started once per test session."""
    server = ZoomServer().start()
    yield server
    server.stop()


@pytest.fixture
def zoom_server(zoom_server_session: ZoomServer) -> ZoomServer:
    """The stand-in Zoom server, reset: no meetings, tokens, faults or recorded requests."""
    zoom_server_session.reset()
    return zoom_server_session


@pytest.fixture
def make_zoom_client(zoom_server: ZoomServer) -> Callable[..., ZoomClient]:
    """A factory of clients wired to the stand-in; keyword arguments override the defaults."""

    def make(**overrides: Any) -> ZoomClient:
        options: dict[str, Any] = {
            "oauth_url": zoom_server.oauth_url,
            "api_base_url": zoom_server.api_base_url,
            "token_store": MemoryTokenStore(),
            "timeout": CLIENT_TIMEOUT,
        }
        options.update(overrides)
        return ZoomClient(
            zoom_server.account_id, zoom_server.client_id, zoom_server.client_secret, **options
        )

    return make


@pytest.fixture
def zoom_client(make_zoom_client: Callable[..., ZoomClient]) -> ZoomClient:
    """A client of the stand-in with its own in-memory token cache."""
    return make_zoom_client()


@pytest.fixture
def webhook_sender() -> WebhookSender:
    """Signs events with ``WEBHOOK_SECRET``, as Zoom would."""
    return WebhookSender(WEBHOOK_SECRET)
