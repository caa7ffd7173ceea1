"""Every model, re-exported so Alembic and the rest of the app see them all."""
from app.models.base import utcnow
from app.models.audit import AuditEvent, record
from app.models.delegates import CheckIn, Delegate, search_key
from app.models.enums import (ConfirmationMode, DelegateStatus, EnrollmentStatus, ForumRole, ForumStatus,
                              GlobalRole, MemorandumLevel, MemorandumStatus, Participation, PersonRole, PledgeStatus,
                              ProjectCategory, ProjectStatus, Sector, SessionKind, SessionStatus)
from app.models.fair import FairProject, JuryCriterion, Juror, JuryScore, Pledge, ProjectAttachment
from app.models.forums import Forum, Hall
from app.models.memoranda import Memorandum, MemorandumRevision, Party, Signature
from app.models.geo import REGIONS, Region, seed_regions
from app.models.programme import Enrollment, Person, Session, SessionChange, SessionPerson
from app.models.organizations import Organization, bin_check_digit, is_valid_bin
from app.models.users import ApiToken, ForumStaff, User

__all__ = [
    "Memorandum", "MemorandumLevel", "MemorandumRevision", "MemorandumStatus", "Party", "Signature",
    "FairProject", "JuryCriterion", "Juror", "JuryScore", "Pledge", "PledgeStatus", "ProjectAttachment",
    "ProjectCategory", "ProjectStatus",
    "Enrollment", "EnrollmentStatus", "Person", "PersonRole", "Session", "SessionChange", "SessionKind",
    "SessionPerson", "SessionStatus",
    "AuditEvent", "CheckIn", "ConfirmationMode", "Delegate", "DelegateStatus", "Participation",
    "record", "search_key",
    "ApiToken", "Forum", "ForumRole", "ForumStaff", "ForumStatus", "GlobalRole", "Hall",
    "Organization", "REGIONS", "Region", "Sector", "User", "bin_check_digit",
    "is_valid_bin", "seed_regions", "utcnow",
]
