"""Calendar feeds (.ics) and the pages that help people subscribe to them.

Feed URLs never ask anyone to sign in: pollers cannot. A bad private token is a 404,
a revoked one a 410, and no rate limit applies to any of these routes.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, NoReturn

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import SelectField

from webinars.domain.calendars.events import render_feed
from webinars.domain.calendars.selection import (
    FeedFilters,
    FeedSpec,
    academy_from_slug,
    feed_coverage,
    feed_name,
    lecturer_from_slug,
    lecturer_slug,
    published_feed,
)
from webinars.domain.calendars.tokens import academy_token_usable, find_token, note_use
from webinars.domain.calendars.versions import keep_versions
from webinars.domain.sessions.access import can_view, is_public
from webinars.domain.sessions.kinds import KIND_LABELS, kind_filter_choices
from webinars.extensions import db, limiter
from webinars.i18n import INSTRUCTION_LANGUAGES, LANGUAGE_NAMES
from webinars.models import (
    FeedScope,
    PartnerAcademy,
    Role,
    Session,
    SessionStatus,
    User,
    Visibility,
    session_lecturers,
)
from webinars.web.feed_http import bytes_response, feed_error, feed_response
from webinars.web.feed_links import absolute, default_locale, subscribe_links
from webinars.web.translated_forms import TranslatedForm

bp = Blueprint("feeds", __name__)
limiter.exempt(bp)  # a poll must never turn into "429 Too Many Requests"

# ---- reading the query string -------------------------------------------------------


def _values(name: str) -> list[str]:
    """Repeated or comma-separated values of a query parameter, de-duplicated, sorted."""
    raw = [part.strip() for value in request.args.getlist(name) for part in value.split(",")]
    return sorted({part for part in raw if part})


def _filters() -> FeedFilters:
    """The `kind` and `lang` filters; a value we do not know is a 400 with a message."""
    kinds = _values("kind")
    known = {kind.value: kind for kind in KIND_LABELS}
    unknown = [k for k in kinds if k not in known]
    if unknown:
        feed_error(
            400,
            _(
                "Unknown kind: %(kinds)s. Use one of: %(known)s.",
                kinds=", ".join(unknown),
                known=", ".join(known),
            ),
        )
    languages = _values("lang")
    bad = [code for code in languages if code not in INSTRUCTION_LANGUAGES]
    if bad:
        # An unknown code would give a valid, empty calendar named after it: refused.
        feed_error(
            400,
            _(
                "Unknown language: %(codes)s. Use one of: %(known)s.",
                codes=", ".join(bad),
                known=", ".join(INSTRUCTION_LANGUAGES),
            ),
        )
    return FeedFilters(tuple(known[k] for k in kinds), tuple(languages))


def _feed_locale(default: str) -> str:
    """The feed's language: `?locale=`, else the feed's own default."""
    languages = current_app.config["LANGUAGES"]
    locale = request.args.get("locale", "").strip() or default
    if locale not in languages:
        feed_error(
            400,
            _(
                "Unknown calendar language: use one of %(languages)s.",
                languages=", ".join(languages),
            ),
        )
    return locale


# ---- the feeds ------------------------------------------------------------------------


def _publish(spec: FeedSpec, fallback_locale: str, zone: str, **whose: Any):
    """The answer with the feed of ``spec``: in the asked-for language (else
    ``fallback_locale``), named for whose sessions it holds (``whose``) and its filters."""
    locale = _feed_locale(fallback_locale)
    feed = published_feed(
        spec,
        name=lambda: feed_name(locale, private=spec.private, filters=spec.filters, **whose),
        locale=locale,
        time_zone_hint=zone,
    )
    keep_versions()
    return feed_response(feed, private=spec.private)


@bp.get("/calendars/all.ics")
def all_feed():
    """Every public session."""
    spec = FeedSpec(filters=_filters())
    return _publish(spec, "en", current_app.config["HOME_TIME_ZONE"])


def _academy_or_404(slug: str, page: bool = False) -> PartnerAcademy:
    academy = academy_from_slug(slug)
    if academy is None:
        if page:
            abort(404)
        _no_such_feed()
    return academy


def _no_such_feed() -> NoReturn:
    feed_error(404, _("There is no calendar at this address."))


@bp.get("/calendars/academies/<slug>.ics")
def academy_feed(slug: str):
    """The public sessions that involve one partner academy."""
    academy = _academy_or_404(slug)
    spec = FeedSpec(academy_id=academy.id, filters=_filters())
    return _publish(spec, default_locale(academy.language), academy.time_zone, academy=academy)


@bp.get("/calendars/academies/<slug>/<token>.ics")
def academy_private_feed(slug: str, token: str):
    """All of an academy's sessions with join links, for its coordinators (by token)."""
    academy = _academy_or_404(slug)
    feed_token = find_token(token)
    if (
        feed_token is None
        or feed_token.scope is not FeedScope.ACADEMY
        or feed_token.academy_id != academy.id
    ):
        _no_such_feed()
    if not academy_token_usable(feed_token):
        feed_error(410, _("This calendar address was revoked. Ask its owner for a new one."))
    if note_use(feed_token):
        db.session.commit()
    spec = FeedSpec(academy_id=academy.id, private=True, filters=_filters())
    return _publish(spec, default_locale(academy.language), academy.time_zone, academy=academy)


@bp.get("/calendars/lecturers/<slug>.ics")
def lecturer_feed(slug: str):
    """One lecturer's public sessions."""
    lecturer = lecturer_from_slug(slug)
    if lecturer is None:
        _no_such_feed()
    spec = FeedSpec(lecturer_id=lecturer.id, filters=_filters())
    return _publish(spec, default_locale(lecturer.locale), lecturer.time_zone, lecturer=lecturer)


@bp.get("/sessions/<int:session_id>/calendar.ics")
def session_download(session_id: int):
    """One session to add to a calendar; staff who may see it get its join link too."""
    session = db.session.get(Session, session_id)
    staff_view = session is not None and (
        current_user.is_authenticated and can_view(current_user, session)
    )
    if session is None or session.status is SessionStatus.DRAFT:
        _no_such_feed()
    if not (staff_view or is_public(session)):
        _no_such_feed()
    # The language is the URL's (?locale=, as the pages link it) or else negotiated from
    # the person (account, cookie, Accept-Language): then caches must keep them apart.
    negotiated = not request.args.get("locale")
    locale = _feed_locale(default_locale(str(get_locale())))
    body = render_feed(
        [session], name=session.title, private=staff_view, locale=locale, windowed=False
    )
    return bytes_response(
        body,
        session.updated_at,
        identity=f"download:{session.id}:{locale}:{'staff' if staff_view else 'public'}",
        private=staff_view,
        filename=f"session-{session.id}.ics",
        vary=("Accept-Language", "Cookie") if negotiated else ("Cookie",),
    )


# ---- subscribing ----------------------------------------------------------------------


class FeedFilterForm(TranslatedForm):
    """Narrow a feed before subscribing (a GET form: it changes nothing)."""

    class Meta:
        csrf = False

    kind = SelectField(_l("Kind"), default="")
    lang = SelectField(_l("Language of the sessions"), default="")
    locale = SelectField(_l("Language of the calendar"), default="")


def _filter_form(default_locale: str) -> FeedFilterForm:
    form = FeedFilterForm(request.args)
    form.kind.choices = kind_filter_choices()
    form.lang.choices = [("", _("All languages"))] + [
        (code, str(label)) for code, label in INSTRUCTION_LANGUAGES.items()
    ]
    form.locale.choices = [(code, name) for code, name in LANGUAGE_NAMES.items()]
    if not request.args.get("locale"):
        form.locale.data = default_locale
    return form


def _feed_block(endpoint: str, name_for, default_locale: str, spec: FeedSpec, **args: str):
    """The filter form, the links and the window for one feed (`spec`, narrowed by the
    form's valid choices)."""
    form = _filter_form(default_locale)
    valid = form.validate() if request.args else True
    params: dict[str, str] = {}
    if valid:
        params = {k: v for k, v in (("kind", form.kind.data), ("lang", form.lang.data)) if v}
        if form.locale.data and form.locale.data != default_locale:
            params["locale"] = form.locale.data
    filters = FeedFilters(
        tuple(k for k in KIND_LABELS if k.value == params.get("kind")),
        (params["lang"],) if "lang" in params else (),
    )
    name = name_for(params.get("locale", default_locale), filters)
    url = absolute(url_for(endpoint, **args, **params))
    coverage = feed_coverage(replace(spec, filters=filters))
    return form, subscribe_links(url, name), coverage


@bp.get("/calendars/")
def subscribe():
    """Subscribe to the whole schedule, or pick an academy's or a lecturer's."""
    form, links, coverage = _feed_block(
        "feeds.all_feed", lambda loc, f: feed_name(loc, filters=f), str(get_locale()), FeedSpec()
    )
    academies = (
        db.session.execute(
            db.select(PartnerAcademy)
            .where(PartnerAcademy.archived_at.is_(None))
            .order_by(PartnerAcademy.name_en)
        )
        .scalars()
        .all()
    )
    teaching = (
        db.select(session_lecturers.c.user_id)
        .join(Session, Session.id == session_lecturers.c.session_id)
        .where(Session.visibility == Visibility.PUBLIC, Session.status != SessionStatus.DRAFT)
    )
    lecturers = (
        db.session.execute(
            db.select(User)
            .where(User.id.in_(teaching), User.role.in_([Role.LECTURER, Role.ADMIN]))
            .order_by(User.name)
        )
        .scalars()
        .all()
    )
    return render_template(
        "feeds/subscribe.html",
        form=form,
        links=links,
        coverage=coverage,
        academies=academies,
        lecturers=lecturers,
        lecturer_slug=lecturer_slug,
    )


@bp.get("/calendars/academies/<slug>")
def academy_subscribe(slug: str):
    """Subscribe to one academy's public sessions."""
    academy = _academy_or_404(slug, page=True)
    default = default_locale(academy.language)
    form, links, coverage = _feed_block(
        "feeds.academy_feed",
        lambda loc, f: feed_name(loc, academy=academy, filters=f),
        default,
        FeedSpec(academy_id=academy.id),
        slug=slug,
    )
    return render_template(
        "feeds/feed.html", form=form, links=links, coverage=coverage, academy=academy
    )


@bp.get("/calendars/lecturers/<slug>")
def lecturer_subscribe(slug: str):
    """Subscribe to one lecturer's public sessions."""
    lecturer = lecturer_from_slug(slug)
    if lecturer is None:
        abort(404)
    default = default_locale(lecturer.locale)
    form, links, coverage = _feed_block(
        "feeds.lecturer_feed",
        lambda loc, f: feed_name(loc, lecturer=lecturer, filters=f),
        default,
        FeedSpec(lecturer_id=lecturer.id),
        slug=lecturer_slug(lecturer),
    )
    return render_template(
        "feeds/feed.html", form=form, links=links, coverage=coverage, lecturer=lecturer
    )
