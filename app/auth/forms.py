from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import EqualTo

from app.forms import email_address, max_length, required, strip
from app.i18n import LANGUAGE_NAMES


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[required(), email_address()], filters=[strip])
    password = PasswordField(_l("Password"), validators=[required()])
    remember = BooleanField(_l("Keep me logged in"))
    submit = SubmitField(_l("Log in"))


class SignupForm(FlaskForm):
    full_name = StringField(_l("Full name"), validators=[required(), max_length(200)], filters=[strip])
    email = EmailField(_l("Email"), validators=[required(), email_address(), max_length(254)], filters=[strip])
    language = SelectField(_l("Preferred language"), choices=list(LANGUAGE_NAMES.items()))
    password = PasswordField(_l("Password"), validators=[required()],
                             description=_l("At least 8 characters, with letters and a digit or symbol; not a common password and not your name."))
    confirm = PasswordField(_l("Repeat the password"), validators=[
        required(), EqualTo("password", message=_l("The passwords do not match."))])
    submit = SubmitField(_l("Create account"))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[required()])
    password = PasswordField(_l("New password"), validators=[required()],
                             description=_l("At least 8 characters, with letters and a digit or symbol; not a common password and not your name."))
    confirm = PasswordField(_l("Repeat the new password"), validators=[
        required(), EqualTo("password", message=_l("The passwords do not match."))])
    submit = SubmitField(_l("Change password"))


class TokenForm(FlaskForm):
    name = StringField(_l("Token name"), validators=[required(), max_length(100)], filters=[strip],
                       description=_l("To recognise it later, e.g. “Entrance desk 2”."))
    submit = SubmitField(_l("Create token"))


class LinkRequestForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[required(), email_address()], filters=[strip])
    submit = SubmitField(_l("Send me a sign-in link"))
