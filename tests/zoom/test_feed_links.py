"""Private feeds carry Zoom join links, read in one query however many sessions they hold."""

from __future__ import annotations

from tests.zoom.conftest import soon
from webinars.domain.calendars.tokens import issue_token, user_subject
from webinars.extensions import db
from webinars.models import FeedScope, MeetingState, Role, Visibility, ZoomMeeting


def ready_meeting(session_id: int) -> str:
    """Give the session a ready Zoom meeting (as the sync stores it); its join link."""
    link = f"https://zoom.example/j/{81000000000 + session_id}?pwd=feed{session_id}"
    db.session.add(
        ZoomMeeting(
            session_id=session_id,
            meeting_id=81000000000 + session_id,
            host_email="host1@example.edu",
            join_url=link,
            state=MeetingState.READY,
            attempts=0,
        )
    )
    return link


def private_feed_of(zoom_session, make_academy, make_user, sessions: int) -> tuple[str, list[str]]:
    """An academy with ``sessions`` Zoom sessions whose meetings are ready: its private
    feed's address and the join links."""
    academy = make_academy()
    coordinator = make_user(Role.COORDINATOR, academy_id=academy.id)
    links = []
    for n in range(sessions):
        session = zoom_session(
            academy_ids=[academy.id],
            visibility=Visibility.PARTNERS,
            starts_local=soon(days=2 + n),
        )
        links.append(ready_meeting(session.id))
    token = issue_token(FeedScope.ACADEMY, academy.id, user_subject(coordinator))
    db.session.commit()
    return f"/calendars/academies/{academy.slug}/{token}.ics", links


def queries_to_render(zoom_app, count_queries, url: str) -> tuple[int, bytes]:
    client = zoom_app.test_client()
    with count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200
    return counter.count, response.get_data()


def test_private_feed_reads_join_links_in_one_query_whatever_the_number_of_sessions(
    zoom_app, zctx, zoom_session, make_academy, make_user, count_queries
):
    zoom_app.config["FEED_FINGERPRINT_SECONDS"] = 0  # each render reads the fingerprint
    small_url, small_links = private_feed_of(zoom_session, make_academy, make_user, 2)
    large_url, large_links = private_feed_of(zoom_session, make_academy, make_user, 10)

    small, small_body = queries_to_render(zoom_app, count_queries, small_url)
    large, large_body = queries_to_render(zoom_app, count_queries, large_url)

    unfolded = large_body.replace(b"\r\n ", b"") + small_body.replace(b"\r\n ", b"")
    assert all(link.encode() in unfolded for link in small_links + large_links)
    assert large == small


def test_personal_feed_reads_join_links_in_one_query_whatever_the_number_of_sessions(
    zoom_app, zctx, zoom_session, make_user, count_queries
):
    from tests.registration.conftest import person
    from webinars.domain.registration.register import register
    from webinars.models import SessionKind

    zoom_app.config["FEED_FINGERPRINT_SECONDS"] = 0
    lecturer = make_user(Role.LECTURER)
    urls, links = [], []
    for n, sessions in ((1, 2), (2, 10)):
        email = f"student{n}@example.org"
        for day in range(sessions):
            session = zoom_session(
                actor=lecturer,
                capacity=5,
                kind=SessionKind.MASTER_CLASS,
                starts_local=soon(days=2 + day, hour=8 + n),
            )
            register(session.id, person(n), added_by=lecturer)  # a confirmed seat
            links.append(ready_meeting(session.id))
            db.session.commit()
        urls.append(f"/calendars/personal/{issue_token(FeedScope.PERSONAL, subject=email)}.ics")
        db.session.commit()

    small, small_body = queries_to_render(zoom_app, count_queries, urls[0])
    large, large_body = queries_to_render(zoom_app, count_queries, urls[1])

    unfolded = large_body.replace(b"\r\n ", b"") + small_body.replace(b"\r\n ", b"")
    assert all(link.encode() in unfolded for link in links)
    assert large == small
