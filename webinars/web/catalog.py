"""Students, no account: the catalogue of sessions open for registration, and the form."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import HTTPException

from webinars.domain.registration.register import (
    Closed,
    RegistrationClosedError,
    UnknownAcademyError,
    closed_reason,
    normalise_email,
    register,
)
from webinars.domain.registration.seats import seats_left
from webinars.domain.sessions.access import is_public, public_sessions
from webinars.domain.sessions.filters import filter_sessions
from webinars.domain.sessions.kinds import kind_filter_choices
from webinars.extensions import db, limiter
from webinars.i18n import INSTRUCTION_LANGUAGES, places_for, viewer_zone
from webinars.models import PartnerAcademy, Session, SessionStatus, utcnow
from webinars.web.bounds import arg_row_id, page_number
from webinars.web.list_filters import session_filters
from webinars.web.page_cache import public_page
from webinars.web.registration_forms import (
    CLOSED_MESSAGES,
    CatalogFilterForm,
    RegistrationForm,
    academy_choices,
)

bp = Blueprint("catalog", __name__, url_prefix="/catalog")


@bp.errorhandler(404)
@bp.errorhandler(410)
@bp.errorhandler(429)
def _explained(error: HTTPException):
    """Say in words what went wrong (unknown session, withdrawn link, too many tries)."""
    return render_template("catalog/unavailable.html", error=error), error.code


RATE_LIMITED = _l("Too many registrations from here in a short time. Please wait and try again.")


def _locale() -> str:
    return str(get_locale())


def _filters() -> CatalogFilterForm:
    form = CatalogFilterForm(request.args)
    form.kind.choices = kind_filter_choices()
    form.language.choices = [("", _l("All languages")), *INSTRUCTION_LANGUAGES.items()]
    form.academy.choices = [(0, _l("All academies"))] + academy_choices(_locale())[1:-1]
    return form


def _catalogue_query(form: CatalogFilterForm, now: datetime):
    query = public_sessions().where(
        Session.status == SessionStatus.SCHEDULED,
        Session.starts_at > now,
        or_(Session.registration_closes_at.is_(None), Session.registration_closes_at > now),
    )
    zone = viewer_zone() or current_app.config["HOME_TIME_ZONE"]
    query = filter_sessions(query, session_filters(form), zone, by_start=True)
    return query.options(selectinload(Session.academies), selectinload(Session.lecturers)).order_by(
        Session.starts_at, Session.id
    )


def _chosen_academy(academy_id: int | None) -> PartnerAcademy | None:
    """The academy the student chose (the catalogue's filter, the form's academy, or the
    catalogue's link to the form): its city is where they read every time first. Only
    from the address or the form, never remembered, so a page is the same for everyone
    who asks for the same address."""
    academy = db.session.get(PartnerAcademy, academy_id) if academy_id and academy_id > 0 else None
    return None if academy is None or academy.is_archived else academy


@bp.get("/")
@public_page(seats=True)
def index():
    """Upcoming public sessions open for registration, with filters and seats left."""
    form = _filters()
    form.validate()
    chosen = _chosen_academy(form.academy.data if not form.academy.errors else None)
    now = utcnow()
    page = page_number()
    if form.errors:
        form.date_from.data = form.date_to.data = None
    pagination = db.paginate(_catalogue_query(form, now), page=page, per_page=20, error_out=False)
    return render_template(
        "catalog/index.html",
        form=form,
        pagination=pagination,
        left=seats_left(pagination.items, now),
        now=now,
        closed={s.id: closed_reason(s, now) for s in pagination.items},
        places={s.id: places_for(s, chosen) for s in pagination.items},
        chosen=chosen,
        args={k: v for k, v in request.args.items() if k != "page"},
    )


def _public_session(session_id: int) -> Session:
    session = db.session.get(Session, session_id)
    if session is None or not is_public(session):
        abort(404, description=str(CLOSED_MESSAGES[Closed.UNKNOWN]))
    return session


def _email_key() -> str:
    return "registration-email:" + normalise_email(request.form.get("email", ""))[:254]


@bp.route("/<int:session_id>/register", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["REGISTRATION_RATE_LIMIT"],
    methods=["POST"],
    error_message=RATE_LIMITED,
)
@limiter.limit(
    lambda: current_app.config["REGISTRATION_EMAIL_RATE_LIMIT"],
    methods=["POST"],
    key_func=_email_key,
    error_message=RATE_LIMITED,
)
def register_form(session_id: int):
    """The registration form; submitting holds a seat or a waiting-list place."""
    now = utcnow()
    form = RegistrationForm()
    if request.method == "POST" and form.validate_on_submit() and not form.website.data:
        # The happy path reads the session only once, locked, inside register(): a storm
        # of sign-ups is this request, so it skips the separate read the page needs.
        try:
            register(session_id, form.to_input(), now, public=True)
            db.session.commit()
        except RegistrationClosedError:
            db.session.rollback()  # the page below says why, from the session as it is
        except UnknownAcademyError:
            db.session.rollback()
            form.academy_id.errors.append(_("Choose one of the academies in the list."))
        except OperationalError:
            db.session.rollback()
            return _form_page(form, session_id, now, 503, busy=True)
        else:
            return redirect(url_for("catalog.registered", session_id=session_id))
    return _form_page(form, session_id, now)


def _form_page(
    form: RegistrationForm, session_id: int, now: datetime, status: int = 200, *, busy: bool = False
):
    """The form page: blank (GET), or as submitted with what went wrong (POST)."""
    session = _public_session(session_id)
    reason = closed_reason(session, now)
    form.academy_id.choices = academy_choices(_locale())
    chosen = _chosen_academy(
        form.academy_id.data if request.method == "POST" else arg_row_id("academy")
    )
    if request.method == "GET":
        form.locale.data = _locale()
        form.academy_id.data = chosen.id if chosen else None
    elif form.website.data and reason is None:  # the honeypot: a bot, told nothing
        return redirect(url_for("catalog.registered", session_id=session.id))
    elif reason is not None:
        status = 409
    elif busy:
        flash(_("Many people are registering right now. Please press Register again."), "warning")
    elif form.errors:
        status = 422
    return render_template(
        "catalog/register.html",
        form=form,
        session=session,
        closed=reason,
        closed_message=CLOSED_MESSAGES.get(reason) if reason else None,
        seats_left=seats_left([session], now).get(session.id),
        places=places_for(session, chosen),
    ), status


@bp.get("/<int:session_id>/registered")
def registered(session_id: int):
    """“Check your email”: the same words whether or not the address was known."""
    session = _public_session(session_id)
    return render_template("catalog/registered.html", session=session)


def academy_name(academy: PartnerAcademy | None, other: str | None) -> str:
    """An academy's name in the current language, or the institution typed by hand."""
    return academy.name_in(_locale()) if academy else (other or "")
