"""The access matrix: every route in the URL map, for every kind of visitor.

HOW TO ADD A ROUTE: add a key to ACCESS named after the endpoint (`blueprint.view`),
with one or more `Case`s. A case names the URL arguments by the world object they point
at (see the `world` fixture; add your own objects there, e.g. a feed token), and says
what each role gets: a status code, `LOGIN` (sent to sign in) or `Redirect("/path")`.
GET routes are requested with GET; routes without GET with POST (empty form; CSRF is
off in TestingConfig). A case may name another method, e.g. GET on a POST-only route.
A route missing from ACCESS fails `test_every_route_has_a_rule` with its name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask, url_for

from tests.fixtures.app import PASSWORD
from tests.fixtures.partners import partners_world
from tests.fixtures.registration import registration_world
from webinars.domain.attendance.check_in_codes import check_in_code
from webinars.domain.calendars.tokens import find_token, issue_token, user_subject
from webinars.domain.partners.agreements import attach_document, store_document
from webinars.domain.sessions.closures import add_closure
from webinars.domain.sessions.scheduling import cancel_session
from webinars.extensions import db
from webinars.models import (
    Agreement,
    AgreementKind,
    FeedScope,
    Registration,
    Role,
    Session,
    SessionStatus,
    Visibility,
)

ROLES = ("anonymous", "lecturer", "coordinator", "admin")
SKIPPED_ENDPOINTS = {"static", "bootstrap.static"}


@dataclass(frozen=True)
class Redirect:
    """A 302 to this path; `{name}` is replaced by the id of a world object."""

    path: str


OK, FORBIDDEN, MISSING, NOT_ALLOWED = 200, 403, 404, 405
LOGIN = Redirect("/login")  # anonymous visitors on staff pages are sent to sign in
Expected = int | Redirect


@dataclass(frozen=True)
class Case:
    """One request: URL arguments (by world object name) and what each role gets."""

    expect: dict[str, Expected]
    args: dict[str, str] = field(default_factory=dict)
    method: str | None = None  # None: GET if the route allows it, else POST

    def __post_init__(self) -> None:
        assert set(self.expect) == set(ROLES), f"say what every role gets: {self.expect}"


def everyone(expected: Expected, **args: str) -> Case:
    """The same answer for every visitor."""
    return Case({role: expected for role in ROLES}, args)


def staff(
    lecturer: Expected = OK,
    coordinator: Expected = OK,
    admin: Expected = OK,
    method: str | None = None,
    **args: str,
) -> Case:
    """A staff page: anonymous visitors are sent to sign in."""
    return Case(
        {"anonymous": LOGIN, "lecturer": lecturer, "coordinator": coordinator, "admin": admin},
        args,
        method,
    )


def scheduler(**args: str) -> Case:
    """Admins and lecturers only (on a session the lecturer teaches)."""
    return staff(coordinator=FORBIDDEN, **args)


def admin_only(method: str | None = None, **args: str) -> Case:
    """Admin pages: lecturers and coordinators are refused."""
    return staff(lecturer=FORBIDDEN, coordinator=FORBIDDEN, method=method, **args)


ADMIN_ACTION_DONE = Redirect("/admin/academies")
SESSION_PAGE = "/manage/sessions/{%s}"
ATTENDANCE_PAGE = Redirect("/manage/sessions/{own_session}/attendance")
OTHERS_ATTENDANCE_PAGE = Redirect("/manage/sessions/{others_session}/attendance")
CHECK_IN_LIST = Redirect("/manage/sessions/{own_session}/check-in")
OTHERS_CHECK_IN_LIST = Redirect("/manage/sessions/{others_session}/check-in")

# endpoint -> cases. World objects: own_session (taught by the signed-in lecturer, at the
# coordinator's academy), others_session (another lecturer's, same academy),
# others_draft (another lecturer's draft), partners_session (another lecturer's,
# partners only, at another academy), cancelled_session (own, cancelled), nothing (an id
# that exists nowhere), other_lecturer (a user), other_academy.
ACCESS: dict[str, list[Case]] = {
    # Public pages
    "public.index": [everyone(OK)],
    "public.session_page": [
        everyone(OK, session_id="own_session"),
        everyone(OK, session_id="cancelled_session"),  # stays visible, marked cancelled
        everyone(MISSING, session_id="others_draft"),
        everyone(MISSING, session_id="partners_session"),
        everyone(MISSING, session_id="nothing"),
    ],
    "public.readyz": [everyone(OK)],
    "public.livez": [everyone(OK)],
    "cooperation.index": [everyone(OK)],
    # Answers by address or token, not by role: the test client is on loopback (strangers
    # and METRICS_TOKEN are tested in tests/operations/test_metrics.py).
    "metrics.metrics": [everyone(OK)],
    # Sign-in and account
    "auth.login": [
        Case(
            {
                "anonymous": OK,
                "lecturer": Redirect("/manage/"),
                "coordinator": Redirect("/manage/"),
                "admin": Redirect("/manage/"),
            }
        )
    ],
    "auth.logout": [
        staff(Redirect("/"), Redirect("/"), Redirect("/")),
        Case({role: NOT_ALLOWED for role in ROLES}, method="GET"),  # a link cannot sign out
    ],
    "auth.set_language": [everyone(Redirect("/"))],
    "auth.account": [staff()],
    # Staff pages
    "manage.dashboard": [staff()],
    # The cooperation report: staff (a coordinator's limited to their academy's sessions)
    "reports.index": [staff()],
    "reports.sessions": [staff()],
    "reports.export_xlsx": [staff()],
    "reports.export_csv": [staff()],
    "manage.schedule": [staff()],
    "manage.session_page": [
        staff(session_id="own_session"),
        staff(session_id="others_session"),
        staff(OK, MISSING, OK, session_id="partners_session"),  # not the coordinator's academy
        staff(MISSING, MISSING, OK, session_id="others_draft"),  # drafts: their people only
        staff(MISSING, MISSING, MISSING, session_id="nothing"),
    ],
    "manage.create": [scheduler()],
    "manage.duplicate": [
        scheduler(session_id="own_session"),
        scheduler(session_id="others_session"),
        staff(MISSING, FORBIDDEN, OK, session_id="others_draft"),
    ],
    "manage.edit": [
        scheduler(session_id="own_session"),
        staff(FORBIDDEN, FORBIDDEN, OK, session_id="others_session"),
        staff(MISSING, FORBIDDEN, OK, session_id="others_draft"),
        staff(MISSING, FORBIDDEN, MISSING, session_id="nothing"),
    ],
    "manage.reschedule": [
        scheduler(session_id="own_session"),
        staff(FORBIDDEN, FORBIDDEN, OK, session_id="others_session"),
        staff(MISSING, FORBIDDEN, OK, session_id="others_draft"),
        staff(
            Redirect(SESSION_PAGE % "cancelled_session"),
            FORBIDDEN,
            Redirect(SESSION_PAGE % "cancelled_session"),
            session_id="cancelled_session",
        ),
    ],
    "manage.cancel": [
        scheduler(session_id="own_session"),
        staff(FORBIDDEN, FORBIDDEN, OK, session_id="others_session"),
        staff(MISSING, FORBIDDEN, OK, session_id="others_draft"),
        staff(
            Redirect(SESSION_PAGE % "cancelled_session"),
            FORBIDDEN,
            Redirect(SESSION_PAGE % "cancelled_session"),
            session_id="cancelled_session",
        ),
    ],
    # Student registration (no account: the manage link is the key)
    "catalog.index": [everyone(OK)],
    "catalog.register_form": [
        everyone(OK, session_id="own_session"),
        everyone(OK, session_id="cancelled_session"),  # the form, saying it is closed
        everyone(MISSING, session_id="partners_session"),
        everyone(MISSING, session_id="others_draft"),
        everyone(MISSING, session_id="nothing"),
        Case({role: 422 for role in ROLES}, {"session_id": "own_session"}, "POST"),
        Case({role: 409 for role in ROLES}, {"session_id": "cancelled_session"}, "POST"),
    ],
    "catalog.registered": [
        everyone(OK, session_id="own_session"),
        everyone(MISSING, session_id="partners_session"),
    ],
    "my_registration.manage": [
        everyone(OK, token="registration_token"),
        everyone(MISSING, token="nothing"),
    ],
    "my_registration.confirm_address": [
        everyone(OK, token="registration_token"),  # GET asks; POST confirms
        everyone(MISSING, token="nothing"),
    ],
    "my_registration.cancel_registration": [
        everyone(OK, token="registration_token"),  # asks first; POST with confirm=yes cancels
        everyone(MISSING, token="nothing"),
    ],
    "my_registration.replace_link": [
        everyone(OK, token="spare_token"),  # emails a new link; this one stops working
        everyone(MISSING, token="nothing"),
    ],
    "my_registration.invitation": [
        everyone(OK, token="confirmed_token"),
        everyone(MISSING, token="registration_token"),  # no confirmed seat, no invitation
    ],
    "my_registration.new_feed": [
        everyone(OK, token="registration_token"),  # another address than the feed's below
        everyone(MISSING, token="nothing"),
    ],
    "my_registration.personal_feed": [
        everyone(OK, token="personal_feed_token"),
        everyone(MISSING, token="nothing"),
    ],
    # Registrants: personal data, the session's lecturers and admins only
    "registrants.index": [
        staff(OK, FORBIDDEN, OK, session_id="own_session"),
        staff(FORBIDDEN, FORBIDDEN, OK, session_id="others_session"),
        staff(MISSING, MISSING, MISSING, session_id="nothing"),
    ],
    "registrants.export": [
        staff(OK, FORBIDDEN, OK, session_id="own_session"),
        staff(FORBIDDEN, FORBIDDEN, OK, session_id="others_session"),
    ],
    "registrants.add": [
        staff(422, FORBIDDEN, 422, session_id="own_session"),  # an empty form
        staff(FORBIDDEN, FORBIDDEN, 422, session_id="others_session"),
    ],
    "registrants.remove_one": [
        staff(
            Redirect("/manage/sessions/{own_session}/registrants"),
            FORBIDDEN,
            Redirect("/manage/sessions/{own_session}/registrants"),
            session_id="own_session",
            registration_id="own_registration",
        ),
        staff(
            FORBIDDEN,
            FORBIDDEN,
            MISSING,
            session_id="others_session",
            registration_id="own_registration",
        ),  # not that session's registration
    ],
    "registrants.promote_one": [
        staff(
            Redirect("/manage/sessions/{own_session}/registrants"),
            FORBIDDEN,
            Redirect("/manage/sessions/{own_session}/registrants"),
            session_id="own_session",
            registration_id="own_registration",
        ),
    ],
    "registrants.capacity": [
        staff(422, FORBIDDEN, 422, session_id="own_session"),
        staff(FORBIDDEN, FORBIDDEN, 422, session_id="others_session"),
    ],
    "registrants.message": [
        staff(422, FORBIDDEN, 422, session_id="own_session"),
        staff(FORBIDDEN, FORBIDDEN, 422, session_id="others_session"),
    ],
    # Attendance and check-in: personal data, the session's lecturers and admins only
    "attendance.index": [
        staff(OK, FORBIDDEN, OK, session_id="own_session"),
        staff(FORBIDDEN, FORBIDDEN, OK, session_id="others_session"),
        staff(MISSING, MISSING, MISSING, session_id="nothing"),
    ],
    "attendance.share": [
        staff(422, FORBIDDEN, 422, session_id="own_session"),  # an empty form
        staff(FORBIDDEN, FORBIDDEN, 422, session_id="others_session"),
    ],
    "attendance.override_one": [
        staff(422, FORBIDDEN, 422, session_id="own_session"),
        staff(FORBIDDEN, FORBIDDEN, 422, session_id="others_session"),
    ],
    "attendance.walk_in": [
        staff(422, FORBIDDEN, 422, session_id="own_session"),
        staff(FORBIDDEN, FORBIDDEN, 422, session_id="others_session"),
    ],
    "attendance.confirm_name": [  # nobody named: refused with a message on the page
        staff(ATTENDANCE_PAGE, FORBIDDEN, ATTENDANCE_PAGE, session_id="own_session"),
        staff(MISSING, MISSING, MISSING, session_id="nothing"),
    ],
    "attendance.unlink_name": [
        staff(ATTENDANCE_PAGE, FORBIDDEN, ATTENDANCE_PAGE, session_id="own_session"),
        staff(FORBIDDEN, FORBIDDEN, OTHERS_ATTENDANCE_PAGE, session_id="others_session"),
    ],
    "attendance.finalise_list": [  # not over yet: refused with a message on the page
        staff(ATTENDANCE_PAGE, FORBIDDEN, ATTENDANCE_PAGE, session_id="own_session"),
        staff(FORBIDDEN, FORBIDDEN, OTHERS_ATTENDANCE_PAGE, session_id="others_session"),
    ],
    "attendance.check_in_list": [
        staff(OK, FORBIDDEN, OK, session_id="own_session"),
        staff(FORBIDDEN, FORBIDDEN, OK, session_id="others_session"),
    ],
    "attendance.check_in_one": [
        staff(CHECK_IN_LIST, FORBIDDEN, CHECK_IN_LIST, session_id="own_session"),
        staff(FORBIDDEN, FORBIDDEN, OTHERS_CHECK_IN_LIST, session_id="others_session"),
        staff(MISSING, MISSING, MISSING, session_id="nothing"),
    ],
    "attendance.scanned": [
        staff(
            OK,
            FORBIDDEN,
            OK,
            session_id="own_session",
            registration_id="own_registration",
            code="own_check_in_code",
        ),
        staff(  # a code that is not this registration's
            MISSING,
            FORBIDDEN,
            MISSING,
            session_id="own_session",
            registration_id="own_registration",
            code="wrong_check_in_code",
        ),
        staff(  # the right code on another session's address
            FORBIDDEN,
            FORBIDDEN,
            MISSING,
            session_id="others_session",
            registration_id="own_registration",
            code="own_check_in_code",
        ),
    ],
    "attendance.export": [
        staff(OK, FORBIDDEN, OK, session_id="own_session", fmt="csv_format"),
        staff(FORBIDDEN, FORBIDDEN, OK, session_id="others_session", fmt="xlsx_format"),
    ],
    # Certificates: the public check by code; the session's staff for the rest
    "certificate_check.verify": [everyone(MISSING, code="nothing")],
    "certificates.index": [
        staff(OK, FORBIDDEN, OK, session_id="own_session"),
        staff(FORBIDDEN, FORBIDDEN, OK, session_id="others_session"),
    ],
    "certificates.download_all": [
        staff(OK, FORBIDDEN, OK, session_id="own_session"),
        staff(FORBIDDEN, FORBIDDEN, OK, session_id="others_session"),
    ],
    "certificates.view": [
        staff(MISSING, FORBIDDEN, MISSING, session_id="own_session", certificate_id="nothing"),
        staff(FORBIDDEN, FORBIDDEN, MISSING, session_id="others_session", certificate_id="nothing"),
    ],
    "certificates.download": [
        staff(MISSING, FORBIDDEN, MISSING, session_id="own_session", certificate_id="nothing"),
        staff(FORBIDDEN, FORBIDDEN, MISSING, session_id="others_session", certificate_id="nothing"),
    ],
    "certificates.revoke_one": [
        staff(MISSING, FORBIDDEN, MISSING, session_id="own_session", certificate_id="nothing"),
        staff(FORBIDDEN, FORBIDDEN, MISSING, session_id="others_session", certificate_id="nothing"),
    ],
    "certificates.reissue_one": [
        staff(MISSING, FORBIDDEN, MISSING, session_id="own_session", certificate_id="nothing"),
        staff(FORBIDDEN, FORBIDDEN, MISSING, session_id="others_session", certificate_id="nothing"),
    ],
    "my_registration.certificate": [  # no certificate yet; another's is never reachable
        everyone(MISSING, token="registration_token"),
        everyone(MISSING, token="nothing"),
    ],
    "my_registration.certificate_correction": [
        everyone(MISSING, token="registration_token"),
        everyone(MISSING, token="nothing"),
    ],
    "admin.certificate_layout": [admin_only()],
    "admin.save_certificate_layout": [staff(FORBIDDEN, FORBIDDEN, 422)],  # an empty form
    "outbox.index": [admin_only()],
    "outbox.message": [
        admin_only(message_id="outbox_message"),
        staff(FORBIDDEN, FORBIDDEN, MISSING, message_id="nothing"),
    ],
    "outbox.attachment": [admin_only(message_id="outbox_message")],
    # Admin pages
    "admin.overview": [admin_only()],
    "admin.users": [admin_only()],
    "admin.user_new": [admin_only()],
    "admin.user_edit": [
        admin_only(user_id="other_lecturer"),
        staff(FORBIDDEN, FORBIDDEN, MISSING, user_id="nothing"),
    ],
    "admin.academies": [admin_only()],
    "admin.academy_new": [admin_only()],
    "admin.academy_edit": [
        admin_only(academy_id="other_academy"),
        staff(FORBIDDEN, FORBIDDEN, MISSING, academy_id="nothing"),
    ],
    "admin.academy_archive": [
        staff(FORBIDDEN, FORBIDDEN, ADMIN_ACTION_DONE, academy_id="other_academy"),
        staff(FORBIDDEN, FORBIDDEN, MISSING, academy_id="nothing"),
    ],
    # Agreements: admins edit; the scanned document goes to staff, a coordinator only
    # their own academy's (home_agreement: the coordinator's academy; other_agreement:
    # another academy's; both with a document; spare_agreement gets deleted)
    "admin.cooperation": [admin_only()],
    "admin.agreement_new": [
        admin_only(academy_id="other_academy"),
        staff(FORBIDDEN, FORBIDDEN, MISSING, academy_id="nothing"),
    ],
    "admin.agreement_edit": [admin_only(agreement_id="other_agreement")],
    "admin.agreement_delete": [
        staff(FORBIDDEN, FORBIDDEN, ADMIN_ACTION_DONE, agreement_id="spare_agreement"),
        staff(FORBIDDEN, FORBIDDEN, MISSING, agreement_id="nothing"),
    ],
    "admin.agreement_document": [
        staff(agreement_id="home_agreement"),
        staff(OK, FORBIDDEN, OK, agreement_id="other_agreement"),
        staff(MISSING, MISSING, MISSING, agreement_id="nothing"),
    ],
    "admin.invitations": [admin_only()],
    "admin.invitation_revoke": [
        staff(FORBIDDEN, FORBIDDEN, Redirect("/admin/invitations"), invitation_id="invitation"),
        staff(FORBIDDEN, FORBIDDEN, MISSING, invitation_id="nothing"),
    ],
    # Partner side: a coordinator's invitation link (the token is the key)
    "partners.invitation": [
        everyone(OK, token="invitation_token"),
        everyone(MISSING, token="bad_token"),
    ],
    # Lecture requests: staff see all, a coordinator their academy's; each side its steps
    "partners.requests": [staff()],
    "partners.request_new": [staff(FORBIDDEN, OK, FORBIDDEN)],
    "partners.request_page": [
        staff(request_id="lecture_request"),
        staff(OK, MISSING, OK, request_id="others_request"),  # another academy's
        staff(MISSING, MISSING, MISSING, request_id="nothing"),
    ],
    "partners.request_accept": [staff(422, FORBIDDEN, 422, request_id="lecture_request")],
    "partners.request_propose": [staff(422, FORBIDDEN, 422, request_id="lecture_request")],
    "partners.request_decline": [staff(422, FORBIDDEN, 422, request_id="lecture_request")],
    "partners.request_agree": [
        staff(
            FORBIDDEN,
            Redirect("/partners/requests/{lecture_request}"),
            FORBIDDEN,
            request_id="lecture_request",
        ),
        staff(FORBIDDEN, MISSING, FORBIDDEN, request_id="others_request"),
    ],
    "partners.request_withdraw": [
        staff(
            FORBIDDEN,
            Redirect("/partners/requests/{lecture_request}"),
            FORBIDDEN,
            request_id="lecture_request",
        ),
        staff(FORBIDDEN, MISSING, FORBIDDEN, request_id="others_request"),
    ],
    "partners.request_answer": [
        staff(FORBIDDEN, 422, FORBIDDEN, request_id="lecture_request"),
        staff(FORBIDDEN, MISSING, FORBIDDEN, request_id="others_request"),
    ],
    # Reserved seats: the session's lecturers and admins set them; the academy's
    # coordinators nominate (another academy's quota is not there for them)
    "partners.quotas": [
        scheduler(session_id="own_session"),
        staff(FORBIDDEN, FORBIDDEN, OK, session_id="others_session"),
        staff(MISSING, FORBIDDEN, MISSING, session_id="nothing"),
    ],
    "partners.quota_remove": [
        staff(
            Redirect("/partners/sessions/{quota_session}/quotas"),
            FORBIDDEN,
            Redirect("/partners/sessions/{quota_session}/quotas"),
            session_id="quota_session",
            quota_id="removable_quota",
        ),
        staff(MISSING, FORBIDDEN, MISSING, session_id="quota_session", quota_id="nothing"),
    ],
    "partners.dashboard": [staff(FORBIDDEN, OK, FORBIDDEN)],
    "partners.nominations": [
        staff(FORBIDDEN, OK, FORBIDDEN, quota_id="own_quota"),
        staff(FORBIDDEN, MISSING, FORBIDDEN, quota_id="others_quota"),
    ],
    "partners.nominate_one": [
        staff(FORBIDDEN, 422, FORBIDDEN, quota_id="own_quota"),
        staff(FORBIDDEN, MISSING, FORBIDDEN, quota_id="others_quota"),
    ],
    "partners.nominate_preview": [
        staff(FORBIDDEN, 422, FORBIDDEN, quota_id="own_quota"),
        staff(FORBIDDEN, MISSING, FORBIDDEN, quota_id="others_quota"),
    ],
    "partners.nominate_confirm": [
        staff(FORBIDDEN, Redirect("/partners/quotas/{own_quota}"), FORBIDDEN, quota_id="own_quota"),
        staff(FORBIDDEN, MISSING, FORBIDDEN, quota_id="others_quota"),
    ],
    "admin.academy_restore": [
        staff(FORBIDDEN, FORBIDDEN, ADMIN_ACTION_DONE, academy_id="other_academy"),
        staff(FORBIDDEN, FORBIDDEN, MISSING, academy_id="nothing"),
    ],
    # The find-a-time grid: any staff member (coordinators see no other academy's titles)
    "manage.find_time": [staff()],
    "manage.find_time_grid": [staff()],
    "admin.closures": [admin_only()],
    "admin.closure_delete": [
        staff(FORBIDDEN, FORBIDDEN, Redirect("/admin/closures"), closure_id="closure"),
        staff(FORBIDDEN, FORBIDDEN, MISSING, closure_id="nothing"),
    ],
    # Zoom: the host's start link (no meeting here: back to the page), the admin's
    # integrations page and its actions, and Zoom's webhook (unsigned: refused)
    "manage.zoom_start": [
        staff(
            Redirect(SESSION_PAGE % "own_session"),
            FORBIDDEN,
            Redirect(SESSION_PAGE % "own_session"),
            session_id="own_session",
        ),
        staff(
            FORBIDDEN,
            FORBIDDEN,
            Redirect(SESSION_PAGE % "others_session"),
            session_id="others_session",
        ),
        staff(MISSING, FORBIDDEN, MISSING, session_id="nothing"),
    ],
    "admin.integrations": [admin_only()],
    "admin.zoom_defaults": [
        staff(FORBIDDEN, FORBIDDEN, Redirect("/admin/integrations")),
        Case({role: NOT_ALLOWED for role in ROLES}, method="GET"),
    ],
    "admin.zoom_user": [
        staff(FORBIDDEN, FORBIDDEN, Redirect("/admin/integrations"), user_id="other_lecturer"),
        staff(FORBIDDEN, FORBIDDEN, MISSING, user_id="nothing"),
    ],
    "admin.zoom_retry": [
        staff(FORBIDDEN, FORBIDDEN, Redirect("/admin/integrations"), session_id="own_session"),
        staff(FORBIDDEN, FORBIDDEN, MISSING, session_id="nothing"),
    ],
    "webhooks.zoom_webhook": [
        everyone(401),
        Case({role: NOT_ALLOWED for role in ROLES}, method="GET"),
    ],
    # Calendar feeds: never a login redirect (pollers cannot sign in)
    "feeds.all_feed": [everyone(OK)],
    "feeds.academy_feed": [everyone(OK, slug="home_slug"), everyone(MISSING, slug="no_slug")],
    "feeds.academy_private_feed": [
        everyone(OK, slug="home_slug", token="feed_token"),
        everyone(MISSING, slug="home_slug", token="bad_token"),
        everyone(MISSING, slug="other_slug", token="feed_token"),  # not that academy's token
    ],
    "feeds.lecturer_feed": [everyone(OK, slug="lecturer_slug"), everyone(MISSING, slug="no_slug")],
    "feeds.session_download": [
        everyone(OK, session_id="own_session"),
        everyone(OK, session_id="cancelled_session"),
        Case(  # partners only: staff who may see it (with its join link)
            {"anonymous": MISSING, "lecturer": OK, "coordinator": MISSING, "admin": OK},
            {"session_id": "partners_session"},
        ),
        everyone(MISSING, session_id="others_draft"),  # drafts never
        everyone(MISSING, session_id="nothing"),
    ],
    "feeds.subscribe": [everyone(OK)],
    "feeds.academy_subscribe": [
        everyone(OK, slug="home_slug"),
        everyone(MISSING, slug="no_slug"),
    ],
    "feeds.lecturer_subscribe": [
        everyone(OK, slug="lecturer_slug"),
        everyone(MISSING, slug="no_slug"),
    ],
    # Private feed addresses: coordinators (their own) and admins
    "feed_tokens.index": [staff(FORBIDDEN, OK, OK)],
    "feed_tokens.create": [  # an empty form: back to the page with a message
        staff(FORBIDDEN, Redirect("/manage/feeds/"), Redirect("/manage/feeds/"))
    ],
    "feed_tokens.revoke": [
        staff(
            FORBIDDEN,
            Redirect("/manage/feeds/"),
            Redirect("/manage/feeds/"),
            token_id="feed_token_id",
        ),
        staff(FORBIDDEN, MISSING, MISSING, token_id="nothing"),
    ],
    "feed_tokens.renew": [
        staff(FORBIDDEN, OK, FORBIDDEN, token_id="spare_token_id"),  # admins never take one over
        staff(FORBIDDEN, MISSING, MISSING, token_id="nothing"),
    ],
}


@pytest.fixture
def world(app: Flask, make_user, make_academy, make_session) -> dict[str, Any]:
    """The people and things the matrix points at, by name (ids and users)."""
    home, other_academy = make_academy(), make_academy(city="Shymkent", time_zone="Asia/Almaty")
    lecturer, other_lecturer = make_user(Role.LECTURER), make_user(Role.LECTURER)
    people = {
        "lecturer": lecturer,
        "coordinator": make_user(Role.COORDINATOR, academy_id=home.id),
        "admin": make_user(Role.ADMIN),
    }
    own = dict(actor=lecturer, academy_ids=[home.id])
    others = dict(actor=other_lecturer, academy_ids=[home.id])
    cancelled = make_session(**own, title="Cancelled one")
    with app.app_context():
        cancel_session(db.session.get(Session, cancelled.id), "Ill", None)
        db.session.commit()
    ids = {
        "own_session": make_session(**own).id,
        "others_session": make_session(**others).id,
        "others_draft": make_session(**others, status=SessionStatus.DRAFT).id,
        "partners_session": make_session(
            actor=other_lecturer, academy_ids=[other_academy.id], visibility=Visibility.PARTNERS
        ).id,
        "cancelled_session": cancelled.id,
        "nothing": 999_999,
        "other_lecturer": other_lecturer.id,
        "other_academy": other_academy.id,
    }
    with app.app_context():
        closure = add_closure(other_academy.id, date(2030, 1, 7), date(2030, 1, 11), "Exams", None)
        db.session.commit()
        ids["closure"] = closure.id
    ids.update(registration_world(app, ids["own_session"], lecturer))
    with app.app_context():
        seated = db.session.get(Registration, ids["own_registration"])
        ids["own_check_in_code"] = check_in_code(seated)
    ids["wrong_check_in_code"] = "a" * 26
    ids["csv_format"], ids["xlsx_format"] = "csv", "xlsx"
    ids.update(feeds_world(app, home, other_academy, lecturer, people["coordinator"]))
    ids.update(agreements_world(app, home, other_academy))
    ids.update(partners_world(app, home, other_academy, people["coordinator"], lecturer))
    return {"ids": ids, "people": people}


def feeds_world(app: Flask, home: Any, other: Any, lecturer: Any, coordinator: Any) -> dict:
    """Slugs for the feed addresses and the coordinator's private feed tokens."""
    with app.app_context():
        token = issue_token(FeedScope.ACADEMY, home.id, user_subject(coordinator))
        spare = issue_token(FeedScope.ACADEMY, home.id, user_subject(coordinator))
        db.session.commit()
        token_id, spare_id = find_token(token).id, find_token(spare).id
    return {
        "home_slug": home.slug,
        "other_slug": other.slug,
        "no_slug": "no-such-slug",
        "lecturer_slug": str(lecturer.id),
        "feed_token": token,
        "feed_token_id": token_id,
        "spare_token_id": spare_id,  # renewed in the matrix (the other one gets revoked)
        "bad_token": "x" * 43,
    }


def agreements_world(app: Flask, home: Any, other: Any) -> dict[str, int]:
    """Agreements with a stored document: the coordinator's academy's, another's, a spare."""
    ids = {}
    with app.app_context():
        for name, academy in (("home", home), ("other", other), ("spare", other)):
            agreement = Agreement(
                academy_id=academy.id, kind=AgreementKind.MEMORANDUM, signed_on=date(2024, 1, 1)
            )
            attach_document(agreement, store_document(b"%PDF-1.4 test", f"{name}.pdf"))
            db.session.add(agreement)
            db.session.flush()
            ids[f"{name}_agreement"] = agreement.id
        db.session.commit()
    return ids


def _signed_in_cookie(app: Flask, user: Any) -> str | None:
    """Sign in once and keep the session cookie, so every request starts signed in."""
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def _request(app: Flask, cookie: str | None, method: str, url: str):
    client = app.test_client()  # fresh per request: signing out must not leak into the next
    if cookie is not None:
        client.set_cookie("session", cookie)
    return client.open(url, method=method)


def _matches(response, expected: Expected, ids: dict[str, int]) -> bool:
    if isinstance(expected, Redirect):
        return response.status_code == 302 and urlsplit(
            response.headers["Location"]
        ).path == expected.path.format(**ids)
    return response.status_code == expected


def _rules(app: Flask) -> list[Any]:
    return [r for r in app.url_map.iter_rules() if r.endpoint not in SKIPPED_ENDPOINTS]


def test_every_route_has_a_rule(app: Flask):
    missing = sorted({r.endpoint for r in _rules(app)} - set(ACCESS))
    stale = sorted(set(ACCESS) - {r.endpoint for r in _rules(app)})
    assert missing == [], f"routes without a rule in tests/web/test_access.py ACCESS: {missing}"
    assert stale == [], f"ACCESS rows for routes that no longer exist: {stale}"


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix_answers_as_it_should(app: Flask, world: dict[str, Any], role: str):
    ids = world["ids"]
    cookie = None if role == "anonymous" else _signed_in_cookie(app, world["people"][role])
    wrong: list[str] = []
    for rule in _rules(app):
        for case in ACCESS.get(rule.endpoint, []):
            method = case.method or ("GET" if "GET" in rule.methods else "POST")
            with app.test_request_context():
                url = url_for(rule.endpoint, **{k: ids[v] for k, v in case.args.items()})
            response = _request(app, cookie, method, url)
            expected = case.expect[role]
            if not _matches(response, expected, ids):
                got = f"{response.status_code} {response.headers.get('Location', '')}".strip()
                wrong.append(f"{method} {url} ({rule.endpoint}): expected {expected}, got {got}")
    assert wrong == []


def test_anonymous_login_redirect_keeps_the_page(app: Flask, world: dict[str, Any]):
    response = app.test_client().get("/manage/schedule")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=%2Fmanage%2Fschedule"


@pytest.mark.parametrize("role", ROLES[1:])
def test_every_main_menu_entry_opens_for_the_role_that_sees_it(
    app: Flask, world: dict[str, Any], role: str
):
    cookie = _signed_in_cookie(app, world["people"][role])
    home = _request(app, cookie, "GET", "/").get_data(as_text=True)
    menu = home.split('id="nav"', 1)[1].split('class="nav-account"', 1)[0]
    links = [part.split('"', 1)[0] for part in menu.split('href="')[1:]]

    answers = {link: _request(app, cookie, "GET", link).status_code for link in links}

    assert "/reports/" in answers  # every signed-in role has a report (a coordinator's own)
    assert {link: status for link, status in answers.items() if status != OK} == {}
