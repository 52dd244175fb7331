"""The calendar tests' fixtures (tests/fixtures/calendars.py)."""

from tests.fixtures.calendars import (  # noqa: F401 - pytest finds fixtures by name
    add_session,
    fetch_feed,
)
