"""Private feed addresses for partner coordinators and admins: see, make, revoke, renew.

Each coordinator has their own address for their academy; admins may make one for any
academy and revoke anyone's. A new address is shown in full once, on the page that
made it; afterwards only its first characters are (the server keeps only a hash).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from webinars.domain.calendars.selection import feed_name
from webinars.domain.calendars.tokens import (
    academy_tokens,
    issue_token,
    regenerate,
    revoke_token,
    token_owner,
    user_subject,
)
from webinars.extensions import db
from webinars.models import FeedScope, FeedToken, PartnerAcademy
from webinars.web.bounds import IdSelectField
from webinars.web.feed_links import absolute, default_locale, subscribe_links
from webinars.web.translated_forms import TranslatedForm

bp = Blueprint("feed_tokens", __name__, url_prefix="/manage/feeds")


def coordinator_or_admin(view: Callable[..., Any]) -> Callable[..., Any]:
    """Coordinators (of an academy) and admins only."""

    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not (current_user.is_admin or current_user.is_coordinator):
            abort(403)
        return view(*args, **kwargs)

    return wrapped


class NewAddressForm(TranslatedForm):
    academy_id = IdSelectField(_l("Partner academy"))


class ActionForm(TranslatedForm):
    """Revoke and renew buttons: a CSRF token and nothing else."""


def _academies() -> list[PartnerAcademy]:
    if current_user.is_admin:
        query = db.select(PartnerAcademy).where(PartnerAcademy.archived_at.is_(None))
        return list(db.session.execute(query.order_by(PartnerAcademy.name_en)).scalars())
    academy = db.session.get(PartnerAcademy, current_user.academy_id or -1)
    return [academy] if academy is not None else []


def _new_form() -> NewAddressForm:
    form = NewAddressForm()
    form.academy_id.choices = [(a.id, a.name_in(str(get_locale()))) for a in _academies()]
    return form


def _page(new_token: str | None = None, new_academy: PartnerAcademy | None = None, status=200):
    """The page: my addresses (all academy addresses for admins), maybe a new one in full."""
    tokens = academy_tokens(owner=None if current_user.is_admin else current_user)
    new_links = None
    if new_token and new_academy:
        path = url_for("feeds.academy_private_feed", slug=new_academy.slug, token=new_token)
        name = feed_name(
            default_locale(new_academy.language),
            academy=new_academy,
            private=True,
        )
        new_links = subscribe_links(absolute(path), name)
    response = render_template(
        "feeds/tokens.html",
        tokens=tokens,
        owners={t.id: token_owner(t) for t in tokens},
        form=_new_form(),
        action=ActionForm(),
        new_links=new_links,
        new_academy=new_academy,
        mine=user_subject(current_user),
    )
    # The page may hold a secret address: no cache anywhere may keep it.
    return response, status, {"Cache-Control": "no-store"}


@bp.get("/")
@coordinator_or_admin
def index():
    """My private feed addresses (all of them, for admins)."""
    return _page()


@bp.post("/new")
@coordinator_or_admin
def create():
    """Make a new private address for an academy and show it once."""
    form = _new_form()
    if not form.validate_on_submit():
        if not form.academy_id.choices:
            flash(_("Your account is not linked to a partner academy; ask an admin."), "danger")
        else:
            flash(_("Choose a partner academy from the list."), "danger")
        return redirect(url_for("feed_tokens.index"))
    academy = db.session.get(PartnerAcademy, form.academy_id.data)
    token = issue_token(FeedScope.ACADEMY, academy.id, user_subject(current_user))
    db.session.commit()
    return _page(token, academy)


def _own_or_admin(token_id: int) -> FeedToken:
    token = db.session.get(FeedToken, token_id)
    if token is None or token.scope is not FeedScope.ACADEMY or token.is_revoked:
        abort(404)
    if not current_user.is_admin and token.subject != user_subject(current_user):
        abort(404)  # someone else's address: not even its existence is shown
    return token


@bp.post("/<int:token_id>/revoke")
@coordinator_or_admin
def revoke(token_id: int):
    """Revoke an address: calendars that use it stop updating (410 Gone)."""
    token = _own_or_admin(token_id)
    if ActionForm().validate_on_submit():
        revoke_token(token)
        db.session.commit()
        flash(_("The address was revoked. Calendars that use it no longer update."), "success")
    return redirect(url_for("feed_tokens.index"))


@bp.post("/<int:token_id>/regenerate")
@coordinator_or_admin
def renew(token_id: int):
    """Replace one of my addresses by a new one (the old one stops working)."""
    token = _own_or_admin(token_id)
    if token.subject != user_subject(current_user):
        abort(403)  # admins revoke others' addresses but never take them over
    if not ActionForm().validate_on_submit():
        return redirect(url_for("feed_tokens.index"))
    new_token = regenerate(token)
    db.session.commit()
    return _page(new_token, token.academy)
