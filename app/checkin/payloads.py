"""The JSON answer to a scan, shared by the API and the desk page."""
from flask_babel import to_user_timezone

from app.checkin.services import ScanResult, result_message
from app.i18n import participation_label, sector_label


def delegate_public(delegate) -> dict:
    """What the door may show about a delegate: no email, no phone."""
    return {
        "id": delegate.id,
        "full_name": delegate.full_name,
        "organization": delegate.organization_name,
        "position": delegate.position or "",
        "sector": delegate.sector.value,
        "sector_label": sector_label(delegate.sector),
        "participation": delegate.participation.value,
        "participation_label": participation_label(delegate.participation),
        "status": delegate.status.value,
        "accessibility_needs": delegate.accessibility_needs or "",
    }


def scan_payload(result: ScanResult) -> dict:
    checkin = result.checkin
    return {
        "result": result.result,
        "reason": result.reason,
        "message": result_message(result),
        "delegate": delegate_public(result.delegate) if result.delegate is not None else None,
        "checkin_id": checkin.id if checkin else None,
        "checked_in_at": checkin.checked_in_at.isoformat() if checkin else None,
        "checked_in_at_local": to_user_timezone(checkin.checked_in_at).strftime("%H:%M") if checkin else None,
        "checked_in_by": checkin.by_user.full_name if checkin and checkin.by_user else None,
    }
