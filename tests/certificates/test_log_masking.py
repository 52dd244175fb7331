"""Check-in and certificate codes (shorter than the 32-character runs every server line
is cut at) never reach a log in full; ordinary paths stay as they are."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

import pytest

from webinars.domain.attendance.check_in_codes import check_in_url
from webinars.extensions import db
from webinars.models import Certificate, Registration
from webinars.web.path_secrets import KEEP

SERVER_LOGGERS = ("werkzeug", "gunicorn.access")


def _logged(app, caplog, path: str, status: int) -> str:
    """What the servers' loggers (and the app's, on an error) keep of a request to path."""
    caplog.clear()
    with caplog.at_level(logging.INFO):
        logging.getLogger("werkzeug").info('127.0.0.1 - - "%s" %s %s', f"GET {path}", status, "-")
        logging.getLogger("gunicorn.access").info(
            "%(r)s %(s)s", {"r": f"GET {path} HTTP/1.1", "s": str(status)}
        )
        app.logger.error("Unhandled error on %s %s", "GET", path)
    return caplog.text


def test_a_real_check_in_url_is_masked_in_every_log(app, client, login, certified, caplog):
    ended = certified()
    with app.app_context():
        url = check_in_url(db.session.get(Registration, ended.people["emma"]))
    path = urlsplit(url).path
    code = path.rsplit("/", 1)[1]
    login(ended.lecturer)

    answer = client.get(path)
    text = _logged(app, caplog, path, answer.status_code)

    assert answer.status_code == 200  # the lecturer's phone opens it: a working code
    assert len(code) == 26
    assert code[KEEP:] not in text
    assert text.count(f"{code[:KEEP]}…") == 3


def test_a_real_certificate_verify_url_is_masked_in_every_log(app, client, certified, caplog):
    ended = certified()
    with app.app_context():
        code = db.session.execute(
            db.select(Certificate.code).where(Certificate.session_id == ended.id).limit(1)
        ).scalar_one()
    path = f"/certificates/{code}"

    answer = client.get(path)
    text = _logged(app, caplog, path, answer.status_code)

    assert answer.status_code == 200  # anyone may verify it: a working code
    assert code[KEEP:] not in text
    assert text.count(f"{code[:KEEP]}…") == 3


@pytest.mark.parametrize(
    "path",
    [
        "/manage/sessions/12/check-in",
        "/manage/sessions/12/check-in/tap",
        "/manage/sessions/12/certificates",
        "/manage/sessions/12/certificates/1234567/reissue",
        "/manage/sessions/12/certificates/1234567.pdf",
        "/manage/sessions/12/certificates.zip",
        "/admin/certificates",
        "/catalog/?q=neonatal-resuscitation-workshop",
        "/cooperation?year=2026&academy=south-kazakhstan-medical",
    ],
)
def test_ordinary_paths_are_logged_as_they_are(app, caplog, path):
    text = _logged(app, caplog, path, 200)

    assert "…" not in text
    assert text.count(path) == 3
