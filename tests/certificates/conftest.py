"""The certificate tests' fixtures (tests/fixtures/attendance.py, registration.py)."""

from tests.fixtures.attendance import certified, ended_session  # noqa: F401 - by name
from tests.fixtures.registration import (  # noqa: F401
    enrol,
    mail_app,
    mailbox,
    open_session,
    smtp_port,
)
