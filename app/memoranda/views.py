"""Memoranda pages: the organizer's side, a memorandum's page and its PDF.

    GET      /forums/<slug>/memoranda/manage                          organizers: every memorandum of the forum
    GET/POST /forums/<slug>/memoranda/new[?project=<id>]              organizers: draft one (from a fair project)
    GET/POST /forums/<slug>/memoranda/<id>/edit                       organizers: change a draft or an open one
    POST     /forums/<slug>/memoranda/<id>/open | publish | cancel    organizers: move it along
    GET      /forums/<slug>/memoranda/<id>                            organizers, its signatories; anyone once published
    GET      /forums/<slug>/memoranda/<id>/memorandum.pdf             the same readers: the draft or the sealed PDF

The signatory's pages are in `signing`, the public registry and verification in `public`.
Thin views: load or 404, check access, read the form, call `services`, then redirect or show the page again
with the service's message next to the field it names and the service's status code.
"""
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import SQLAlchemyError

from app.auth.access import acting_user, forum_role_required
from app.extensions import db
from app.fair import services as fair
from app.forums.services import get_forum
from app.i18n import current_language
from app.memoranda import bp, documents, history, services
from app.memoranda.forms import (LEVEL_LABELS, ActionForm, CancelForm, MemorandumForm, input_of)
from app.memoranda.prefill import prefill_from_project
from app.memoranda.services import MAX_PARTIES, MemorandumError
from app.models import FairProject, Forum, ForumRole, Memorandum, MemorandumStatus, Party, Signature
from app.models.base import FALLBACK_ORDER
from app.pdf.memorandum import LABELS as TEXT_LABELS
from app.pdf_response import pdf_response

STATUS_LABELS = {
    "draft": _l("Draft"), "open": _l("Open for signing"), "signed": _l("Signed by all parties"),
    "published": _l("Published"), "cancelled": _l("Cancelled"),
}
LANGUAGE_LABELS = {"kk": "Қазақша", "ru": "Русский"}
PARTY_FIELD = re.compile(r"parties-(\d+)-(\w+)")


@bp.app_template_global()
def memorandum_status_label(status) -> str:
    return str(STATUS_LABELS[getattr(status, "value", status)])


@bp.app_template_global()
def memorandum_level_label(level) -> str:
    return str(LEVEL_LABELS[getattr(level, "value", level)])


@bp.app_template_global()
def memoranda_waiting_count() -> int:
    """How many memoranda wait for the reader's signature (the header links to them when there are any)."""
    if "memoranda_waiting" not in g:
        user = acting_user()
        try:
            g.memoranda_waiting = len(services.waiting_for(user)) if user is not None else 0
        except SQLAlchemyError:  # an error page after a failed transaction still renders
            g.memoranda_waiting = 0
    return g.memoranda_waiting


# ---------------------------------------------------------------- loading, shared by every page


def memorandum_of(forum: Forum, memorandum_id: int) -> Memorandum:
    """The memorandum if it belongs to this forum; otherwise 404 (ids of other forums lead nowhere)."""
    memorandum = services.get(memorandum_id) if 0 < memorandum_id < 2**31 else None
    if memorandum is None or memorandum.forum_id != forum.id:
        abort(404)
    return memorandum


def load(slug: str, memorandum_id: int) -> tuple[Forum, Memorandum]:
    forum = get_forum(slug) or abort(404)
    g.forum = forum  # times on the page in the forum's time zone
    return forum, memorandum_of(forum, memorandum_id)


def to_login(next_url: str):
    return redirect(url_for("auth.login", next=next_url))


def text_language(memorandum: Memorandum) -> str:
    """The language version shown: the one asked for (?lang=), else the reader's, else the nearest one."""
    languages = memorandum.languages or ["ru"]
    wanted = request.args.get("lang")
    if wanted in languages:
        return wanted
    return next(lang for lang in FALLBACK_ORDER.get(current_language(), FALLBACK_ORDER["ru"]) + tuple(languages)
                if lang in languages)


@dataclass
class PartyRow:
    party: Party
    signature: Signature | None
    state: str  # signed | waiting | not_their_turn | not_open | closed


def party_rows(memorandum: Memorandum) -> list[PartyRow]:
    """Each party with its signature on the current version and where it stands."""
    is_open = memorandum.status == MemorandumStatus.open
    turn = {p.id for p in services.next_to_sign(memorandum)} if is_open else set()
    rows = []
    for party in memorandum.parties:
        signature = services.signature_of(party)
        if signature is not None:
            state = "signed"
        elif is_open:
            state = "waiting" if party.id in turn else "not_their_turn"
        else:
            state = "not_open" if memorandum.status == MemorandumStatus.draft else "closed"
        rows.append(PartyRow(party, signature, state))
    return rows


@dataclass
class VersionRow:
    version: int
    sha256: str
    created_at: datetime
    current: bool
    signatures: list[Signature] = field(default_factory=list)


def versions(memorandum: Memorandum) -> list[VersionRow]:
    """Every version opened for signing, newest first, with the signatures given to it (voided ones too)."""
    by_version = defaultdict(list)
    for signature in memorandum.signatures:
        by_version[signature.version].append(signature)
    return [VersionRow(r.version, r.sha256, r.created_at, r.version == memorandum.version, by_version[r.version])
            for r in sorted(memorandum.revisions, key=lambda r: -r.version)]


def texts(memorandum: Memorandum, lang: str) -> dict:
    """One language version's sections, with the document's own headings."""
    return {
        "lang": lang, "labels": TEXT_LABELS.get(lang, TEXT_LABELS["ru"]),
        "title": getattr(memorandum, f"title_{lang}") or "",
        "preamble": getattr(memorandum, f"preamble_{lang}") or "",
        "subject": getattr(memorandum, f"subject_{lang}") or "",
        "obligations": [(p.organization.name, p.obligations(lang)) for p in memorandum.parties if p.obligations(lang)],
        "term": getattr(memorandum, f"term_{lang}") or "",
        "final_provisions": getattr(memorandum, f"final_provisions_{lang}") or "",
    }


def render_memorandum(forum: Forum, memorandum: Memorandum, status: int = 200, *, error: str | None = None,
                      cancel_form: CancelForm | None = None):
    """The memorandum's page for this reader: management buttons for organizers only."""
    user = acting_user()
    organizer = services.is_organizer(user, forum)
    party = services.party_of(memorandum, user)
    insider = organizer or party is not None
    lang = text_language(memorandum)
    rows = party_rows(memorandum)
    return render_template(
        "memoranda/show.html", forum=forum, memorandum=memorandum, organizer=organizer, party=party,
        insider=insider, rows=rows, text=texts(memorandum, lang), lang=lang,
        other_languages=[(code, LANGUAGE_LABELS.get(code, code)) for code in memorandum.languages if code != lang],
        versions=versions(memorandum) if insider else [],
        events=history.events(memorandum) if insider else [], event_label=history.event_label,
        event_details=history.event_details,
        may_sign=party is not None and any(r.party.id == party.id and r.state == "waiting" for r in rows),
        signed_count=sum(1 for r in rows if r.state == "signed"),
        action_form=ActionForm(formdata=None), cancel_form=cancel_form or CancelForm(formdata=None),
        error=error), status


# ---------------------------------------------------------------- the organizer's list


@bp.route("/forums/<slug>/memoranda/manage")
@forum_role_required(ForumRole.organizer)
def manage(forum: Forum):
    memoranda = services.of_forum(forum)
    return render_template("memoranda/manage.html", forum=forum, memoranda=memoranda,
                           rows={m.id: party_rows(m) for m in memoranda},
                           signed_count=services.signed_count(forum),
                           by_status={s.value: sum(1 for m in memoranda if m.status == s) for s in MemorandumStatus})


# ---------------------------------------------------------------- drafting and editing


def fair_projects(forum: Forum) -> list[FairProject]:
    """The projects a memorandum may be tied to: this forum's approved ones and those further along."""
    return [p for p in fair.projects_for_review(forum) if p.status in fair.PUBLIC_STATES]


def _new_input(forum: Forum) -> services.MemorandumInput:
    """A blank memorandum with the forum's place and closing day."""
    return services.MemorandumInput(region_id=forum.region_id, city=forum.city,
                                    dated=max(date.today(), forum.ends_on))


def _form_field(form: MemorandumForm, name: str, slots: list[int]):
    """The form field a service error names: "city", or "parties-1-signatory_email" (the service's 2nd party)."""
    match = PARTY_FIELD.fullmatch(name)
    if match is None:
        return form._fields.get(name) if name not in ("parties", "csrf_token", "add_party") else None
    index = int(match.group(1))
    if index >= len(slots):
        return None
    subform = form.parties.entries[slots[index]].form
    return subform._fields.get(match.group(2))


def render_form(forum: Forum, form: MemorandumForm, memorandum: Memorandum | None = None, status: int = 200, *,
                error: str | None = None, parties_error: str | None = None, invalid: bool = False,
                project: FairProject | None = None):
    return render_template(
        "memoranda/form.html", forum=forum, form=form, memorandum=memorandum, error=error,
        parties_error=parties_error, invalid=invalid or bool(form.errors), project=project,
        max_parties=MAX_PARTIES,
        signed_so_far=len(memorandum.current_signatures()) if memorandum is not None else 0), status


def _save(forum: Forum, memorandum: Memorandum | None):
    """The form page of `new` and `edit`: show, add a party slot, or save through the service."""
    projects = fair_projects(forum)
    project = None
    if request.method == "GET":
        if memorandum is not None:
            data = input_of(memorandum)
        elif request.args.get("project"):
            project_id = request.args.get("project", "")
            project = fair.get_project(int(project_id)) if project_id.isdigit() and len(project_id) < 10 else None
            if project is None or project.forum_id != forum.id or project.status not in fair.PUBLIC_STATES:
                abort(404)
            data = prefill_from_project(project)
        else:
            data = _new_input(forum)
        form = MemorandumForm(formdata=None, data=MemorandumForm.data_from(data), projects=projects)
        return render_form(forum, form, memorandum, project=project)

    form = MemorandumForm(projects=projects)
    if form.add_party.data:  # "add another party": the same form with one more empty slot, nothing saved
        if len(form.parties.entries) < MAX_PARTIES:
            form.parties.append_entry()
            return render_form(forum, form, memorandum)
        return render_form(forum, form, memorandum, 422,
                           parties_error=_("A memorandum has at most %(num)d parties.", num=MAX_PARTIES))
    if not form.validate_on_submit():
        return render_form(forum, form, memorandum, 422)
    data, slots = form.memorandum_input()
    version = memorandum.version if memorandum is not None else None
    try:
        if memorandum is None:
            memorandum = services.create(forum, acting_user(), data)
        else:
            memorandum = services.update(memorandum, acting_user(), data)
    except MemorandumError as exc:
        db.session.rollback()
        if memorandum is not None:
            db.session.refresh(memorandum)
        target = _form_field(form, exc.field, slots) if exc.field else None
        if target is not None:
            target.errors = list(target.errors) + [exc.message]
            return render_form(forum, form, memorandum, exc.status, invalid=True)
        if exc.field == "parties":
            return render_form(forum, form, memorandum, exc.status, parties_error=exc.message, invalid=True)
        return render_form(forum, form, memorandum, exc.status, error=exc.message)
    if version is None:
        flash(_("Memorandum %(number)s is drafted. Check it, then open it for signing.", number=memorandum.number),
              "success")
    elif memorandum.version != version:
        flash(_("The text has changed: this is now version %(version)d. The signatures given to the earlier "
                "version are voided and every signatory is invited to sign again.", version=memorandum.version),
              "warning")
    else:
        flash(_("The memorandum is saved."), "success")
    return redirect(url_for("memoranda.show", slug=forum.slug, memorandum_id=memorandum.id))


@bp.route("/forums/<slug>/memoranda/new", methods=["GET", "POST"])
@forum_role_required(ForumRole.organizer)
def new(forum: Forum):
    return _save(forum, None)


@bp.route("/forums/<slug>/memoranda/<int:memorandum_id>/edit", methods=["GET", "POST"])
@forum_role_required(ForumRole.organizer)
def edit(forum: Forum, memorandum_id: int):
    memorandum = memorandum_of(forum, memorandum_id)
    if request.method == "GET" and memorandum.status not in services.EDITABLE:
        flash(_("A signed, published or cancelled memorandum can no longer be changed."), "warning")
        return redirect(url_for("memoranda.show", slug=forum.slug, memorandum_id=memorandum.id))
    return _save(forum, memorandum)


# ---------------------------------------------------------------- moving it along


def _act(forum: Forum, memorandum_id: int, action, done: str):
    memorandum = memorandum_of(forum, memorandum_id)
    if not ActionForm().validate_on_submit():
        return render_memorandum(forum, memorandum, 400, error=_("The form has expired. Please try again."))
    try:
        action(memorandum, acting_user())
    except MemorandumError as exc:
        db.session.rollback()
        return render_memorandum(forum, memorandum, exc.status, error=exc.message)
    flash(done, "success")
    return redirect(url_for("memoranda.show", slug=forum.slug, memorandum_id=memorandum.id))


@bp.route("/forums/<slug>/memoranda/<int:memorandum_id>/open", methods=["POST"], endpoint="open")
@forum_role_required(ForumRole.organizer)
def open_for_signing(forum: Forum, memorandum_id: int):
    return _act(forum, memorandum_id, services.open_for_signing,
                _("The memorandum is open for signing: its text is frozen and every signatory is invited."))


@bp.route("/forums/<slug>/memoranda/<int:memorandum_id>/invitations", methods=["POST"])
@forum_role_required(ForumRole.organizer)
def resend_invitations(forum: Forum, memorandum_id: int):
    return _act(forum, memorandum_id, services.resend_invitations,
                _("The invitations are sent again to the signatories who have not signed yet."))


@bp.route("/forums/<slug>/memoranda/<int:memorandum_id>/publish", methods=["POST"])
@forum_role_required(ForumRole.organizer)
def publish(forum: Forum, memorandum_id: int):
    return _act(forum, memorandum_id, services.publish, _("The memorandum is published in the forum's registry."))


@bp.route("/forums/<slug>/memoranda/<int:memorandum_id>/cancel", methods=["POST"])
@forum_role_required(ForumRole.organizer)
def cancel(forum: Forum, memorandum_id: int):
    memorandum = memorandum_of(forum, memorandum_id)
    form = CancelForm()
    if not form.validate_on_submit():
        return render_memorandum(forum, memorandum, 422, cancel_form=form)
    try:
        services.cancel(memorandum, acting_user(), form.reason.data)
    except MemorandumError as exc:
        db.session.rollback()
        if exc.field == "reason":
            form.reason.errors = list(form.reason.errors) + [exc.message]
            return render_memorandum(forum, memorandum, exc.status, cancel_form=form)
        return render_memorandum(forum, memorandum, exc.status, error=exc.message, cancel_form=form)
    flash(_("The memorandum is cancelled."), "success")
    return redirect(url_for("memoranda.show", slug=forum.slug, memorandum_id=memorandum.id))


# ---------------------------------------------------------------- the memorandum's page and its PDF


@bp.route("/forums/<slug>/memoranda/<int:memorandum_id>")
def show(slug: str, memorandum_id: int):
    forum, memorandum = load(slug, memorandum_id)
    user = acting_user()
    if not services.may_see(user, memorandum):
        if user is None:
            return to_login(request.full_path if request.query_string else request.path)
        abort(404)
    return render_memorandum(forum, memorandum)


@bp.route("/forums/<slug>/memoranda/<int:memorandum_id>/memorandum.pdf")
def pdf(slug: str, memorandum_id: int):
    """Organizers and signatories at any stage (a watermarked draft until sealed); the public once published."""
    _forum, memorandum = load(slug, memorandum_id)
    if not services.may_see(acting_user(), memorandum):
        abort(404)
    return pdf_response(documents.pdf_bytes(memorandum), documents.filename(memorandum))


from app.memoranda import public, signing  # noqa: E402,F401  (their routes join the blueprint)
