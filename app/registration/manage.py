"""The organizer's delegate list: find, act in bulk, correct a registration, export, print badges.

Thin views: the query logic is in `listing`, the files in `exports`, the rules in `services`.
"""
import sqlalchemy as sa
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy.orm import joinedload

from app.auth.access import acting_user, forum_role_required
from app.extensions import db
from app.forums.forms import region_choices
from app.i18n import DELEGATE_STATUS_LABELS, PARTICIPATION_LABELS, SECTOR_LABELS, current_language
from app.models import AuditEvent, Delegate, DelegateStatus, Forum, ForumRole, utcnow
from app.pdf_response import pdf_response
from app.registration import bp, exports, listing, services
from app.registration.badges import badge_sheets_pdf
from app.registration.manage_forms import DelegateEditForm

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

ACTION_LABELS = {"confirm": _l("Confirm"), "decline": _l("Decline"), "cancel": _l("Cancel registration")}
DONE_MESSAGES = {
    "confirm": _l("The registration is confirmed; the delegate has been told by email."),
    "decline": _l("The registration is declined; the delegate has been told by email."),
    "cancel": _l("The registration is cancelled; the delegate has been told by email."),
}
AUDIT_LABELS = {
    "delegate.registered": _l("Registered"),
    "delegate.pending": _l("Set to awaiting approval"),
    "delegate.confirmed": _l("Confirmed"),
    "delegate.declined": _l("Declined"),
    "delegate.cancelled": _l("Cancelled"),
    "delegate.edited": _l("Registration corrected"),
    "delegate.data_exported": _l("Copy of the personal data handed out"),
    "delegate.erased": _l("Personal data erased on request"),
    "checkin.created": _l("Checked in"),
    "checkin.undone": _l("Check-in undone"),
}
FIELD_LABELS = {
    "full_name": _l("Full name"), "email": _l("Email"), "phone": _l("Phone"), "position": _l("Position"),
    "sector": _l("Sector"), "region_id": _l("Region"), "participation": _l("Format"),
    "language": _l("Language"), "accessibility_needs": _l("Accessibility needs"),
}
HISTORY_LIMIT = 200


def _list_url(forum: Forum, filters: listing.Filters, page: int = 1) -> str:
    args = filters.as_args()
    if page > 1:
        args["page"] = str(page)
    return url_for("registration.manage_delegates", slug=forum.slug, **args)


def _delegate_of(forum: Forum, delegate_id: int) -> Delegate:
    delegate = db.session.scalar(listing.with_relations(
        sa.select(Delegate).where(Delegate.id == delegate_id, Delegate.forum_id == forum.id)))
    return delegate or abort(404)


def _action() -> str:
    action = request.form.get("action", "")
    if action not in services.TRANSITIONS:
        abort(400)
    return action


def allowed_actions(delegate: Delegate) -> list[str]:
    return [action for action, (allowed, _target) in services.TRANSITIONS.items() if delegate.status in allowed]


def audit_label(event: AuditEvent) -> str:
    label = AUDIT_LABELS.get(event.action)
    return str(label) if label is not None else event.action


def audit_details(event: AuditEvent) -> str:
    changed = (event.details or {}).get("changed") if event.action == "delegate.edited" else None
    if not changed:
        return ""
    return ", ".join(str(FIELD_LABELS.get(name, name)) for name in changed)


def _history(delegate: Delegate) -> list[AuditEvent]:
    return list(db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.subject_type == "delegate", AuditEvent.subject_id == delegate.id)
        .options(joinedload(AuditEvent.actor)).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(HISTORY_LIMIT)
    ))


def _form_data(delegate: Delegate) -> dict:
    data = {name: getattr(delegate, name) for name in DelegateEditForm.FIELDS}
    data.update(sector=delegate.sector.value, participation=delegate.participation.value)
    return data


@bp.route("/forums/<slug>/delegates")
@forum_role_required(ForumRole.organizer)
def manage_delegates(forum: Forum):
    filters = listing.Filters.from_args(request.args)
    page = listing.page_of(forum, filters, listing.parse_page(request.args.get("page")))
    return render_template("registration/manage_list.html", forum=forum, filters=filters, args=filters.as_args(),
                           page=page, counts=listing.counts(forum), regions=region_choices()[1:],
                           SECTOR_CHOICES=list(SECTOR_LABELS.items()),
                           STATUS_CHOICES=list(DELEGATE_STATUS_LABELS.items()),
                           FORMAT_CHOICES=list(PARTICIPATION_LABELS.items()))


@bp.route("/forums/<slug>/delegates/bulk", methods=["POST"])
@forum_role_required(ForumRole.organizer)
def manage_bulk(forum: Forum):
    action = _action()
    filters = listing.Filters.from_args(request.args)
    back = _list_url(forum, filters, listing.parse_page(request.args.get("page")))
    ids = [i for i in map(listing.positive_int, request.form.getlist("ids")) if i is not None]
    if not ids:
        flash(_("Select at least one registration first."), "warning")
        return redirect(back)
    changed = services.bulk_change_status(forum, ids, action, acting_user())
    flash(ngettext("%(num)d registration updated.", "%(num)d registrations updated.", changed),
          "success" if changed else "info")
    skipped = len(set(ids)) - changed
    if skipped > 0:
        flash(ngettext("%(num)d selected registration was left as it was: its status does not allow this.",
                       "%(num)d selected registrations were left as they were: their status does not allow this.",
                       skipped), "info")
    return redirect(back)


@bp.route("/forums/<slug>/delegates/<int:delegate_id>", methods=["GET", "POST"])
@forum_role_required(ForumRole.organizer)
def manage_edit(forum: Forum, delegate_id: int):
    delegate = _delegate_of(forum, delegate_id)
    form = DelegateEditForm(data=_form_data(delegate))
    if form.validate_on_submit():
        try:
            services.update_registration(delegate, form.changes(), acting_user())
        except services.RegistrationError as exc:
            db.session.rollback()
            target = getattr(form, exc.field, None) if exc.field else None
            if target is not None:
                target.errors = list(target.errors) + [exc.message]
            else:
                flash(exc.message, "error")
                form.form_errors.append(exc.message)
        else:
            flash(_("The registration has been saved."), "success")
            return redirect(url_for("registration.manage_edit", slug=forum.slug, delegate_id=delegate.id))
    return render_template("registration/manage_edit.html", forum=forum, delegate=delegate, form=form,
                           history=_history(delegate), actions=allowed_actions(delegate),
                           action_labels=ACTION_LABELS, audit_label=audit_label,
                           audit_details=audit_details), (422 if form.errors else 200)


@bp.route("/forums/<slug>/delegates/<int:delegate_id>/status", methods=["POST"])
@forum_role_required(ForumRole.organizer)
def manage_status(forum: Forum, delegate_id: int):
    delegate = _delegate_of(forum, delegate_id)
    action = _action()
    try:
        services.change_status(delegate, action, acting_user())
    except services.RegistrationError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        flash(str(DONE_MESSAGES[action]), "success")
    return redirect(url_for("registration.manage_edit", slug=forum.slug, delegate_id=delegate_id))


def _download(data: bytes, mimetype: str, forum: Forum, extension: str) -> Response:
    stamp = utcnow().astimezone(forum.tzinfo).strftime("%Y%m%d-%H%M")
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="delegates-{forum.slug}-{stamp}.{extension}"'
    response.headers["Cache-Control"] = "private, no-store"  # personal data: no copies in caches
    return response


@bp.route("/forums/<slug>/delegates/export.csv")
@forum_role_required(ForumRole.organizer)
def manage_export_csv(forum: Forum):
    filters = listing.Filters.from_args(request.args)
    data = exports.to_csv(listing.each_matching(forum, filters), forum, current_language())
    response = _download(data, "text/csv", forum, "csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    return response


@bp.route("/forums/<slug>/delegates/export.xlsx")
@forum_role_required(ForumRole.organizer)
def manage_export_xlsx(forum: Forum):
    filters = listing.Filters.from_args(request.args)
    data = exports.to_xlsx(listing.each_matching(forum, filters), forum, current_language())
    return _download(data, XLSX_MIMETYPE, forum, "xlsx")


@bp.route("/forums/<slug>/delegates/badges.pdf")
@forum_role_required(ForumRole.organizer)
def manage_badges(forum: Forum):
    filters = listing.Filters.from_args(request.args)
    delegates = listing.matching(forum, filters, status=DelegateStatus.confirmed)
    if not delegates:
        flash(_("No confirmed delegate matches these filters, so there are no badges to print."), "info")
        return redirect(_list_url(forum, filters))
    return pdf_response(badge_sheets_pdf(delegates, current_language()), f"badges-{forum.slug}.pdf")
