"""Admin pages: a partner academy's agreements and their scanned documents."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.datastructures import FileStorage
from wtforms import BooleanField, DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from webinars.domain.partners.agreements import (
    DocumentError,
    StoredDocument,
    attach_document,
    detach_document,
    discard_document,
    document_path,
    max_document_bytes,
    store_document,
)
from webinars.extensions import db
from webinars.models import Agreement, AgreementKind, PartnerAcademy
from webinars.web.admin.blueprint import bp
from webinars.web.admin.forms import ConfirmForm
from webinars.web.agreement_labels import KIND_LABELS
from webinars.web.bounds import accepts_files
from webinars.web.roles import admin_required, staff_required
from webinars.web.translated_forms import TranslatedForm


def _not_before_signing(form: FlaskForm, field: DateField) -> None:
    if field.data and form.signed_on.data and field.data < form.signed_on.data:
        raise ValidationError(_l("The expiry date cannot be before the signing date."))


class AgreementForm(TranslatedForm):
    kind = SelectField(_l("Kind"), choices=list(KIND_LABELS.items()))
    number = StringField(_l("Number"), validators=[Optional(), Length(max=100)])
    signed_on = DateField(_l("Signed on"), validators=[DataRequired()])
    expires_on = DateField(
        _l("Expires on"),
        validators=[Optional(), _not_before_signing],
        description=_l("Leave empty for an agreement without an end date."),
    )
    home_responsible = StringField(
        _l("Responsible at the department"), validators=[Optional(), Length(max=200)]
    )
    partner_responsible = StringField(
        _l("Responsible at the partner academy"), validators=[Optional(), Length(max=200)]
    )
    is_public = BooleanField(
        _l("Name this partner on the public International cooperation page"),
        description=_l("The document itself is never public."),
    )
    document = FileField(_l("Scanned document (PDF)"))
    remove_document = BooleanField(_l("Remove the current document"))


def _upload(form: AgreementForm) -> StoredDocument | None:
    """The chosen file, checked and stored; None if no file was chosen."""
    upload = form.document.data
    if not isinstance(upload, FileStorage) or not upload.filename:
        return None
    data = upload.stream.read(max_document_bytes() + 1)  # one byte more says "too big"
    return store_document(data, upload.filename)


def _save(form: AgreementForm, agreement: Agreement) -> bool:
    """Fill the agreement from a validated form and store its new document; False (with
    the message beside the file field) when the upload is refused."""
    try:
        document = _upload(form)
    except DocumentError as exc:
        form.document.errors = [exc.message]
        return False
    for name in ("number", "home_responsible", "partner_responsible"):
        setattr(agreement, name, (getattr(form, name).data or "").strip() or None)
    agreement.kind = AgreementKind(form.kind.data)
    agreement.signed_on = form.signed_on.data
    agreement.expires_on = form.expires_on.data
    agreement.is_public = form.is_public.data
    dropped = attach_document(agreement, document)
    if document is None and form.remove_document.data:
        dropped = detach_document(agreement)
    db.session.add(agreement)
    db.session.commit()
    discard_document(dropped)  # only once the row no longer points at it
    return True


def _render_form(form: AgreementForm, academy: PartnerAcademy, agreement: Agreement | None):
    if form.is_submitted() and form.errors and request.files.get("document"):
        form.document.errors = [
            *form.document.errors,
            _("Choose the file again: a browser does not keep it after an error."),
        ]
    return render_template(
        "admin/agreement_form.html",
        form=form,
        academy=academy,
        agreement=agreement,
        max_mb=max(max_document_bytes() // (1024 * 1024), 1),
    )


@bp.route("/academies/<int:academy_id>/agreements/new", methods=["GET", "POST"])
@accepts_files("document")
@admin_required
def agreement_new(academy_id: int):
    """Record an agreement with a partner academy."""
    academy = db.get_or_404(PartnerAcademy, academy_id)
    form = AgreementForm()
    if form.validate_on_submit() and _save(form, Agreement(academy_id=academy.id)):
        flash(_("The agreement is saved."), "success")
        return redirect(url_for("admin.academies"))
    return _render_form(form, academy, None)


@bp.route("/agreements/<int:agreement_id>/edit", methods=["GET", "POST"])
@accepts_files("document")
@admin_required
def agreement_edit(agreement_id: int):
    """Change an agreement, replace or remove its document."""
    agreement = db.get_or_404(Agreement, agreement_id)
    form = AgreementForm(obj=agreement)
    if not form.is_submitted():
        form.kind.data = agreement.kind.value
    if form.validate_on_submit() and _save(form, agreement):
        flash(_("The agreement is saved."), "success")
        return redirect(url_for("admin.academies"))
    return _render_form(form, agreement.academy, agreement)


@bp.post("/agreements/<int:agreement_id>/delete")
@admin_required
def agreement_delete(agreement_id: int):
    """Delete an agreement recorded by mistake, and its document."""
    agreement = db.get_or_404(Agreement, agreement_id)
    if ConfirmForm().validate_on_submit():
        dropped = detach_document(agreement)
        db.session.delete(agreement)
        db.session.commit()
        discard_document(dropped)
        flash(_("The agreement is deleted."), "success")
    return redirect(url_for("admin.academies"))


@bp.get("/agreements/<int:agreement_id>/document")
@staff_required
def agreement_document(agreement_id: int):
    """The scanned agreement: admins and lecturers, and the academy's own coordinators."""
    agreement = db.get_or_404(Agreement, agreement_id)
    if current_user.is_coordinator and current_user.academy_id != agreement.academy_id:
        abort(403)
    path = document_path(agreement)
    if path is None:
        abort(404)
    response = send_file(
        path,
        mimetype="application/pdf",
        as_attachment=True,
        download_name=agreement.document_name or "agreement.pdf",
        max_age=0,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
