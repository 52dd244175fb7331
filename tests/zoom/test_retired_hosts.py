"""A host taken out of ZOOM_HOSTS while it still holds meetings: the meetings keep their
links, the sweep keeps watching the host, and if Zoom loses the user the meetings are made
again on a configured host (and registrants are told of the new link)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.web.markup import by_id, parse
from tests.zoom.conftest import marked, record_of, soon
from tests.zoom.test_pages import client_as
from webinars.domain.zoom.hosts import retired_hosts
from webinars.jobs import zoom as zoom_jobs
from webinars.jobs.zoom import current_setup, sweep_once, sync_one
from webinars.models import MeetingState, Role
from webinars.zoom import build_meeting_body

RETIRED, KEPT = "host1@example.edu", ("host2@example.edu", "host3@example.edu")


def retire_host1(zoom_app) -> None:
    zoom_app.config["ZOOM_HOSTS"] = ",".join(KEPT)


def on_retired_host(zoom_app, zoom_session, **fields):
    """A session whose meeting was made on host1, which has since left ZOOM_HOSTS."""
    session = zoom_session(**fields)
    sync_one(session.id)
    assert record_of(session.id).host_email == RETIRED
    retire_host1(zoom_app)
    return session


def test_retired_host_keeps_its_meeting_and_the_sweep_stays_quiet(
    zoom_app, zoom_session, zoom_server
):
    session = on_retired_host(zoom_app, zoom_session)
    meeting_id = record_of(session.id).meeting_id
    zoom_server.requests.clear()

    summary = sweep_once()

    listed = [r.path for r in zoom_server.api_requests("GET")]
    assert f"/v2/users/{RETIRED}/meetings" in listed
    assert summary.quiet
    assert zoom_server.meeting(meeting_id) is not None
    assert record_of(session.id).host_email == RETIRED
    assert retired_hosts(current_setup().hosts, datetime.now(UTC)) == {RETIRED: 1}


def test_sweep_deletes_leftovers_on_a_retired_host(
    zoom_app, zoom_session, zoom_server, zoom_client
):
    on_retired_host(zoom_app, zoom_session)
    leftover = zoom_client.create_meeting(
        RETIRED,
        build_meeting_body(
            session_id=987654,  # no such session
            topic="Made by a lost create",
            start=datetime.now(UTC) + timedelta(days=3),
            duration_minutes=30,
            timezone="Asia/Tashkent",
        ),
    )["id"]

    summary = sweep_once()

    assert summary.drift.orphans_deleted == [leftover]
    assert zoom_server.meeting(leftover) is None


def test_meeting_deleted_by_hand_on_a_retired_host_is_made_again_on_a_kept_host(
    zoom_app, zoom_session, zoom_server, zoom_client
):
    session = on_retired_host(zoom_app, zoom_session)
    zoom_client.delete_meeting(record_of(session.id).meeting_id)

    summary = sweep_once()

    (meeting,) = marked(zoom_server, session.id)
    record = record_of(session.id)
    assert summary.drift.missing == [session.id]
    assert [r.action for r in summary.results] == ["recreated"]
    assert (record.state, record.host_email) == (MeetingState.READY, KEPT[0])
    assert meeting["host_email"] == KEPT[0]


def test_retired_host_deleted_from_zoom_its_meetings_move_and_registrants_hear(
    zoom_app, zoom_session, zoom_server, monkeypatch
):
    session = on_retired_host(zoom_app, zoom_session)
    later = zoom_session(starts_local=soon(10))
    sync_one(later.id)
    assert record_of(later.id).host_email == KEPT[0]  # new meetings avoid the retired host
    old_link = record_of(session.id).join_url
    zoom_server.account.remove_user(RETIRED)  # and its meetings with it
    told: list[tuple[int, bool]] = []
    monkeypatch.setattr(
        zoom_jobs.jobs, "JOIN_LINK_HOOKS", [lambda sid, replaced: told.append((sid, replaced))]
    )

    first = sweep_once()
    second = sweep_once()

    record = record_of(session.id)
    (meeting,) = marked(zoom_server, session.id)
    assert first.drift.gone_hosts == [RETIRED]
    assert [r.action for r in first.results] == ["recreated"]
    assert record.state is MeetingState.READY
    assert record.host_email in KEPT and record.join_url not in (None, old_link)
    assert meeting["id"] == record.meeting_id
    assert told == [(session.id, True)]
    assert second.quiet  # the retired host holds nothing any more: no longer listed
    assert retired_hosts(current_setup().hosts) == {}


def test_admin_page_names_retired_hosts_that_still_hold_meetings(zoom_app, zoom_session, make_user):
    on_retired_host(zoom_app, zoom_session)
    admin = make_user(Role.ADMIN)

    page = parse(client_as(zoom_app, admin).get("/admin/integrations").get_data(True))

    text = by_id(page, "zoom-retired-hosts").text()
    assert text.startswith(
        "host1@example.edu is no longer in ZOOM_HOSTS but still hosts 1 upcoming meeting."
    )
    assert RETIRED not in by_id(page, "zoom-hosts").text()
