"""The attendance tests' fixtures: registration's (tests/fixtures/registration.py) and a
session that is over, with registrants and Zoom stays."""

from tests.fixtures.attendance import ended_session  # noqa: F401 - pytest finds fixtures by name
from tests.fixtures.registration import (  # noqa: F401
    enrol,
    mail_app,
    mailbox,
    open_session,
    smtp_port,
)
