"""The same data gives the same bytes in every process, whatever PYTHONHASHSEED is."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from webinars.domain.sessions.rules import GuestInput
from webinars.models import Role, SessionKind, Visibility

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
import sys
from webinars import create_app
app = create_app({"SQLALCHEMY_DATABASE_URI": sys.argv[1]})
client = app.test_client()
out = b""
for url in sys.argv[2:]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    out += response.headers["ETag"].encode() + b"\\n" + response.data
sys.stdout.buffer.write(out)
"""


def _render_in_process(database_url: str, urls: list[str], seed: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, database_url, *urls],
        env=env,
        cwd=ROOT,
        capture_output=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    return result.stdout


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_same_bytes_whatever_the_hash_seed(app, client, add_session, make_academy, make_user):
    academies = [
        make_academy(slug="izhevsk", time_zone="Europe/Samara", name_ru="Ижевск"),
        make_academy(slug="shymkent", time_zone="Asia/Almaty", city="Shymkent"),
    ]
    lecturers = [make_user(Role.LECTURER, name=n) for n in ("Zarina B", "Anvar A", "Olga C")]
    for i, zone in enumerate(["Asia/Samarkand", "Europe/Samara", "Asia/Almaty", "Europe/Berlin"]):
        add_session(
            days=3 + i,
            time_zone=zone,
            kind=SessionKind.MASTER_CLASS if i % 2 else SessionKind.WEBINAR,
            capacity=30,
            lecturer_ids=[u.id for u in lecturers],
            academy_ids=[a.id for a in academies],
            guests=[GuestInput("Guest Ü", "Clinic; Ward 3, Bed 2"), GuestInput("Гость")],
            description="Детская кардиология, 2-я часть; сложные случаи.",
            visibility=Visibility.PUBLIC if i != 2 else Visibility.PARTNERS,
        )
    urls = [
        "/calendars/all.ics",
        "/calendars/all.ics?locale=ru&kind=webinar",
        "/calendars/academies/izhevsk.ics",
        f"/calendars/lecturers/{lecturers[0].id}.ics",
    ]
    database_url = app.config["SQLALCHEMY_DATABASE_URI"]
    here = b"".join(
        client.get(u).headers["ETag"].encode() + b"\n" + client.get(u).data for u in urls
    )
    first = _render_in_process(database_url, urls, "1")
    second = _render_in_process(database_url, urls, "4242")
    assert first == second
    assert first == here
    assert here.count(b"BEGIN:VEVENT") == 3 + 1 + 3 + 3  # public ones; 1 webinar
