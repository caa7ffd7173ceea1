"""The organizer's form for correcting a registration."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, SubmitField, TelField, TextAreaField
from wtforms.validators import Optional, Regexp, ValidationError

from app.extensions import db
from app.forms import email_address, max_length, required, strip
from app.forums.forms import coerce_optional_int, region_choices
from app.i18n import LANGUAGE_NAMES, PARTICIPATION_LABELS
from app.models import Region
from app.registration.forms import sector_choices


class DelegateEditForm(FlaskForm):
    full_name = StringField(_l("Full name"), validators=[required(), max_length(200)], filters=[strip])
    email = EmailField(_l("Email"), validators=[required(), email_address(), max_length(254)], filters=[strip])
    phone = TelField(_l("Phone"), validators=[Optional(), max_length(40),
                                              Regexp(r"^[0-9+() \-]{5,40}$",
                                                     message=_l("Enter a phone number, e.g. +7 701 123 45 67."))],
                     filters=[strip])
    position = StringField(_l("Position"), validators=[max_length(200)], filters=[strip])
    sector = SelectField(_l("Sector"), validators=[required()])
    region_id = SelectField(_l("Region"), coerce=coerce_optional_int, validate_choice=False)
    participation = SelectField(_l("Format"), choices=list(PARTICIPATION_LABELS.items()))
    language = SelectField(_l("Language for letters and the badge"), choices=list(LANGUAGE_NAMES.items()))
    accessibility_needs = TextAreaField(_l("Accessibility needs"), validators=[max_length(2000)])
    submit = SubmitField(_l("Save changes"))

    FIELDS = ("full_name", "email", "phone", "position", "sector", "region_id", "participation", "language",
              "accessibility_needs")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sector.choices = sector_choices()
        self.region_id.choices = region_choices()

    def validate_region_id(self, field):
        if field.data is not None and db.session.get(Region, field.data) is None:
            raise ValidationError(_l("Choose a region from the list."))

    def changes(self) -> dict:
        return {name: self[name].data for name in self.FIELDS}
