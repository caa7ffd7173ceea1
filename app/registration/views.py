from flask import abort, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.access import acting_user
from app.extensions import db, limiter
from app.forums.services import get_forum
from app.i18n import current_language
from app.models import Delegate, ForumStatus
from app.pdf_response import pdf_response
from app.registration import bp, services
from app.registration.badges import badge_pdf
from app.registration.forms import CancelForm, RegistrationForm

SESSION_KEY = "registrations"


def _public_forum(slug: str):
    forum = get_forum(slug)
    if forum is None or forum.status == ForumStatus.draft:
        abort(404)
    g.forum = forum
    return forum


def _remember(delegate: Delegate) -> None:
    """Let this browser see the registration it just made, even without an account."""
    ids = [i for i in session.get(SESSION_KEY, []) if i != delegate.id][-9:]
    session[SESSION_KEY] = ids + [delegate.id]


def _own_registration(forum) -> Delegate | None:
    user = acting_user()
    if user is not None:
        delegate = services.registration_for(user, forum)
        if delegate is not None:
            return delegate
    for delegate_id in reversed(session.get(SESSION_KEY, [])):
        delegate = db.session.get(Delegate, delegate_id)
        if delegate is not None and delegate.forum_id == forum.id and not delegate.is_erased:
            return delegate
    return None


def _input(form: RegistrationForm) -> services.RegistrationInput:
    return services.RegistrationInput(
        full_name=form.full_name.data, email=form.email.data, sector=form.sector.data or "",
        consent=bool(form.consent.data), phone=form.phone.data, position=form.position.data,
        region_id=form.region_id.data, participation=form.participation.data or "",
        language=form.language.data, accessibility_needs=form.accessibility_needs.data,
        organization_name=form.organization_name.data, organization_bin=form.organization_bin.data,
    )


@bp.route("/forums/<slug>/register", methods=["GET", "POST"])
@limiter.limit(services.registration_limit, methods=["POST"])
def register(slug: str):
    forum = _public_forum(slug)
    existing = _own_registration(forum)
    if existing is not None and existing.status.value != "cancelled":
        return redirect(url_for("registration.my_forum", slug=slug))
    form = RegistrationForm()
    if current_user.is_authenticated:
        form.email.data = current_user.email  # a logged-in user registers themselves
        form.email.render_kw = {"readonly": True}
    if request.method == "GET":
        form.language.data = current_language()
        if current_user.is_authenticated:
            form.full_name.data = current_user.full_name
    if not forum.registration_open():
        return render_template("registration/closed.html", forum=forum), (409 if request.method == "POST" else 200)
    if form.validate_on_submit():
        try:
            delegate, created = services.register(forum, _input(form))
        except services.RegistrationError as exc:
            target = getattr(form, exc.field, None) if exc.field else None
            if target is not None:
                target.errors = list(target.errors) + [exc.message]
            else:
                flash(exc.message, "error")
        else:
            if created:
                _remember(delegate)
                flash(_("Thank you! Your registration has been received."), "success")
                return redirect(url_for("registration.my_forum", slug=slug))
            services.notify(delegate)  # resend the letter with the sign-in link to the address's owner
            return render_template("registration/already.html", forum=forum, email=delegate.email), 200
    organizations = services.organization_suggestions()
    return render_template("registration/register.html", forum=forum, form=form,
                           organizations=organizations), (422 if form.errors else 200)


@bp.route("/forums/<slug>/me")
def my_forum(slug: str):
    forum = _public_forum(slug)
    delegate = _own_registration(forum)
    if delegate is None:
        if acting_user() is None:
            flash(_("Log in, or use the link in your registration letter, to see your registration."), "info")
            return redirect(url_for("auth.login", next=request.path))
        return redirect(url_for("registration.register", slug=slug))
    return render_template("registration/my_forum.html", forum=forum, delegate=delegate, cancel_form=CancelForm())


@bp.route("/forums/<slug>/me/cancel", methods=["POST"])
def cancel(slug: str):
    forum = _public_forum(slug)
    delegate = _own_registration(forum) or abort(404)
    form = CancelForm()
    if form.validate_on_submit():
        try:
            services.change_status(delegate, "cancel", acting_user())
        except services.RegistrationError as exc:
            flash(exc.message, "error")
        else:
            flash(_("Your registration has been cancelled."), "success")
    return redirect(url_for("registration.my_forum", slug=slug))


@bp.route("/forums/<slug>/me/badge.pdf")
def my_badge(slug: str):
    forum = _public_forum(slug)
    delegate = _own_registration(forum)
    if delegate is None:
        return redirect(url_for("auth.login", next=request.path))
    if not delegate.is_confirmed:
        flash(_("Your badge will be available once your registration is confirmed."), "info")
        return redirect(url_for("registration.my_forum", slug=slug))
    return pdf_response(badge_pdf(delegate), f"badge-{forum.slug}-{delegate.id}.pdf")


@bp.route("/me/forums")
def my_registrations():
    user = acting_user()
    if user is None:
        return redirect(url_for("auth.login", next=request.path))
    return render_template("registration/my_registrations.html", delegates=services.registrations_of(user))
