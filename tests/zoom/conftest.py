"""The Zoom tests' fixtures: the stand-in server (tests/fakes) and an app whose Zoom
settings point at it (tests/fixtures/zoom.py)."""

from tests.fakes.zoom_fixtures import (  # noqa: F401 - pytest finds fixtures by name
    make_zoom_client,
    webhook_sender,
    zoom_client,
    zoom_server,
    zoom_server_session,
)
from tests.fixtures.zoom import (  # noqa: F401 - pytest finds fixtures by name
    zctx,
    zoom_app,
    zoom_session,
)
