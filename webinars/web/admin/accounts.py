"""Admin pages: staff accounts, partner academies, the worker's health, expiring agreements."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from webinars.domain.accounts.academies import (
    archive_academy,
    restore_academy,
    unique_academy_slug,
)
from webinars.domain.accounts.staff import (
    StaffRuleError,
    account_problems,
    change_user,
    create_user,
)
from webinars.domain.partners.agreements import (
    EXPIRY_WARNING_DAYS,
    academies_standing,
    expiring_agreements,
)
from webinars.domain.sessions.working_hours import days_text
from webinars.extensions import db
from webinars.models import PartnerAcademy, Role, User, WorkerHeartbeat, utcnow
from webinars.web.admin.blueprint import bp
from webinars.web.admin.forms import (
    ACCOUNT_ZONE_DEFAULT,
    ROLE_LABELS,
    AcademyForm,
    ConfirmForm,
    UserForm,
)
from webinars.web.agreement_labels import KIND_LABELS, STANDING_LABELS
from webinars.web.choices import zone_choices
from webinars.web.roles import admin_required


@bp.get("/")
@admin_required
def overview():
    """Settings at a glance: people, academies, the background worker."""
    heartbeats = db.session.execute(db.select(WorkerHeartbeat)).scalars().all()
    return render_template(
        "admin/overview.html",
        heartbeats=heartbeats,
        expiring=expiring_agreements(utcnow().date()),
        kind_labels=KIND_LABELS,
    )


@bp.get("/users")
@admin_required
def users():
    """All staff accounts."""
    rows = db.session.execute(db.select(User).order_by(User.name)).scalars().all()
    return render_template("admin/users.html", users=rows, role_labels=ROLE_LABELS)


def _user_form(user: User | None = None) -> UserForm:
    form = UserForm(obj=user)
    academies = db.session.execute(
        db.select(PartnerAcademy).order_by(PartnerAcademy.name_en)
    ).scalars()
    form.academy_id.choices = [(0, _("None"))] + [
        (a.id, a.name_in(str(get_locale()))) for a in academies
    ]
    form.time_zone.choices = {
        _("Default"): [("", ACCOUNT_ZONE_DEFAULT)],
        **zone_choices(user.time_zone if user else None),
    }
    if user is None:
        form.password.label.text = _("Password")
    elif not form.is_submitted():
        form.role.data = user.role.value
        form.active.data = user.is_active_account
        form.academy_id.data = user.academy_id or 0
    return form


def _rule_problems(form: UserForm, user: User | None) -> None:
    """The account rules beside their fields, also when the form found problems of its
    own: a password error must not hide a taken email or a coordinator's missing academy."""
    problems = account_problems(
        form.email.data or "",
        form.name.data or "",
        Role(form.role.data) if form.role.data in ROLE_LABELS else Role.LECTURER,
        form.academy_id.data or None,
        except_id=user.id if user else None,
    )
    if user is None and not form.password.data and not form.password.errors:
        problems["password"] = _("A new account needs a password (8 characters or more).")
    _attach(form, problems)


def _attach(form: UserForm, problems: dict) -> None:
    for name, message in problems.items():
        field = getattr(form, name)
        if not field.errors:  # one message per field: the form's own comes first
            field.errors = [*field.errors, message]


@bp.route("/users/new", methods=["GET", "POST"])
@admin_required
def user_new():
    """Create a staff account."""
    form = _user_form()
    if form.is_submitted():
        form.validate()
        _rule_problems(form, None)
        if not form.errors:
            try:
                create_user(
                    form.email.data,
                    form.name.data,
                    form.password.data,
                    Role(form.role.data),
                    form.time_zone.data or None,
                    form.academy_id.data or None,
                )
            except StaffRuleError as exc:
                _attach(form, exc.errors)
            else:
                db.session.commit()
                flash(_("The account is created."), "success")
                return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=None)


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@admin_required
def user_edit(user_id: int):
    """Edit a staff account; the last admin cannot be demoted or deactivated."""
    user = db.get_or_404(User, user_id)
    form = _user_form(user)
    if form.is_submitted():
        form.validate()
        _rule_problems(form, user)
        if not form.errors:
            return _save_user(form, user)
    return render_template("admin/user_form.html", form=form, user=user)


def _save_user(form: UserForm, user: User):
    try:
        revoked = change_user(
            user,
            name=form.name.data,
            email=form.email.data,
            role=Role(form.role.data),
            active=form.active.data,
            academy_id=form.academy_id.data or None,
            time_zone=form.time_zone.data or None,
        )
    except StaffRuleError as exc:
        db.session.rollback()
        _attach(form, exc.errors)
        return render_template("admin/user_form.html", form=form, user=user)
    if form.password.data:
        user.set_password(form.password.data)
    db.session.commit()
    flash(_("The account is saved."), "success")
    if revoked:
        message = ngettext(
            "Its %(num)d private calendar address was revoked.",
            "Its %(num)d private calendar addresses were revoked.",
            revoked,
        )
        flash(message, "info")
    if user.id == current_user.id and not user.is_admin:
        return redirect(url_for("manage.dashboard"))
    return redirect(url_for("admin.users"))


@bp.get("/academies")
@admin_required
def academies():
    """Partner academies (archived ones last), their agreements, and the quiet ones."""
    return render_template(
        "admin/academies.html",
        rows=academies_standing(),
        kind_labels=KIND_LABELS,
        standing_labels=STANDING_LABELS,
        confirm=ConfirmForm(),
        warning_days=EXPIRY_WARNING_DAYS,
    )


def _save_academy(form: AcademyForm, academy: PartnerAcademy) -> None:
    form.populate_obj(academy)
    academy.country = academy.country.upper()
    for name in (
        "name_ru",
        "name_uz",
        "city_ru",
        "city_uz",
        "website",
        "contact_name",
        "contact_email",
        "notes",
    ):
        setattr(academy, name, (getattr(academy, name) or "").strip() or None)
    academy.slug = academy.slug or unique_academy_slug(academy.name_en, academy.id)
    academy.work_days = days_text(frozenset(form.work_days.data))


@bp.route("/academies/new", methods=["GET", "POST"])
@admin_required
def academy_new():
    """Add a partner academy."""
    form = AcademyForm()
    form.time_zone.choices = zone_choices()
    if form.validate_on_submit():
        academy = PartnerAcademy()
        _save_academy(form, academy)
        db.session.add(academy)
        db.session.commit()
        flash(_("The academy is saved."), "success")
        return redirect(url_for("admin.academies"))
    return render_template("admin/academy_form.html", form=form, academy=None)


@bp.route("/academies/<int:academy_id>/edit", methods=["GET", "POST"])
@admin_required
def academy_edit(academy_id: int):
    """Edit a partner academy."""
    academy = db.get_or_404(PartnerAcademy, academy_id)
    form = AcademyForm(obj=academy)
    form.time_zone.choices = zone_choices(academy.time_zone)
    if form.validate_on_submit():
        _save_academy(form, academy)
        db.session.commit()
        flash(_("The academy is saved."), "success")
        return redirect(url_for("admin.academies"))
    return render_template("admin/academy_form.html", form=form, academy=academy)


@bp.post("/academies/<int:academy_id>/archive")
@admin_required
def academy_archive(academy_id: int):
    """Archive: hidden from new sessions, history kept."""
    academy = db.get_or_404(PartnerAcademy, academy_id)
    if ConfirmForm().validate_on_submit():
        archive_academy(academy)
        db.session.commit()
        flash(_("%(name)s is archived.", name=academy.name_en), "success")
    return redirect(url_for("admin.academies"))


@bp.post("/academies/<int:academy_id>/restore")
@admin_required
def academy_restore(academy_id: int):
    """Bring an archived academy back."""
    academy = db.get_or_404(PartnerAcademy, academy_id)
    if ConfirmForm().validate_on_submit():
        restore_academy(academy)
        db.session.commit()
        flash(_("%(name)s is active again.", name=academy.name_en), "success")
    return redirect(url_for("admin.academies"))
