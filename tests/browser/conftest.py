"""The browser tests' fixtures (tests/fixtures/browser.py): the app here is the
browser's own (a file database, CSRF on)."""

from tests.fixtures.browser import (  # noqa: F401 - pytest finds fixtures by name
    _require_chromium,
    app,
    browser,
    live_server,
    new_page,
    page,
    phone_page,
    screenshot,
    sign_in,
)
