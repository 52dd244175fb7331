"""The sessions tests' fixtures (tests/fixtures/sessions.py)."""

from tests.fixtures.sessions import (  # noqa: F401 - pytest finds fixtures by name
    izhevsk,
    shymkent,
    store,
)
