"""The operations tests' fixtures (tests/fixtures/registration.py: mail, sessions)."""

from tests.fixtures.registration import (  # noqa: F401 - pytest finds fixtures by name
    mailbox,
    open_session,
    smtp_port,
)
