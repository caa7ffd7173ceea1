"""A memorandum's audit trail in words: what happened to it, when, and by whom."""
import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import AuditEvent, Memorandum

EVENT_LABELS = {
    "memorandum.drafted": _l("Drafted"),
    "memorandum.edited": _l("Edited"),
    "memorandum.opened": _l("Opened for signing: the text is frozen"),
    "memorandum.new_version": _l("Text changed: a new version, earlier signatures voided"),
    "memorandum.invitation_accepted": _l("Invitation accepted"),
    "memorandum.invitations_resent": _l("Invitations sent again"),
    "memorandum.signed_by_party": _l("Signed for a party"),
    "memorandum.signed": _l("Signed by every party: the PDF is sealed"),
    "memorandum.published": _l("Published in the registry"),
    "memorandum.cancelled": _l("Cancelled"),
}


def events(memorandum: Memorandum) -> list[AuditEvent]:
    return list(db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.subject_type == "memorandum", AuditEvent.subject_id == memorandum.id)
        .options(joinedload(AuditEvent.actor)).order_by(AuditEvent.at, AuditEvent.id)))


def event_label(event: AuditEvent) -> str:
    label = EVENT_LABELS.get(event.action)
    return str(label) if label is not None else event.action


def event_details(event: AuditEvent) -> str:
    """A short note: the party, the version, the reason."""
    details = event.details or {}
    parts = []
    if details.get("party"):
        parts.append(details["party"])
    if details.get("version") and event.action in ("memorandum.opened", "memorandum.new_version",
                                                   "memorandum.signed_by_party"):
        parts.append(_("version %(version)d", version=details["version"]))
    if event.action == "memorandum.new_version" and details.get("voided"):
        parts.append(_("%(num)d signature(s) voided", num=details["voided"]))
    if details.get("signature"):
        parts.append(details["signature"])
    if details.get("reason"):
        parts.append(details["reason"])
    return " · ".join(str(p) for p in parts)
