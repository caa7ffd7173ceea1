"""Fixed choices of the domain, as enums stored by name."""
import enum


class Sector(str, enum.Enum):
    ngo = "ngo"
    business = "business"
    state = "state"
    international = "international"
    media = "media"
    academia = "academia"


class GlobalRole(str, enum.Enum):
    """What a user may do across every forum."""

    admin = "admin"          # everything, everywhere
    organizer = "organizer"  # may create forums (and runs the ones they create)
    checkin = "checkin"      # may check delegates in at any forum's door
    delegate = "delegate"    # an ordinary participant


class ForumRole(str, enum.Enum):
    """What a user may do in one forum."""

    organizer = "organizer"
    checkin = "checkin"


class ForumStatus(str, enum.Enum):
    draft = "draft"
    published = "published"
    closed = "closed"


class ConfirmationMode(str, enum.Enum):
    """How a forum confirms registrations."""

    automatic = "automatic"  # confirmed at once
    approval = "approval"    # an organizer approves each one


class DelegateStatus(str, enum.Enum):
    pending = "pending"
    confirmed = "confirmed"
    declined = "declined"
    cancelled = "cancelled"


class Participation(str, enum.Enum):
    in_person = "in_person"
    online = "online"


class SessionKind(str, enum.Enum):
    plenary = "plenary"
    panel = "panel"
    master_class = "master_class"
    seminar = "seminar"
    round_table = "round_table"
    conference = "conference"
    ceremony = "ceremony"
    other = "other"


class SessionStatus(str, enum.Enum):
    draft = "draft"
    published = "published"
    cancelled = "cancelled"


class PersonRole(str, enum.Enum):
    speaker = "speaker"
    moderator = "moderator"
    panelist = "panelist"


class EnrollmentStatus(str, enum.Enum):
    enrolled = "enrolled"
    waitlisted = "waitlisted"


class ProjectCategory(str, enum.Enum):
    education = "education"
    health = "health"
    social_protection = "social_protection"
    ecology = "ecology"
    culture = "culture"
    rural_development = "rural_development"
    youth = "youth"
    inclusion = "inclusion"
    other = "other"


class ProjectStatus(str, enum.Enum):
    """A fair project's way: submitted → approved → presented → supported → funded → memorandum signed.

    `returned` goes back to the NGO for changes (then submitted again); `rejected` ends it.
    """

    submitted = "submitted"
    returned = "returned"
    rejected = "rejected"
    approved = "approved"
    presented = "presented"
    supported = "supported"
    funded = "funded"
    memorandum_signed = "memorandum_signed"


class PledgeStatus(str, enum.Enum):
    pending = "pending"
    confirmed = "confirmed"
    declined = "declined"
    withdrawn = "withdrawn"


class MemorandumStatus(str, enum.Enum):
    """A memorandum's way: draft → open for signing (text frozen) → signed by all → published; or cancelled."""
    draft = "draft"
    open = "open"
    signed = "signed"
    published = "published"
    cancelled = "cancelled"


class MemorandumLevel(str, enum.Enum):
    regional = "regional"
    national = "national"
