"""The fair's rules: who submits, who moderates, who pledges and who confirms; what a project's money adds up to.

Every rule lives here, so the pages and the API obey the same ones. Money is whole tenge
(Python ints, BIGINT columns): no floats anywhere near an amount. A project's totals are
recounted from its pledges under a row lock (`recount`), never incremented, so two NGO
staff confirming at once cannot make the recorded funding drift from what was confirmed.
"""
import hashlib
import io
import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from app.extensions import db
from app.models import (AuditEvent, Delegate, DelegateStatus, FairProject, Forum, ForumRole, ForumStatus,
                        JuryCriterion, Juror, JuryScore, Organization, Pledge, PledgeStatus, ProjectAttachment,
                        ProjectCategory, ProjectStatus, Region, Sector, User, record, search_key, utcnow)

MAX_KZT = 10**12  # a trillion tenge: more than any fair; keeps sums far from BIGINT's edge
MAX_DURATION_MONTHS = 120
MAX_BENEFICIARIES = 100_000_000

PUBLIC_STATES = (ProjectStatus.approved, ProjectStatus.presented, ProjectStatus.supported, ProjectStatus.funded,
                 ProjectStatus.memorandum_signed)
EDITABLE_STATES = (ProjectStatus.submitted, ProjectStatus.returned)
PLEDGEABLE_STATES = (ProjectStatus.approved, ProjectStatus.presented, ProjectStatus.supported, ProjectStatus.funded)
# The funding filter of the catalogue, by what a business wants to see.
FUNDING_FILTERS = ("seeking", "supported", "funded")
SORTS = ("newest", "most_needed", "closest")


class FairError(Exception):
    """A fair rule was broken; `field` names the form field, `code` is for the API."""

    def __init__(self, message: str, code: str = "invalid", status: int = 422, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status
        self.field = field


# ---------------------------------------------------------------- who is who


def is_organizer(user: User | None, forum: Forum) -> bool:
    return user is not None and user.has_forum_role(forum, ForumRole.organizer)


def delegate_of(user: User | None, forum: Forum) -> Delegate | None:
    if user is None:
        return None
    return db.session.scalar(sa.select(Delegate).where(Delegate.forum_id == forum.id, Delegate.user_id == user.id)
                             .options(joinedload(Delegate.organization)))


def ngo_delegate(user: User | None, forum: Forum) -> Delegate | None:
    """The user's registration if it lets them submit projects: a confirmed NGO delegate of this forum."""
    delegate = delegate_of(user, forum)
    if delegate and delegate.status == DelegateStatus.confirmed and delegate.sector == Sector.ngo:
        return delegate
    return None


def business_delegate(user: User | None, forum: Forum) -> Delegate | None:
    """The user's registration if it lets them pledge: a confirmed business delegate of this forum."""
    delegate = delegate_of(user, forum)
    if delegate and delegate.status == DelegateStatus.confirmed and delegate.sector == Sector.business:
        return delegate
    return None


def is_owner(user: User | None, project: FairProject) -> bool:
    """The NGO side of a project: whoever submitted it."""
    return user is not None and project.delegate is not None and project.delegate.user_id == user.id


def can_view(user: User | None, project: FairProject) -> bool:
    # A closed forum's fair stays public (its results are reported afterwards); a draft forum's is not.
    if project.status in PUBLIC_STATES and project.forum.status != ForumStatus.draft:
        return True
    return is_owner(user, project) or is_organizer(user, project.forum)


def get_project(project_id: int) -> FairProject | None:
    return db.session.get(FairProject, project_id)


# ---------------------------------------------------------------- projects


@dataclass
class ProjectInput:
    """What an NGO types about its project, from the form or the API, before any rule is applied."""

    title_kk: str | None = None
    title_ru: str | None = None
    summary_kk: str | None = None
    summary_ru: str | None = None
    description: str | None = None
    category: str | None = None
    region_id: int | None = None
    settlement: str | None = None
    beneficiaries: str | None = None
    beneficiaries_count: int | None = None
    budget_kzt: int | None = None
    budget_breakdown: str | None = None
    duration_months: int | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    contact_email: str | None = None


LIMITS = {"title_kk": 300, "title_ru": 300, "summary_kk": 2000, "summary_ru": 2000, "description": 20000,
          "settlement": 200, "beneficiaries": 500, "budget_breakdown": 5000, "contact_name": 200,
          "contact_phone": 40, "contact_email": 254}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _text(value, limit: int) -> str | None:
    if value is None:
        return None
    value = _CONTROL.sub("", str(value)).strip()
    return value[:limit] or None


def _whole(value, field: str, *, low: int, high: int, message: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            value = int(str(value).replace(" ", "").replace("\u00a0", ""))
        except ValueError:
            raise FairError(message, field=field) from None
    if not low <= value <= high:
        raise FairError(message, field=field)
    return value


def clean_project(data: ProjectInput) -> dict:
    """Check an NGO's project and give the values to store; raise FairError naming the first bad field."""
    from app.forms import EMAIL_RE

    values = {name: _text(getattr(data, name), limit) for name, limit in LIMITS.items()}
    if not (values["title_kk"] or values["title_ru"]):
        raise FairError(_("Give the project's title in Kazakh or Russian."), field="title_ru")
    if not (values["summary_kk"] or values["summary_ru"]):
        raise FairError(_("Give a short summary in Kazakh or Russian."), field="summary_ru")
    if data.category not in ProjectCategory.__members__:
        raise FairError(_("Choose a category from the list."), field="category")
    values["category"] = ProjectCategory(data.category)
    region_id = _whole(data.region_id, "region_id", low=1, high=2**31 - 1,
                       message=_("Choose a region from the list."))
    if region_id is None or db.session.get(Region, region_id) is None:
        raise FairError(_("Choose a region from the list."), field="region_id")
    values["region_id"] = region_id
    values["budget_kzt"] = _whole(data.budget_kzt, "budget_kzt", low=1, high=MAX_KZT,
                                  message=_("The budget is a whole number of tenge, more than zero."))
    if values["budget_kzt"] is None:
        raise FairError(_("The budget is a whole number of tenge, more than zero."), field="budget_kzt")
    values["beneficiaries_count"] = _whole(
        data.beneficiaries_count, "beneficiaries_count", low=0, high=MAX_BENEFICIARIES,
        message=_("The number of beneficiaries is a whole number, zero or more."))
    values["duration_months"] = _whole(
        data.duration_months, "duration_months", low=1, high=MAX_DURATION_MONTHS,
        message=_("The duration is a whole number of months, from 1 to %(max)d.", max=MAX_DURATION_MONTHS))
    if values["contact_email"] and not EMAIL_RE.match(values["contact_email"]):
        raise FairError(_("Enter a valid email address."), field="contact_email")
    return values


def _refresh_search(project: FairProject) -> None:
    project.search_text = search_key(project.title_kk, project.title_ru, project.summary_kk, project.summary_ru,
                                     project.settlement, project.organization.name if project.organization else None)


def submit_project(forum: Forum, user: User, data: ProjectInput) -> FairProject:
    """An NGO delegate puts a project forward; organizers then review it."""
    delegate = ngo_delegate(user, forum)
    if delegate is None:
        raise FairError(_("Only confirmed NGO delegates of this forum can submit projects."), "not_ngo_delegate", 403)
    values = clean_project(data)
    project = FairProject(forum_id=forum.id, delegate=delegate, organization=delegate.organization,
                          status=ProjectStatus.submitted, submitted_at=utcnow(), **values)
    if not project.contact_email:
        project.contact_email = delegate.email
    if not project.contact_name:
        project.contact_name = delegate.full_name
    _refresh_search(project)
    db.session.add(project)
    db.session.flush()
    record("project.submitted", project, actor=user, status=project.status.value)
    db.session.commit()
    return project


def update_project(project: FairProject, user: User, data: ProjectInput) -> FairProject:
    """The NGO edits its project while it is still under review (or was returned to it)."""
    if not is_owner(user, project):
        raise FairError(_("Only the NGO that submitted this project can change it."), "forbidden", 403)
    if project.status not in EDITABLE_STATES:
        raise FairError(_("An approved project can no longer be changed."), "not_editable", 409)
    values = clean_project(data)
    changed = sorted(name for name, value in values.items() if getattr(project, name) != value)
    for name, value in values.items():
        setattr(project, name, value)
    _refresh_search(project)
    if changed:
        record("project.edited", project, actor=user, fields=changed)
    db.session.commit()
    return project


def resubmit(project: FairProject, user: User) -> FairProject:
    """After the organizers returned it with a comment, the NGO sends the project back for review."""
    if not is_owner(user, project):
        raise FairError(_("Only the NGO that submitted this project can change it."), "forbidden", 403)
    if project.status != ProjectStatus.returned:
        raise FairError(_("Only a returned project can be sent for review again."), "invalid_transition", 409)
    _move(project, ProjectStatus.submitted, user)
    project.submitted_at = utcnow()
    db.session.commit()
    return project


def _move(project: FairProject, target: ProjectStatus, actor: User | None, **details) -> None:
    previous = project.status
    project.status = target
    record(f"project.{target.value}", project, actor=actor, previous=previous.value, **details)


REVIEW_ACTIONS = {
    "approve": ProjectStatus.approved,
    "return": ProjectStatus.returned,
    "reject": ProjectStatus.rejected,
}


def review(project: FairProject, actor: User, action: str, comment: str | None = None) -> FairProject:
    """An organizer approves a submitted project, returns it with a comment, or rejects it."""
    if not is_organizer(actor, project.forum):
        raise FairError(_("Only the forum's organizers review projects."), "forbidden", 403)
    if action not in REVIEW_ACTIONS:
        raise FairError(_("Unknown action."), "invalid_action", 422, "action")
    if project.status != ProjectStatus.submitted:
        raise FairError(_("Only a project waiting for review can be approved, returned or rejected."),
                        "invalid_transition", 409)
    comment = _text(comment, 2000)
    if action == "return" and not comment:
        raise FairError(_("Say what the NGO should change: the comment is sent back with the project."),
                        field="comment")
    target = REVIEW_ACTIONS[action]
    project.review_comment = comment if action != "approve" else None
    if target == ProjectStatus.approved:
        project.approved_at = utcnow()
    _move(project, target, actor, comment=comment)
    db.session.commit()
    return project


def assign_booth(project: FairProject, actor: User, booth: str | None) -> FairProject:
    """Give an approved project its booth at the fair: it is then presented there."""
    if not is_organizer(actor, project.forum):
        raise FairError(_("Only the forum's organizers assign booths."), "forbidden", 403)
    if project.status not in PUBLIC_STATES:
        raise FairError(_("Only an approved project gets a booth."), "invalid_transition", 409)
    booth = _text(booth, 20)
    if booth and db.session.scalar(sa.select(FairProject.id).where(
            FairProject.forum_id == project.forum_id, FairProject.booth == booth, FairProject.id != project.id)):
        raise FairError(_("Booth %(booth)s is already given to another project.", booth=booth), "booth_taken", 409,
                        "booth")
    previous = project.booth
    project.booth = booth
    record("project.booth", project, actor=actor, previous=previous, booth=booth)
    _settle_status(project, actor)
    db.session.commit()
    return project


def mark_memorandum_signed(project: FairProject, actor: User | None) -> FairProject:
    """The last step: the NGO and its backers sealed their cooperation with a memorandum."""
    if actor is not None and not is_organizer(actor, project.forum):
        raise FairError(_("Only the forum's organizers can record this."), "forbidden", 403)
    if project.status not in (ProjectStatus.supported, ProjectStatus.funded):
        raise FairError(_("A memorandum follows support: this project has no confirmed pledge yet."),
                        "invalid_transition", 409)
    _move(project, ProjectStatus.memorandum_signed, actor)
    db.session.commit()
    return project


def set_winner(project: FairProject, actor: User, winner: bool) -> FairProject:
    if not is_organizer(actor, project.forum):
        raise FairError(_("Only the forum's organizers mark the winners."), "forbidden", 403)
    if project.status not in PUBLIC_STATES:
        raise FairError(_("Only an approved project can win."), "invalid_transition", 409)
    if project.is_winner != winner:
        project.is_winner = winner
        record("project.winner" if winner else "project.winner_removed", project, actor=actor)
        db.session.commit()
    return project


def history(project: FairProject) -> list[AuditEvent]:
    """Every change to the project and its pledges, oldest first: who did what, and when."""
    pledge_ids = sa.select(Pledge.id).where(Pledge.project_id == project.id).scalar_subquery()
    return list(db.session.scalars(
        sa.select(AuditEvent).where(sa.or_(
            sa.and_(AuditEvent.subject_type == "fairproject", AuditEvent.subject_id == project.id),
            sa.and_(AuditEvent.subject_type == "pledge", AuditEvent.subject_id.in_(pledge_ids)),
        )).options(joinedload(AuditEvent.actor)).order_by(AuditEvent.at, AuditEvent.id)))


# ---------------------------------------------------------------- money


def _lock(project_id: int) -> FairProject:
    """Take the project row for this transaction: pledge decisions on one project queue up here on PostgreSQL."""
    return db.session.scalar(sa.select(FairProject).where(FairProject.id == project_id).with_for_update()
                             .execution_options(populate_existing=True))


def _settle_status(project: FairProject, actor: User | None) -> None:
    """Move the project along by its money: presented → supported (a confirmed pledge) → funded (budget covered)."""
    if project.status not in PLEDGEABLE_STATES:
        return
    if project.covered_kzt >= project.budget_kzt:
        target = ProjectStatus.funded
    elif project.backers_count > 0:
        target = ProjectStatus.supported
    elif project.booth:
        target = ProjectStatus.presented
    else:
        target = ProjectStatus.approved
    if target != project.status:
        _move(project, target, actor)


def recount(project: FairProject, actor: User | None = None) -> FairProject:
    """Recompute the project's totals from its pledges; only pledges the NGO confirmed count as funding."""
    confirmed, confirmed_in_kind, backers = db.session.execute(
        sa.select(sa.func.coalesce(sa.func.sum(Pledge.amount_kzt), 0),
                  sa.func.coalesce(sa.func.sum(Pledge.in_kind_value_kzt), 0),
                  sa.func.count(sa.distinct(Pledge.organization_id)) + sa.func.count(
                      sa.distinct(sa.case((Pledge.organization_id.is_(None), Pledge.delegate_id)))))
        .where(Pledge.project_id == project.id, Pledge.status == PledgeStatus.confirmed)).one()
    pending = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(Pledge.amount_kzt), 0))
        .where(Pledge.project_id == project.id, Pledge.status == PledgeStatus.pending))
    project.confirmed_kzt = int(confirmed)
    project.confirmed_in_kind_kzt = int(confirmed_in_kind)
    project.pending_kzt = int(pending)
    project.backers_count = int(backers)
    _settle_status(project, actor)
    return project


@dataclass
class PledgeInput:
    amount_kzt: int | None = None
    in_kind: str | None = None
    in_kind_value_kzt: int | None = None
    comment: str | None = None


def clean_pledge(data: PledgeInput) -> dict:
    amount = _whole(data.amount_kzt, "amount_kzt", low=1, high=MAX_KZT,
                    message=_("The amount is a whole number of tenge, more than zero."))
    in_kind = _text(data.in_kind, 2000)
    in_kind_value = _whole(data.in_kind_value_kzt, "in_kind_value_kzt", low=1, high=MAX_KZT,
                           message=_("The estimated value is a whole number of tenge, more than zero."))
    if in_kind and in_kind_value is None:
        raise FairError(_("Estimate what the in-kind support is worth, in tenge."), field="in_kind_value_kzt")
    if in_kind_value is not None and not in_kind:
        raise FairError(_("Describe the in-kind support you offer."), field="in_kind")
    if amount is None and not in_kind:
        raise FairError(_("Pledge an amount of money, in-kind support, or both."), "empty_pledge", field="amount_kzt")
    return dict(amount_kzt=amount, in_kind=in_kind, in_kind_value_kzt=in_kind_value,
                comment=_text(data.comment, 2000))


def make_pledge(project: FairProject, user: User, data: PledgeInput) -> Pledge:
    """A business delegate offers support; it counts once the NGO confirms it."""
    delegate = business_delegate(user, project.forum)
    if delegate is None:
        raise FairError(_("Only confirmed business delegates of this forum can pledge."), "not_business_delegate", 403)
    values = clean_pledge(data)
    project = _lock(project.id)
    if project.status not in PLEDGEABLE_STATES:
        raise FairError(_("This project is not open for pledges."), "not_open", 409)
    if project.organization_id is not None and project.organization_id == delegate.organization_id:
        raise FairError(_("You cannot pledge to your own organization's project."), "own_project", 409)
    if db.session.scalar(sa.select(Pledge.id).where(Pledge.project_id == project.id,
                                                    Pledge.delegate_id == delegate.id,
                                                    Pledge.status == PledgeStatus.pending)):
        raise FairError(_("Your earlier pledge to this project is still waiting for the NGO's answer. "
                          "Withdraw it first to offer something else."), "pledge_pending", 409)
    pledge = Pledge(project=project, forum_id=project.forum_id, delegate=delegate,
                    organization=delegate.organization, status=PledgeStatus.pending, **values)
    db.session.add(pledge)
    db.session.flush()
    record("pledge.made", pledge, actor=user, forum_id=project.forum_id, project_id=project.id,
           amount_kzt=pledge.amount_kzt, in_kind_value_kzt=pledge.in_kind_value_kzt)
    recount(project, user)
    db.session.commit()
    _tell_ngo(pledge)
    return pledge


def _decide(pledge: Pledge, user: User, target: PledgeStatus, note: str | None) -> Pledge:
    project = _lock(pledge.project_id)
    pledge = db.session.scalar(sa.select(Pledge).where(Pledge.id == pledge.id).with_for_update()
                               .execution_options(populate_existing=True))
    if pledge.status != PledgeStatus.pending:
        raise FairError(_("This pledge has already been answered."), "already_decided", 409)
    pledge.status = target
    pledge.decided_at = utcnow()
    pledge.decided_by_id = user.id
    pledge.decision_note = _text(note, 2000)
    record(f"pledge.{target.value}", pledge, actor=user, forum_id=project.forum_id, project_id=project.id,
           amount_kzt=pledge.amount_kzt, in_kind_value_kzt=pledge.in_kind_value_kzt)
    recount(project, user)
    db.session.commit()
    return pledge


def confirm_pledge(pledge: Pledge, user: User, note: str | None = None) -> Pledge:
    """The NGO accepts the support: only now does it count toward the project's funding."""
    if not is_owner(user, pledge.project):
        raise FairError(_("Only the NGO that submitted this project answers its pledges."), "forbidden", 403)
    return _decide(pledge, user, PledgeStatus.confirmed, note)


def decline_pledge(pledge: Pledge, user: User, note: str | None = None) -> Pledge:
    if not is_owner(user, pledge.project):
        raise FairError(_("Only the NGO that submitted this project answers its pledges."), "forbidden", 403)
    return _decide(pledge, user, PledgeStatus.declined, note)


def withdraw_pledge(pledge: Pledge, user: User) -> Pledge:
    """The business takes its offer back, which it may do until the NGO has confirmed it."""
    if pledge.delegate is None or pledge.delegate.user_id != user.id:
        raise FairError(_("Only the business that made this pledge can withdraw it."), "forbidden", 403)
    if pledge.status == PledgeStatus.confirmed:
        raise FairError(_("A confirmed pledge can no longer be withdrawn; talk to the NGO."), "already_decided", 409)
    return _decide(pledge, user, PledgeStatus.withdrawn, None)


def _tell_ngo(pledge: Pledge) -> None:
    """A letter to the NGO: a business offered support. A mail failure never undoes the pledge."""
    from app.mail import send
    from app.urls import external_url

    project = pledge.project
    if project.delegate is None:
        return
    send(project.delegate.email, "email/pledge_received.subject.txt", "email/pledge_received.txt",
         project.delegate.language, project=project, pledge=pledge, forum=project.forum, delegate=project.delegate,
         project_url=external_url("fair.project", slug=project.forum.slug, project_id=project.id),
         my_forum_url=external_url("registration.my_forum", slug=project.forum.slug))


def pledges_of(project: FairProject, user: User | None) -> list[Pledge]:
    """The pledges this user may see: all of them for the NGO and organizers, their own for a business."""
    query = (sa.select(Pledge).where(Pledge.project_id == project.id)
             .options(joinedload(Pledge.organization), joinedload(Pledge.delegate))
             .order_by(Pledge.created_at, Pledge.id))
    if is_owner(user, project) or is_organizer(user, project.forum):
        return list(db.session.scalars(query))
    delegate = delegate_of(user, project.forum)
    if delegate is None:
        return []
    return list(db.session.scalars(query.where(Pledge.delegate_id == delegate.id)))


def confirmed_backers(project: FairProject) -> list[Pledge]:
    """Confirmed pledges, shown publicly: businesses are credited for the support they gave."""
    return list(db.session.scalars(
        sa.select(Pledge).where(Pledge.project_id == project.id, Pledge.status == PledgeStatus.confirmed)
        .options(joinedload(Pledge.organization), joinedload(Pledge.delegate)).order_by(Pledge.decided_at)))


# ---------------------------------------------------------------- attachments

ATTACHMENT_TYPES = {  # sniffed type → (extensions that may carry it, the type we serve it as)
    "pdf": ((".pdf",), "application/pdf"),
    "png": ((".png",), "image/png"),
    "jpeg": ((".jpg", ".jpeg"), "image/jpeg"),
    "webp": ((".webp",), "image/webp"),
}


def _sniff(data: bytes) -> str | None:
    """What the file really is, from its first bytes (not from its name or the browser's word)."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def _looks_whole(kind: str, data: bytes) -> bool:
    """A second look: a PDF ends with %%EOF, an image opens and verifies with Pillow."""
    if kind == "pdf":
        return b"%%EOF" in data[-2048:]
    try:
        from PIL import Image

        with Image.open(io.BytesIO(data)) as image:
            if image.format.lower() != kind:
                return False
            image.verify()
        return True
    except Exception:  # any decoding error means: not the image it claims to be
        return False


def _safe_filename(name: str) -> str:
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = _CONTROL.sub("", name).strip().strip(".") or "file"
    return name[-150:]


def add_attachment(project: FairProject, user: User, filename: str, data: bytes) -> ProjectAttachment:
    """Keep a PDF or image with the project, after checking its size and that it is what its name says."""
    if not is_owner(user, project):
        raise FairError(_("Only the NGO that submitted this project can change it."), "forbidden", 403)
    if project.status not in EDITABLE_STATES:
        raise FairError(_("An approved project can no longer be changed."), "not_editable", 409)
    config = current_app.config
    if len(project.attachments) >= config["FAIR_MAX_ATTACHMENTS"]:
        raise FairError(_("A project can have at most %(num)d files.", num=config["FAIR_MAX_ATTACHMENTS"]),
                        "too_many_files", 409, "file")
    name, kind = check_attachment(filename, data)
    attachment = ProjectAttachment(project=project, filename=name, content_type=ATTACHMENT_TYPES[kind][1],
                                   size=len(data), sha256=hashlib.sha256(data).hexdigest(), data=data,
                                   uploaded_by_id=user.id)
    db.session.add(attachment)
    db.session.flush()
    record("project.file_added", project, actor=user, filename=name, size=len(data))
    db.session.commit()
    return attachment


def check_attachment(filename: str, data: bytes) -> tuple[str, str]:
    """The file's checks alone (size, type by content): its safe name and kind, or FairError.

    The submit form runs them on every file before the project is created, so a refused file leaves nothing.
    """
    limit = current_app.config["FAIR_ATTACHMENT_MAX_BYTES"]
    if not data:
        raise FairError(_("The file is empty."), "empty_file", 422, "file")
    if len(data) > limit:
        raise FairError(_("The file is too large: at most %(mb)d MB.", mb=limit // (1024 * 1024)),
                        "too_large", 413, "file")
    name = _safe_filename(filename)
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = _sniff(data)
    if kind is None or extension not in ATTACHMENT_TYPES[kind][0]:
        if extension not in {ext for exts, _type in ATTACHMENT_TYPES.values() for ext in exts}:
            raise FairError(_("Only PDF files and images (PNG, JPEG, WebP) can be attached."),
                            "unsupported_type", 415, "file")
        raise FairError(_("The file's contents do not match its name: it is not really a %(ext)s file.",
                          ext=extension.lstrip(".").upper()), "type_mismatch", 415, "file")
    if not _looks_whole(kind, data):
        raise FairError(_("The file is damaged or not really a %(ext)s file.", ext=extension.lstrip(".").upper()),
                        "type_mismatch", 415, "file")
    return name, kind


def remove_attachment(attachment: ProjectAttachment, user: User) -> None:
    project = attachment.project
    if not is_owner(user, project):
        raise FairError(_("Only the NGO that submitted this project can change it."), "forbidden", 403)
    if project.status not in EDITABLE_STATES:
        raise FairError(_("An approved project can no longer be changed."), "not_editable", 409)
    record("project.file_removed", project, actor=user, filename=attachment.filename)
    db.session.delete(attachment)
    db.session.commit()


# ---------------------------------------------------------------- the catalogue


@dataclass
class CatalogueQuery:
    category: str | None = None
    region_id: int | None = None
    funding: str | None = None      # seeking | supported | funded
    budget_min: int | None = None
    budget_max: int | None = None
    q: str | None = None
    sort: str = "newest"
    page: int = 1
    per_page: int = 24

    @classmethod
    def from_args(cls, args) -> "CatalogueQuery":
        """From a query string; anything unreadable is simply ignored (a catalogue never answers 4xx to a filter)."""
        def number(name, low=0, high=MAX_KZT):
            try:
                value = int(str(args.get(name, "")).replace(" ", ""))
            except ValueError:
                return None
            return value if low <= value <= high else None

        category = args.get("category") or None
        funding = args.get("funding") or None
        sort = args.get("sort") or "newest"
        return cls(
            category=category if category in ProjectCategory.__members__ else None,
            region_id=number("region", 1, 2**31 - 1),
            funding=funding if funding in FUNDING_FILTERS else None,
            budget_min=number("budget_min"),
            budget_max=number("budget_max"),
            q=(args.get("q") or "").strip()[:100] or None,
            sort=sort if sort in SORTS else "newest",
            page=number("page", 1, 10_000) or 1,
        )

    def as_args(self, **override) -> dict:
        """The query string for links that keep the filters (pagination, sorting, the map)."""
        values = {"category": self.category, "region": self.region_id, "funding": self.funding,
                  "budget_min": self.budget_min, "budget_max": self.budget_max, "q": self.q,
                  "sort": None if self.sort == "newest" else self.sort}
        values.update(override)
        return {key: value for key, value in values.items() if value not in (None, "")}


_COVERED = FairProject.confirmed_kzt + FairProject.confirmed_in_kind_kzt


def _catalogue_filter(forum: Forum, query: CatalogueQuery):
    conditions = [FairProject.forum_id == forum.id, FairProject.status.in_(PUBLIC_STATES)]
    if query.category:
        conditions.append(FairProject.category == ProjectCategory(query.category))
    if query.region_id:
        conditions.append(FairProject.region_id == query.region_id)
    if query.funding == "seeking":
        conditions.append(FairProject.backers_count == 0)
    elif query.funding == "supported":
        conditions.append(sa.and_(FairProject.backers_count > 0, _COVERED < FairProject.budget_kzt))
    elif query.funding == "funded":
        conditions.append(_COVERED >= FairProject.budget_kzt)
    if query.budget_min is not None:
        conditions.append(FairProject.budget_kzt >= query.budget_min)
    if query.budget_max is not None:
        conditions.append(FairProject.budget_kzt <= query.budget_max)
    if query.q:
        for word in search_key(query.q).split()[:5]:
            escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            conditions.append(FairProject.search_text.like(f"%{escaped}%", escape="\\"))
    return conditions


def _catalogue_order(sort: str):
    if sort == "most_needed":
        return [(FairProject.budget_kzt - _COVERED).desc(), FairProject.id.desc()]
    if sort == "closest":
        # Nearest to its budget first; fully funded ones last (they need nothing more).
        done = sa.case((_COVERED >= FairProject.budget_kzt, 1), else_=0)
        share = sa.cast(_COVERED, sa.Float) / FairProject.budget_kzt
        return [done, share.desc(), FairProject.id.desc()]
    return [FairProject.approved_at.desc(), FairProject.id.desc()]


def catalogue(forum: Forum, query: CatalogueQuery) -> tuple[list[FairProject], int]:
    """One page of the public catalogue and the number of matching projects."""
    conditions = _catalogue_filter(forum, query)
    total = db.session.scalar(sa.select(sa.func.count(FairProject.id)).where(*conditions))
    projects = db.session.scalars(
        sa.select(FairProject).where(*conditions)
        .options(joinedload(FairProject.organization), joinedload(FairProject.region))
        .order_by(*_catalogue_order(query.sort))
        .limit(query.per_page).offset((query.page - 1) * query.per_page)).all()
    return list(projects), int(total)


# ---------------------------------------------------------------- totals


@dataclass
class FairTotals:
    projects: int = 0               # public (approved and on)
    by_status: dict = None
    supported: int = 0              # with at least one confirmed pledge
    funded: int = 0
    budget_kzt: int = 0
    confirmed_kzt: int = 0
    confirmed_in_kind_kzt: int = 0
    pending_kzt: int = 0
    pledges: int = 0
    backers: int = 0

    @property
    def covered_kzt(self) -> int:
        return self.confirmed_kzt + self.confirmed_in_kind_kzt


def totals(forum: Forum) -> FairTotals:
    """The fair's headline figures, straight from the database (the dashboard and report reuse them)."""
    result = FairTotals(by_status={status.value: 0 for status in ProjectStatus})
    for status, count in db.session.execute(
            sa.select(FairProject.status, sa.func.count()).where(FairProject.forum_id == forum.id)
            .group_by(FairProject.status)):
        result.by_status[status.value] = count
    row = db.session.execute(
        sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(FairProject.budget_kzt), 0),
                  sa.func.coalesce(sa.func.sum(FairProject.confirmed_kzt), 0),
                  sa.func.coalesce(sa.func.sum(FairProject.confirmed_in_kind_kzt), 0),
                  sa.func.coalesce(sa.func.sum(FairProject.pending_kzt), 0),
                  sa.func.count().filter(FairProject.backers_count > 0),
                  sa.func.count().filter(_COVERED >= FairProject.budget_kzt))
        .where(FairProject.forum_id == forum.id, FairProject.status.in_(PUBLIC_STATES))).one()
    (result.projects, result.budget_kzt, result.confirmed_kzt, result.confirmed_in_kind_kzt,
     result.pending_kzt, result.supported, result.funded) = (int(v) for v in row)
    pledge_row = db.session.execute(
        sa.select(sa.func.count(), sa.func.count(sa.distinct(Pledge.organization_id)))
        .where(Pledge.forum_id == forum.id, Pledge.status == PledgeStatus.confirmed)).one()
    result.pledges, result.backers = int(pledge_row[0]), int(pledge_row[1])
    return result


def totals_by_region(forum: Forum) -> list[dict]:
    """Every region, with its public projects, their budgets and confirmed support (zeros included: the map)."""
    rows = {r.region_id: r for r in db.session.execute(
        sa.select(FairProject.region_id, sa.func.count().label("projects"),
                  sa.func.sum(FairProject.budget_kzt).label("budget_kzt"),
                  sa.func.sum(FairProject.confirmed_kzt).label("confirmed_kzt"),
                  sa.func.sum(FairProject.confirmed_in_kind_kzt).label("in_kind_kzt"),
                  sa.func.count().filter(FairProject.backers_count > 0).label("supported"))
        .where(FairProject.forum_id == forum.id, FairProject.status.in_(PUBLIC_STATES))
        .group_by(FairProject.region_id))}
    result = []
    for region in db.session.scalars(sa.select(Region).order_by(Region.code)):
        row = rows.get(region.id)
        result.append({
            "region": region, "projects": int(row.projects) if row else 0,
            "budget_kzt": int(row.budget_kzt or 0) if row else 0,
            "confirmed_kzt": int(row.confirmed_kzt or 0) if row else 0,
            "in_kind_kzt": int(row.in_kind_kzt or 0) if row else 0,
            "supported": int(row.supported) if row else 0,
        })
    return result


def totals_by_business(forum: Forum) -> list[dict]:
    """Each backing organization: confirmed and pending support, biggest backers first."""
    rows = db.session.execute(
        sa.select(Organization, Pledge.status, sa.func.count(), sa.func.coalesce(sa.func.sum(Pledge.amount_kzt), 0),
                  sa.func.coalesce(sa.func.sum(Pledge.in_kind_value_kzt), 0))
        .join(Organization, Organization.id == Pledge.organization_id)
        .where(Pledge.forum_id == forum.id, Pledge.status.in_((PledgeStatus.confirmed, PledgeStatus.pending)))
        .group_by(Organization.id, Pledge.status))
    by_org: dict[int, dict] = {}
    for org, status, count, money, in_kind in rows:
        entry = by_org.setdefault(org.id, {"organization": org, "confirmed_kzt": 0, "in_kind_kzt": 0,
                                           "pending_kzt": 0, "pledges": 0})
        entry["pledges"] += int(count)
        if status == PledgeStatus.confirmed:
            entry["confirmed_kzt"] += int(money)
            entry["in_kind_kzt"] += int(in_kind)
        else:
            entry["pending_kzt"] += int(money)
    return sorted(by_org.values(), key=lambda e: (-(e["confirmed_kzt"] + e["in_kind_kzt"]), -e["pending_kzt"],
                                                  e["organization"].name))


def projects_for_review(forum: Forum, status: str | None = None) -> list[FairProject]:
    """Every project of the forum for its organizers (a status filter if given), newest submissions first."""
    query = (sa.select(FairProject).where(FairProject.forum_id == forum.id)
             .options(joinedload(FairProject.organization), joinedload(FairProject.region))
             .order_by(FairProject.submitted_at.desc(), FairProject.id.desc()))
    if status in ProjectStatus.__members__:
        query = query.where(FairProject.status == ProjectStatus(status))
    return list(db.session.scalars(query))


def projects_of(user: User, forum: Forum) -> list[FairProject]:
    """The projects this user's NGO registration submitted to the forum."""
    return list(db.session.scalars(
        sa.select(FairProject).join(Delegate, Delegate.id == FairProject.delegate_id)
        .where(FairProject.forum_id == forum.id, Delegate.user_id == user.id)
        .options(selectinload(FairProject.pledges)).order_by(FairProject.submitted_at.desc())))


def pledges_by(user: User, forum: Forum) -> list[Pledge]:
    """The pledges this user made at the forum's fair."""
    return list(db.session.scalars(
        sa.select(Pledge).join(Delegate, Delegate.id == Pledge.delegate_id)
        .where(Pledge.forum_id == forum.id, Delegate.user_id == user.id)
        .options(joinedload(Pledge.project)).order_by(Pledge.created_at.desc())))


# ---------------------------------------------------------------- the jury

DEFAULT_CRITERIA = [
    ("Әлеуметтік әсері", "Социальное воздействие", "Social impact"),
    ("Жүзеге асырылуы", "Реализуемость", "Feasibility"),
    ("Тұрақтылығы", "Устойчивость", "Sustainability"),
    ("Бюджеттің шынайылығы", "Реалистичность бюджета", "Budget realism"),
]
SCORE_MIN, SCORE_MAX = 1, 10


def criteria(forum: Forum) -> list[JuryCriterion]:
    """The forum's scoring criteria; a forum without any gets the four usual ones."""
    found = list(db.session.scalars(sa.select(JuryCriterion).where(JuryCriterion.forum_id == forum.id)
                                    .order_by(JuryCriterion.position, JuryCriterion.id)))
    if found:
        return found
    for position, (kk, ru, en) in enumerate(DEFAULT_CRITERIA):
        db.session.add(JuryCriterion(forum_id=forum.id, name_kk=kk, name_ru=ru, name_en=en, position=position))
    db.session.commit()
    return criteria(forum)


def jurors(forum: Forum) -> list[Juror]:
    return list(db.session.scalars(sa.select(Juror).where(Juror.forum_id == forum.id)
                                   .options(joinedload(Juror.user), joinedload(Juror.organization))
                                   .order_by(Juror.created_at, Juror.id)))


def juror_for(user: User | None, forum: Forum) -> Juror | None:
    if user is None:
        return None
    return db.session.scalar(sa.select(Juror).where(Juror.forum_id == forum.id, Juror.user_id == user.id))


def name_juror(forum: Forum, actor: User, email: str) -> Juror:
    """An organizer names a juror by the email of their account; their organization is taken from their registration."""
    if not is_organizer(actor, forum):
        raise FairError(_("Only the forum's organizers name the jury."), "forbidden", 403)
    user = db.session.scalar(sa.select(User).where(User.email == User.normalize_email(email or "")))
    if user is None:
        raise FairError(_("There is no account with this email. Ask the person to register for the forum or to "
                          "sign up first."), "unknown_user", 404, "email")
    if juror_for(user, forum) is not None:
        raise FairError(_("%(name)s is already on the jury.", name=user.full_name), "already_juror", 409, "email")
    delegate = delegate_of(user, forum)
    juror = Juror(forum_id=forum.id, user=user, organization_id=delegate.organization_id if delegate else None)
    db.session.add(juror)
    db.session.flush()
    record("jury.juror_named", juror, actor=actor, forum_id=forum.id, user_id=user.id)
    db.session.commit()
    return juror


def remove_juror(juror: Juror, actor: User) -> None:
    forum = db.session.get(Forum, juror.forum_id)
    if not is_organizer(actor, forum):
        raise FairError(_("Only the forum's organizers name the jury."), "forbidden", 403)
    if db.session.scalar(sa.select(JuryScore.id).where(JuryScore.juror_id == juror.id).limit(1)):
        raise FairError(_("This juror has already scored projects; their scores stay in the ranking."),
                        "has_scores", 409)
    record("jury.juror_removed", juror, actor=actor, forum_id=juror.forum_id, user_id=juror.user_id)
    db.session.delete(juror)
    db.session.commit()


def juror_organizations(juror: Juror) -> set[int]:
    """The organizations a juror stands for: the one named with them and the one they registered with."""
    ids = {juror.organization_id} if juror.organization_id else set()
    ids.update(db.session.scalars(sa.select(Delegate.organization_id).where(
        Delegate.forum_id == juror.forum_id, Delegate.user_id == juror.user_id,
        Delegate.organization_id.is_not(None))))
    return ids


def has_conflict(juror: Juror, project: FairProject) -> bool:
    """A juror does not score a project of their own organization, nor one they submitted."""
    if project.delegate is not None and project.delegate.user_id == juror.user_id:
        return True
    return project.organization_id is not None and project.organization_id in juror_organizations(juror)


def has_scored(juror: Juror, project: FairProject) -> bool:
    return db.session.scalar(sa.select(JuryScore.id).where(JuryScore.juror_id == juror.id,
                                                           JuryScore.project_id == project.id).limit(1)) is not None


def submit_scores(juror: Juror, project: FairProject, scores: dict, comment: str | None = None) -> list[JuryScore]:
    """A juror's scores for one project, all criteria at once, final once given."""
    if project.forum_id != juror.forum_id or project.status not in PUBLIC_STATES:
        raise FairError(_("Only the fair's approved projects are scored."), "not_scorable", 409)
    if has_conflict(juror, project):
        raise FairError(_("You cannot score a project of your own organization."), "conflict_of_interest", 403)
    if has_scored(juror, project):
        raise FairError(_("You have already scored this project; scores are final once submitted."),
                        "already_scored", 409)
    forum_criteria = criteria(project.forum)
    clean: dict[int, int] = {}
    for criterion in forum_criteria:
        raw = scores.get(criterion.id, scores.get(str(criterion.id)))
        value = _whole(raw, f"criterion_{criterion.id}", low=SCORE_MIN, high=SCORE_MAX,
                       message=_("Give a whole score from %(low)d to %(high)d.", low=SCORE_MIN, high=SCORE_MAX))
        if value is None:
            raise FairError(_("Give a whole score from %(low)d to %(high)d.", low=SCORE_MIN, high=SCORE_MAX),
                            field=f"criterion_{criterion.id}")
        clean[criterion.id] = value
    now = utcnow()
    comment = _text(comment, 2000)
    rows = [JuryScore(juror_id=juror.id, project_id=project.id, criterion_id=criterion_id, score=value,
                      comment=comment, submitted_at=now) for criterion_id, value in clean.items()]
    db.session.add_all(rows)
    record("jury.scored", project, actor=juror.user, juror_id=juror.id, total=sum(clean.values()))
    try:
        db.session.commit()
    except sa.exc.IntegrityError:  # the same juror, twice at once: the unique key keeps one
        db.session.rollback()
        raise FairError(_("You have already scored this project; scores are final once submitted."),
                        "already_scored", 409) from None
    return rows


def scores_visible(user: User | None, project: FairProject) -> bool:
    """Organizers see every score; a juror sees the others' only after submitting their own."""
    if is_organizer(user, project.forum):
        return True
    juror = juror_for(user, project.forum)
    return juror is not None and has_scored(juror, project)


@dataclass
class RankingRow:
    project: FairProject
    average: float | None           # mean of all criterion scores, 1–10
    by_criterion: dict              # criterion id → mean
    jurors: int


def ranking(forum: Forum) -> list[RankingRow]:
    """Approved projects by their average jury score, best first; unscored ones last."""
    forum_criteria = criteria(forum)
    stats: dict[int, dict] = {}
    for project_id, criterion_id, mean, count in db.session.execute(
            sa.select(JuryScore.project_id, JuryScore.criterion_id, sa.func.avg(JuryScore.score),
                      sa.func.count(sa.distinct(JuryScore.juror_id)))
            .join(FairProject, FairProject.id == JuryScore.project_id)
            .where(FairProject.forum_id == forum.id)
            .group_by(JuryScore.project_id, JuryScore.criterion_id)):
        entry = stats.setdefault(project_id, {"by": {}, "jurors": 0})
        entry["by"][criterion_id] = round(float(mean), 2)
        entry["jurors"] = max(entry["jurors"], int(count))
    overall = dict(db.session.execute(
        sa.select(JuryScore.project_id, sa.func.avg(JuryScore.score))
        .join(FairProject, FairProject.id == JuryScore.project_id)
        .where(FairProject.forum_id == forum.id).group_by(JuryScore.project_id)).all())
    projects = db.session.scalars(
        sa.select(FairProject).where(FairProject.forum_id == forum.id, FairProject.status.in_(PUBLIC_STATES))
        .options(joinedload(FairProject.organization))).all()
    rows = [RankingRow(project=p, average=round(float(overall[p.id]), 2) if p.id in overall else None,
                       by_criterion={c.id: stats.get(p.id, {"by": {}})["by"].get(c.id) for c in forum_criteria},
                       jurors=stats.get(p.id, {}).get("jurors", 0)) for p in projects]
    rows.sort(key=lambda r: (r.average is None, -(r.average or 0), -r.jurors, r.project.id))
    return rows


def mark_winners(forum: Forum, actor: User, project_ids: list[int]) -> int:
    """The organizer marks exactly these projects as the fair's winners (one transaction)."""
    if not is_organizer(actor, forum):
        raise FairError(_("Only the forum's organizers mark the winners."), "forbidden", 403)
    wanted = set(project_ids)
    changed = 0
    for project in db.session.scalars(sa.select(FairProject).where(FairProject.forum_id == forum.id,
                                                                   FairProject.status.in_(PUBLIC_STATES))):
        winner = project.id in wanted
        if project.is_winner != winner:
            project.is_winner = winner
            record("project.winner" if winner else "project.winner_removed", project, actor=actor)
            changed += 1
    db.session.commit()
    return changed

