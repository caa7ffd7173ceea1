"""The signatory's side: the invitation link, the signing page, and the list of memoranda waiting for them.

    GET/POST /memoranda/invitations/<token>                   the link in the invitation letter
    GET/POST /forums/<slug>/memoranda/<id>/sign               the party's bound signatory only
    GET      /memoranda/waiting                               "Waiting for your signature"

The invitation binds the account with the invited address to the party (creating the account, or giving a
passwordless one its first password, when needed); only that account may then sign for the party.
"""
from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_user, logout_user

from app.auth import services as accounts
from app.auth.access import acting_user, login_required
from app.extensions import db, limiter
from app.i18n import current_language
from app.memoranda import bp, invitations, services
from app.memoranda.forms import AccountForm, SignForm
from app.memoranda.services import MemorandumError
from app.memoranda.views import load, party_rows, texts, to_login
from app.models import MemorandumStatus, Party, User


def _limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]  # a password is typed on both pages: guessing is slowed down


def notice(title: str, message: str, status: int, **context):
    """A page that only explains (a refused or expired link, a wrong account): with the right status code."""
    return render_template("memoranda/notice.html", title=title, message=message, status=status, **context), status


# ---------------------------------------------------------------- the invitation


def _to_sign(party: Party):
    return redirect(url_for("memoranda.sign", slug=party.memorandum.forum.slug, memorandum_id=party.memorandum_id))


def _render_account(party: Party, form: AccountForm, existing: User | None, status: int = 200,
                    error: str | None = None):
    return render_template("memoranda/invitation.html", party=party, memorandum=party.memorandum,
                           forum=party.memorandum.forum, form=form, existing=existing, error=error), status


def _accept(party: Party, user: User):
    try:
        services.accept_invitation(party, user)
    except MemorandumError as exc:
        db.session.rollback()
        return notice(_("This invitation cannot be used"), exc.message, exc.status, party=party)
    return _to_sign(party)


@bp.route("/memoranda/invitations/<token>", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"])
def invitation(token: str):
    party = services.party_from_invitation(token) if len(token) < 1000 else None
    if party is None:
        return notice(_("This invitation is not valid or has expired"),
                      _("The link may be incomplete, or the memorandum's text or signatory has changed since it "
                        "was sent. Ask the forum's organizers to send you a new invitation."), 404)
    g.forum = party.memorandum.forum
    user = acting_user()
    if request.method == "POST" and request.form.get("action") == "switch":
        logout_user()  # "log out and continue": back to this same link as a stranger
        return redirect(url_for("memoranda.invitation", token=token))
    existing = invitations.account_for(party)

    if user is not None:
        if User.normalize_email(user.email) != party.signatory_email:
            return notice(_("This invitation is for another account"),
                          _("This invitation was sent to %(email)s, but you are logged in as %(current)s. Log out, "
                            "then open the invitation again to sign in with the invited address.",
                            email=party.signatory_email, current=user.email), 403, party=party, token=token)
        if not invitations.needs_password(user):
            return _accept(party, user)
    elif existing is not None and not invitations.needs_password(existing):
        return to_login(request.path)

    # No account yet, or an account without a password (made by a registration): the signatory sets one here.
    form = AccountForm()
    if request.method == "GET":
        form.full_name.data = existing.full_name if existing is not None else party.signatory_name
        return _render_account(party, form, existing)
    if not form.validate_on_submit():
        return _render_account(party, form, existing, 422)
    try:
        user = invitations.claim_account(party, form.full_name.data, form.password.data, current_language())
    except accounts.AccountError as exc:
        db.session.rollback()
        field = getattr(form, exc.field or "", None)
        if field is not None and exc.field in ("password", "full_name"):
            field.errors = list(field.errors) + [exc.message]
            return _render_account(party, form, existing, 422)
        return _render_account(party, form, existing, 409, error=exc.message)
    except MemorandumError as exc:
        db.session.rollback()
        return notice(_("This invitation cannot be used"), exc.message, exc.status, party=party)
    login_user(user)
    flash(_("Your account is ready. Read the memorandum and sign it below."), "success")
    return _to_sign(party)


# ---------------------------------------------------------------- signing


def render_sign(forum, memorandum, party: Party, form: SignForm | None = None, status: int = 200,
                error: str | None = None):
    form = form or SignForm(formdata=None)
    form.sha256.data = memorandum.sha256  # the hash of the text shown on this very page
    rows = party_rows(memorandum)
    state = next(r.state for r in rows if r.party.id == party.id)
    signature = services.signature_of(party)
    return render_template(
        "memoranda/sign.html", forum=forum, memorandum=memorandum, party=party, form=form, rows=rows,
        state=state, signature=signature, error=error,
        texts=[texts(memorandum, lang) for lang in (memorandum.languages or ["ru"])]), status


@bp.route("/forums/<slug>/memoranda/<int:memorandum_id>/sign", methods=["GET", "POST"])
@limiter.limit(_limit, methods=["POST"])
def sign(slug: str, memorandum_id: int):
    forum, memorandum = load(slug, memorandum_id)
    user = acting_user()
    if user is None:
        return to_login(request.path)
    party = services.party_of(memorandum, user)
    if party is None:
        return notice(_("You do not sign this memorandum"),
                      _("Only the signatory invited for one of its parties can sign this memorandum, after opening "
                        "the invitation sent to their email."), 403)
    if request.method == "GET":
        return render_sign(forum, memorandum, party)
    form = SignForm()
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            return render_sign(forum, memorandum, party, form, 400,
                               error=_("The form has expired. Please try again."))
        return render_sign(forum, memorandum, party, form, 422)
    try:
        services.sign(memorandum, user, agree=bool(form.agree.data), full_name=form.full_name.data or "",
                      password=form.password.data or "", sha256=form.sha256.data or None,
                      ip=request.remote_addr, user_agent=request.user_agent.string)
    except MemorandumError as exc:
        db.session.rollback()
        field = getattr(form, exc.field, None) if exc.field in ("agree", "full_name", "password") else None
        if field is not None:
            field.errors = list(field.errors) + [exc.message]
            return render_sign(forum, memorandum, party, form, exc.status)
        return render_sign(forum, memorandum, party, form, exc.status, error=exc.message)
    if memorandum.status == MemorandumStatus.signed:
        flash(_("You have signed. Every party has now signed: the sealed PDF is ready."), "success")
    else:
        flash(_("You have signed the memorandum for %(organization)s.", organization=party.organization.name),
              "success")
    return redirect(url_for("memoranda.show", slug=forum.slug, memorandum_id=memorandum.id))


@bp.route("/memoranda/waiting")
@login_required
def waiting():
    items = services.waiting_for(acting_user())
    return render_template("memoranda/waiting.html", items=items,
                           turns={party.id: party in services.next_to_sign(memorandum) for memorandum, party in items})
