from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app.auth import bp, services
from app.auth.access import login_required
from app.auth.forms import ChangePasswordForm, LinkRequestForm, LoginForm, SignupForm, TokenForm
from app.extensions import limiter
from app.urls import safe_next


def login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(_("Wrong email or password."))
        else:
            login_user(user, remember=form.remember.data)
            flash(_("Welcome, %(name)s!", name=user.full_name), "success")
            return redirect(safe_next(request.args.get("next")) or url_for("main.home"))
    return render_template("auth/login.html", form=form), (422 if form.errors else 200)


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = SignupForm()
    if request.method == "GET":
        from app.i18n import current_language

        form.language.data = current_language()
    if form.validate_on_submit():
        try:
            user = services.create_user(form.email.data, form.password.data, form.full_name.data,
                                        language=form.language.data)
        except services.AccountError as exc:
            getattr(form, exc.field or "email").errors.append(exc.message)
        else:
            login_user(user)
            flash(_("Your account has been created."), "success")
            return redirect(url_for("main.home"))
    return render_template("auth/signup.html", form=form), (422 if form.errors else 200)


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("main.home"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.password.data)
        except services.AccountError as exc:
            getattr(form, exc.field).errors.append(exc.message)
        else:
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("main.home"))
    return render_template("auth/password.html", form=form), (422 if form.errors else 200)


@bp.route("/tokens", methods=["GET", "POST"])
@login_required
def tokens():
    """API tokens for scanners and scripts. A new token is shown once, in this response only."""
    form = TokenForm()
    new_token = None
    if form.validate_on_submit():
        new_token = services.issue_token(current_user, form.name.data)
        form = TokenForm(formdata=None)
    return render_template("auth/tokens.html", form=form, new_token=new_token,
                           tokens=services.tokens_of(current_user)), (422 if form.errors else 200)


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id: int):
    token = services.token_of(current_user, token_id) or abort(404)
    services.revoke_token(token)
    flash(_("The token has been revoked."), "success")
    return redirect(url_for("auth.tokens"))


@bp.route("/link/<token>")
def login_link(token: str):
    """The sign-in link from a registration letter: delegates come back without a password."""
    from app.registration.tokens import read_login_link_token

    user = read_login_link_token(token)
    if user is None:
        flash(_("This link has expired or is not valid. Ask for a new one below."), "error")
        return redirect(url_for("auth.request_link"))
    login_user(user)
    return redirect(safe_next(request.args.get("next")) or url_for("registration.my_registrations"))


@bp.route("/link", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
def request_link():
    form = LinkRequestForm()
    if form.validate_on_submit():
        services.send_login_link(form.email.data)
        flash(_("If an account exists for this address, we have sent it a sign-in link."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/request_link.html", form=form), (422 if form.errors else 200)
