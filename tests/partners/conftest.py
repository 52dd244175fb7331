"""The partner tests' fixtures (tests/fixtures/registration.py, tests/fixtures/partners.py)."""

from tests.fixtures.registration import (  # noqa: F401 - pytest finds fixtures by name
    enrol,
    mail_app,
    mailbox,
    open_session,
    smtp_port,
    threaded_app,
)
