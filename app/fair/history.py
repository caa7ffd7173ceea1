"""The project's history in words: one label and one short note per recorded change (the NGO's and the organizers' pages)."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.i18n import format_kzt

HISTORY_LABELS = {
    "project.submitted": _l("Submitted for review"),
    "project.edited": _l("Edited by the NGO"),
    "project.approved": _l("Approved"),
    "project.returned": _l("Returned for changes"),
    "project.rejected": _l("Rejected"),
    "project.presented": _l("Presented at the fair"),
    "project.supported": _l("Supported"),
    "project.funded": _l("Funded"),
    "project.memorandum_signed": _l("Memorandum signed"),
    "project.booth": _l("Booth assigned"),
    "project.winner": _l("Marked a winner"),
    "project.winner_removed": _l("No longer a winner"),
    "project.file_added": _l("File attached"),
    "project.file_removed": _l("File removed"),
    "pledge.made": _l("Pledge made"),
    "pledge.confirmed": _l("Pledge confirmed by the NGO"),
    "pledge.declined": _l("Pledge declined by the NGO"),
    "pledge.withdrawn": _l("Pledge withdrawn by the business"),
    "jury.scored": _l("Scored by a juror"),
}


def history_label(event) -> str:
    label = HISTORY_LABELS.get(event.action)
    return str(label) if label is not None else event.action


def history_details(event, pledges_by_id: dict) -> str:
    """A short note on the change: the comment, the booth, the file, the backer and amount."""
    details = event.details or {}
    action = event.action
    if action in ("project.returned", "project.rejected") and details.get("comment"):
        return details["comment"]
    if action == "project.booth":
        return details.get("booth") or _("booth taken away")
    if action in ("project.file_added", "project.file_removed"):
        return details.get("filename") or ""
    if action == "project.edited" and details.get("fields"):
        return ", ".join(details["fields"])
    if action.startswith("pledge."):
        pledge = pledges_by_id.get(event.subject_id)
        parts = [pledge.backer_name] if pledge is not None and pledge.backer_name else []
        if details.get("amount_kzt"):
            parts.append(format_kzt(details["amount_kzt"]))
        if details.get("in_kind_value_kzt"):
            parts.append(_("in kind %(value)s", value=format_kzt(details["in_kind_value_kzt"])))
        return " · ".join(parts)
    if action == "jury.scored" and details.get("total") is not None:
        return _("total %(total)s", total=details["total"])
    return ""
