"""The admin's certificate layout: issuer, signatories, colours and logo, without code.
Certificates already issued keep the layout they were issued with."""

from __future__ import annotations

import base64

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.file import FileField
from wtforms import BooleanField, StringField
from wtforms.validators import Length, Optional, Regexp

from webinars.domain.certificates.layout import (
    LayoutChanges,
    LayoutError,
    current_layout,
    save_layout,
)
from webinars.extensions import db
from webinars.models import utcnow
from webinars.web.admin.blueprint import bp
from webinars.web.bounds import accepts_files
from webinars.web.roles import admin_required
from webinars.web.translated_forms import TranslatedForm

_COLOUR = Regexp(r"^#[0-9a-fA-F]{6}$", message=_l("Give a colour as #rrggbb, e.g. #1f4e79."))


def _text(label) -> StringField:
    return StringField(label, validators=[Optional(), Length(max=200)])


class LayoutForm(TranslatedForm):
    """What the admin may change on the certificates."""

    issuer = StringField(
        _l("Issuer (empty: the department's name)"), validators=[Optional(), Length(max=300)]
    )
    signatory_name = _text(_l("Signatory's name"))
    signatory_title = _text(_l("Signatory's title"))
    second_signatory_name = _text(_l("Second signatory's name"))
    second_signatory_title = _text(_l("Second signatory's title"))
    colour = StringField(_l("Main colour"), validators=[_COLOUR])
    accent_colour = StringField(_l("Accent colour"), validators=[_COLOUR])
    logo = FileField(_l("Logo (PNG or JPEG, at most 1 MB)"))
    remove_logo = BooleanField(_l("Remove the logo"))


def _page(form: LayoutForm, status: int = 200):
    layout = current_layout()
    logo = (
        f"data:{layout.logo_type};base64,{base64.b64encode(layout.logo).decode()}"
        if layout.logo
        else None
    )
    return render_template("admin/certificates.html", form=form, logo=logo), status


@bp.get("/certificates")
@admin_required
def certificate_layout():
    """The layout form, filled with what is stored."""
    layout = current_layout()
    return _page(LayoutForm(formdata=None, obj=layout))


@bp.post("/certificates")
@accepts_files("logo")
@admin_required
def save_certificate_layout():
    """Save the layout; the form keeps what was typed on a mistake."""
    form = LayoutForm()
    if not form.validate_on_submit():
        return _page(form, 422)
    upload = form.logo.data
    data = upload.read() if upload and getattr(upload, "filename", "") else None
    changes = LayoutChanges(
        issuer=form.issuer.data,
        signatory_name=form.signatory_name.data,
        signatory_title=form.signatory_title.data,
        second_signatory_name=form.second_signatory_name.data,
        second_signatory_title=form.second_signatory_title.data,
        colour=form.colour.data,
        accent_colour=form.accent_colour.data,
        logo=data,
        remove_logo=form.remove_logo.data,
    )
    try:
        save_layout(changes, current_user, utcnow())
    except LayoutError as exc:
        db.session.rollback()
        getattr(form, exc.field).errors = [str(exc.message)]
        return _page(form, 422)
    db.session.commit()
    flash(
        _("The certificate layout is saved; it applies to certificates issued from now."), "success"
    )
    return redirect(url_for("admin.certificate_layout"))
