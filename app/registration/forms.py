from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, RadioField, SelectField, StringField, SubmitField, TelField, TextAreaField
from wtforms.validators import Optional, Regexp

from app.forms import email_address, max_length, required, strip
from app.forums.forms import coerce_optional_int, region_choices
from app.i18n import LANGUAGE_NAMES, PARTICIPATION_LABELS, SECTOR_LABELS


def sector_choices():
    return [("", _l("— choose —"))] + [(key, label) for key, label in SECTOR_LABELS.items()]


class RegistrationForm(FlaskForm):
    full_name = StringField(_l("Full name"), validators=[required(), max_length(200)], filters=[strip],
                            description=_l("As it should appear on your badge."))
    email = EmailField(_l("Email"), validators=[required(), email_address(), max_length(254)], filters=[strip])
    phone = TelField(_l("Phone"), validators=[Optional(), max_length(40),
                                              Regexp(r"^[0-9+() \-]{5,40}$", message=_l("Enter a phone number, e.g. +7 701 123 45 67."))],
                     filters=[strip])
    organization_name = StringField(_l("Organization"), validators=[max_length(300)], filters=[strip],
                                    description=_l("Start typing to pick an organization already registered, or enter a new one."))
    organization_bin = StringField(_l("Organization's BIN (optional)"), validators=[Optional(), max_length(12)],
                                   filters=[strip], description=_l("12 digits."))
    position = StringField(_l("Position"), validators=[max_length(200)], filters=[strip])
    sector = SelectField(_l("Sector"), validators=[required()])
    region_id = SelectField(_l("Region"), coerce=coerce_optional_int, validate_choice=False)
    participation = RadioField(_l("How will you take part?"), default="in_person",
                               choices=list(PARTICIPATION_LABELS.items()))
    language = SelectField(_l("Language for letters and the badge"), choices=list(LANGUAGE_NAMES.items()))
    accessibility_needs = TextAreaField(_l("Accessibility needs (optional)"), validators=[max_length(2000)],
                                        description=_l("For example sign-language interpretation, step-free access, an assistant."))
    consent = BooleanField(_l("I consent to the processing of my personal data for taking part in this forum, "
                              "in accordance with the Law of the Republic of Kazakhstan “On personal data and its protection”."),
                           validators=[required()])
    submit = SubmitField(_l("Register"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sector.choices = sector_choices()
        self.region_id.choices = region_choices()


class CancelForm(FlaskForm):
    submit = SubmitField(_l("Cancel my registration"))
