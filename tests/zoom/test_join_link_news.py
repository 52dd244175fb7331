"""A join link that appears or changes after students registered reaches them: confirmed
registrants get one email with the link and an updated invitation (over real SMTP on
loopback), nobody else does, a changed link is in the audit trail without its secret."""

# ruff: noqa: F811 - the registration fixtures imported below are used as test arguments
from __future__ import annotations

import pytest
from icalendar import Calendar

from tests.registration.conftest import (  # noqa: F401  (pytest finds fixtures by name)
    enrol,
    mail_app,
    mailbox,
    outbox,
    person,
    smtp_port,
)
from tests.zoom.conftest import record_of
from tests.zoom.test_pages import client_as
from webinars.domain.registration.notices import still_wanted
from webinars.domain.sessions.conferencing import link_label
from webinars.extensions import db
from webinars.jobs import zoom as zoom_jobs
from webinars.jobs.registration import deliver_now
from webinars.models import AuditEntry, MailStatus, OutboxMessage, Role, Session, SessionKind

STUDENT, HELD = "student1@example.org", "student2@example.org"


@pytest.fixture
def registered(zoom_app, mail_app, mailbox, zctx, zoom_session, make_user, enrol):
    """A Zoom master class with one confirmed and one held registrant, their first emails
    sent, and no meeting yet."""
    lecturer = make_user(Role.LECTURER)
    session = zoom_session(actor=lecturer, capacity=5, kind=SessionKind.MASTER_CLASS)
    enrol(session.id, person(1), added_by=lecturer)  # a confirmed seat
    enrol(session.id, person(2))  # held until the address is confirmed
    deliver_now()
    assert [m["Subject"] for m in mailbox.to(STUDENT)] == [f"You are registered: {session.title}"]
    return {"session": session, "lecturer": lecturer}


def delete_in_zoom_and_sync(session_id: int, zoom_client) -> None:
    """Someone deletes the meeting in Zoom; the sync (told by the sweep or the webhook)
    makes another, with a new link."""
    record = record_of(session_id)
    zoom_client.delete_meeting(record.meeting_id)
    record.verify_needed = True
    db.session.commit()
    zoom_jobs.sync_session(session_id)


def join_mails(mailbox, address: str) -> list:
    return [m for m in mailbox.to(address) if m["Subject"].startswith("Join link:")]


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def invitation_url(message) -> str:
    (part,) = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    (event,) = Calendar.from_ical(part.get_content()).walk("VEVENT")
    return str(event.get("URL") or "") + " " + str(event.get("DESCRIPTION") or "")


def test_first_join_link_reaches_confirmed_registrants_only(registered, mailbox):
    session = registered["session"]
    before = db.session.get(Session, session.id).updated_at

    zoom_jobs.sync_session(session.id)

    link = record_of(session.id).join_url
    (mail,) = join_mails(mailbox, STUDENT)
    assert mail["Subject"] == f"Join link: {session.title}"
    assert "The link to join the session is ready." in text_of(mail)
    assert f"Join: {link}" in text_of(mail)
    assert link in invitation_url(mail)
    assert join_mails(mailbox, HELD) == []
    db.session.expire_all()
    assert db.session.get(Session, session.id).updated_at > before  # private feeds re-render


def test_join_link_news_is_sent_once_however_often_the_sync_runs(registered, mailbox):
    session = registered["session"]
    zoom_jobs.sync_session(session.id)

    zoom_jobs.sync_session(session.id)
    zoom_jobs.follow_up(zoom_jobs.sync_one(session.id))

    assert len(join_mails(mailbox, STUDENT)) == 1


def test_new_join_link_after_a_meeting_deleted_in_zoom_is_sent_and_audited(
    registered,
    mailbox,
    zoom_client,
):
    session = registered["session"]
    zoom_jobs.sync_session(session.id)
    old_link = record_of(session.id).join_url
    sequence = db.session.get(Session, session.id).sequence

    delete_in_zoom_and_sync(session.id, zoom_client)

    new_link = record_of(session.id).join_url
    first, second = join_mails(mailbox, STUDENT)
    assert new_link != old_link
    assert "The link to join the session has changed." in text_of(second)
    assert f"Join: {new_link}" in text_of(second)
    assert new_link in invitation_url(second)
    db.session.expire_all()
    (entry,) = db.session.execute(
        db.select(AuditEntry).where(
            AuditEntry.session_id == session.id, AuditEntry.action == "join_link_changed"
        )
    ).scalars()
    assert entry.user_id is None
    assert entry.changes == {"join_url": [link_label(old_link), link_label(new_link)]}
    assert db.session.get(Session, session.id).sequence == sequence + 1


def test_audit_trail_names_the_new_link_without_its_secret(
    zoom_app, registered, zoom_client, make_user
):
    session = registered["session"]
    zoom_jobs.sync_session(session.id)
    delete_in_zoom_and_sync(session.id, zoom_client)
    link = record_of(session.id).join_url
    other_lecturer = make_user(Role.LECTURER)  # may read the page, not the link

    html = client_as(zoom_app, other_lecturer).get(f"/manage/sessions/{session.id}").get_data(True)

    meeting_id = str(record_of(session.id).meeting_id)
    assert "New Zoom join link" in html
    assert f"/j/…{meeting_id[-4:]}" in html
    assert link not in html and meeting_id not in html and "pwd=" not in html


def test_confirmation_still_in_the_outbox_carries_the_link_instead(
    zoom_app,
    zctx,
    zoom_session,
    make_user,
    enrol,
):
    lecturer = make_user(Role.LECTURER)
    session = zoom_session(actor=lecturer, capacity=5, kind=SessionKind.MASTER_CLASS)
    enrol(session.id, person(1), added_by=lecturer)  # no mail server: it waits

    zoom_jobs.sync_session(session.id)

    link = record_of(session.id).join_url
    assert outbox(zoom_app, kind="join_link") == []
    (confirmed,) = outbox(zoom_app, kind="confirmed")
    assert f"Join: {link}" in confirmed.text_body


def test_join_link_email_is_dropped_when_the_link_changed_again_before_sending(
    zoom_app,
    zctx,
    zoom_session,
    make_user,
    enrol,
    zoom_client,
):
    lecturer = make_user(Role.LECTURER)
    session = zoom_session(actor=lecturer, capacity=5, kind=SessionKind.MASTER_CLASS)
    enrol(session.id, person(1), added_by=lecturer)
    db.session.execute(db.update(OutboxMessage).values(status=MailStatus.SENT))
    db.session.commit()  # the confirmation went out before the meeting was made
    zoom_jobs.sync_session(session.id)  # the first link: one email queued

    delete_in_zoom_and_sync(session.id, zoom_client)  # a second link before the first went

    first, second = outbox(zoom_app, kind="join_link")
    assert (first.params, second.params) == ({"replaced": False}, {"replaced": True})
    assert first.rendered_at is None  # not wanted: the worker would drop it
    assert still_wanted(db.session.get(OutboxMessage, first.id)) == (
        "the join link changed again (a later email carries it)"
    )
    assert f"Join: {record_of(session.id).join_url}" in second.text_body
