"""Reserved seats: staff set a session's quotas; an academy's coordinators nominate their
students into theirs, one by one or from a CSV file checked before anything is sent."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.file import FileField
from wtforms import (
    DateTimeLocalField,
    EmailField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from webinars.domain.partners.nominations import (
    LANGUAGES,
    NomineeRow,
    check_rows,
    may_nominate,
    nominate,
    read_file,
    read_text,
    rows_as_text,
)
from webinars.domain.partners.quotas import (
    QuotaRuleError,
    academy_students,
    quota_usage,
    remove_quota,
    session_quotas,
    set_quota,
)
from webinars.domain.sessions.timezones import LocalTimeError, local_to_utc
from webinars.extensions import db
from webinars.i18n import LANGUAGE_NAMES, session_place_label
from webinars.models import SeatQuota, utcnow
from webinars.web.bounds import BoundedIntegerField, IdSelectField, accepts_files
from webinars.web.choices import DATETIME_FORMAT, academy_with_city, readable
from webinars.web.partners.blueprint import bp
from webinars.web.roles import coordinator_required, editable_session, scheduler_required
from webinars.web.translated_forms import TranslatedForm


class QuotaForm(TranslatedForm):
    """Reserve seats for an academy until a deadline (in the session's zone)."""

    academy_id = IdSelectField(_l("Partner academy"))
    seats = BoundedIntegerField(
        _l("Seats reserved"), validators=[InputRequired(), readable, NumberRange(1, 10000)]
    )
    # Read on the session's clock; the view names its place in the label.
    deadline = DateTimeLocalField(
        _l("Reserved until"),
        format=DATETIME_FORMAT,
        validators=[InputRequired(message=_l("Enter the date and time the seats are kept until."))],
    )


class RemoveQuotaForm(TranslatedForm):
    """Stop reserving (the CSRF token only)."""


class NomineeForm(TranslatedForm):
    """One student, typed in."""

    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    programme = StringField(_l("Programme"), validators=[Optional(), Length(max=200)])
    year = BoundedIntegerField(
        _l("Year of study"), validators=[Optional(), readable, NumberRange(1, 10)]
    )
    language = SelectField(_l("Language of the emails"), choices=list(LANGUAGE_NAMES.items()))


class NomineeFileForm(TranslatedForm):
    """A CSV file: name, email, programme, year (and optionally language)."""

    file = FileField(_l("CSV file (name, email, programme, year)"))


class ConfirmNomineesForm(TranslatedForm):
    """The checked rows, carried back to be nominated (and still editable)."""

    rows = TextAreaField(_l("Students"), validators=[DataRequired(), Length(max=200_000)])


@bp.route("/partners/sessions/<int:session_id>/quotas", methods=["GET", "POST"])
@scheduler_required
def quotas(session_id: int):
    """A session's reserved seats per academy: set, change, remove."""
    session = editable_session(session_id)
    form = QuotaForm()
    locale = str(get_locale())
    form.academy_id.choices = [(a.id, academy_with_city(a, locale)) for a in session.academies]
    form.deadline.label.text = _(
        "Reserved until (%(place)s time)", place=session_place_label(session, locale)
    )
    status = 200
    if form.validate_on_submit():
        try:
            deadline = local_to_utc(form.deadline.data, session.time_zone)
            set_quota(session.id, form.academy_id.data, form.seats.data, deadline, current_user)
        except LocalTimeError:
            form.deadline.errors.append(_("This time does not exist or happens twice here."))
        except QuotaRuleError as exc:
            db.session.rollback()
            for name, message in exc.errors.items():
                getattr(form, name).errors.append(message)
        else:
            db.session.commit()
            flash(_("The seats are reserved."), "success")
            return redirect(url_for("partners.quotas", session_id=session.id))
    if form.errors:
        status = 422
    usages = [quota_usage(q) for q in session_quotas(session)]
    page = render_template(
        "partners/quotas.html", session=session, form=form, usages=usages, remove=RemoveQuotaForm()
    )
    return page, status


@bp.post("/partners/sessions/<int:session_id>/quotas/<int:quota_id>/remove")
@scheduler_required
def quota_remove(session_id: int, quota_id: int):
    """Stop reserving: students keep their places; unused seats go to everyone."""
    session = editable_session(session_id)
    quota = db.get_or_404(SeatQuota, quota_id)
    if quota.session_id != session.id:
        abort(404)
    if RemoveQuotaForm().validate_on_submit():
        remove_quota(quota)
        db.session.commit()
        flash(_("The seats are no longer reserved."), "success")
    return redirect(url_for("partners.quotas", session_id=session.id))


def _own_quota(quota_id: int) -> SeatQuota:
    quota = db.session.get(SeatQuota, quota_id)
    if quota is None or not may_nominate(current_user, quota):
        abort(404)
    return quota


def _nominations_page(quota: SeatQuota, status: int = 200, **extra):
    one = extra.pop("one", None) or NomineeForm()
    if one.language.data not in LANGUAGES:  # a fresh form (also under a file's preview)
        one.language.data = _default_language(quota)
    page = render_template(
        "partners/nominate.html",
        quota=quota,
        usage=quota_usage(quota),
        students=academy_students(quota.session_id, quota.academy_id),
        one=one,
        upload=extra.pop("upload", None) or NomineeFileForm(),
        now=utcnow(),
        **extra,
    )
    return page, status


@bp.get("/partners/quotas/<int:quota_id>")
@coordinator_required
def nominations(quota_id: int):
    """The academy's reserved seats for a session, its students, and the nomination forms."""
    return _nominations_page(_own_quota(quota_id))


def _default_language(quota: SeatQuota) -> str:
    return quota.academy.language if quota.academy.language in LANGUAGES else "en"


def _tell(result) -> None:
    if result.nominated:
        message = ngettext(
            "%(num)d invitation sent. The student confirms their seat from the email.",
            "%(num)d invitations sent. Each student confirms their seat from the email.",
            len(result.nominated),
        )
        flash(message, "success")


@bp.post("/partners/quotas/<int:quota_id>/one")
@coordinator_required
def nominate_one(quota_id: int):
    """Nominate one student typed in; a problem is shown beside the form, kept as typed."""
    quota = _own_quota(quota_id)
    form = NomineeForm()
    if not form.validate_on_submit():
        return _nominations_page(quota, 422, one=form)
    row = NomineeRow(
        1,
        form.name.data.strip(),
        form.email.data.strip(),
        (form.programme.data or "").strip(),
        str(form.year.data or ""),
        form.language.data,
    )
    result = nominate(quota, [row], current_user, _default_language(quota))
    if result.refused:
        db.session.rollback()
        form.email.errors.extend(row.problems)
        return _nominations_page(quota, 422, one=form)
    db.session.commit()
    _tell(result)
    return redirect(url_for("partners.nominations", quota_id=quota.id))


@bp.post("/partners/quotas/<int:quota_id>/preview")
@accepts_files("file")
@coordinator_required
def nominate_preview(quota_id: int):
    """Read and check a CSV file: every row with what is wrong; nothing is sent yet."""
    quota = _own_quota(quota_id)
    upload = NomineeFileForm()
    data = upload.file.data.read() if upload.validate_on_submit() and upload.file.data else b""
    reading = read_file(data) if data else None
    if reading is None:
        upload.file.errors.append(_("Choose a CSV file."))
        return _nominations_page(quota, 422, upload=upload)
    return _preview(quota, reading)


def _preview(quota: SeatQuota, reading, status: int = 200):
    left = check_rows(reading.rows, quota) if reading.rows else 0
    good = [r for r in reading.rows if r.ok]
    confirm = ConfirmNomineesForm(formdata=None, rows=rows_as_text(good)) if good else None
    return _nominations_page(
        quota,
        status,
        reading=reading,
        left=left,
        good=good,
        confirm=confirm,
        cp1251=reading.encoding == "windows-1251",
    )


@bp.post("/partners/quotas/<int:quota_id>/confirm")
@coordinator_required
def nominate_confirm(quota_id: int):
    """Nominate the checked rows; rows that fail now are shown again with why."""
    quota = _own_quota(quota_id)
    form = ConfirmNomineesForm()
    if not form.validate_on_submit():
        return redirect(url_for("partners.nominations", quota_id=quota.id))
    reading = read_text(form.rows.data)
    if reading.problems or not reading.rows:
        return _preview(quota, reading, 422)
    result = nominate(quota, reading.rows, current_user, _default_language(quota))
    db.session.commit()
    _tell(result)
    if result.refused:
        flash(_("Some rows were not sent: see why below."), "warning")
        reading.rows = result.refused
        for row in reading.rows:  # checked again on the preview
            row.problems = []
        return _preview(quota, reading, 422)
    return redirect(url_for("partners.nominations", quota_id=quota.id))
