import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, DateTimeLocalField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import NumberRange, Optional, URL

from app.extensions import db
from app.forms import max_length, required, required_input, strip
from app.models import Region

TIMEZONES = [
    ("Asia/Almaty", _l("Kazakhstan (UTC+5)")),
    ("Asia/Tashkent", _l("Uzbekistan (UTC+5)")),
    ("Asia/Bishkek", _l("Kyrgyzstan (UTC+6)")),
    ("Europe/Moscow", _l("Moscow (UTC+3)")),
    ("UTC", "UTC"),
]


def region_choices() -> list[tuple[str, str]]:
    regions = db.session.scalars(sa.select(Region).order_by(Region.code))
    return [("", _l("— not set —"))] + sorted(((str(r.id), r.name) for r in regions), key=lambda c: c[1])


def coerce_optional_int(value):
    if value in (None, "", "None"):
        return None
    number = int(value)
    if not 0 < number <= 2**31 - 1:  # no row has that id; the database driver would overflow on it
        raise ValueError("not an id")
    return number


class ForumForm(FlaskForm):
    title_kk = StringField(_l("Title in Kazakh"), validators=[max_length(300)], filters=[strip])
    title_ru = StringField(_l("Title in Russian"), validators=[max_length(300)], filters=[strip])
    title_en = StringField(_l("Title in English (optional)"), validators=[max_length(300)], filters=[strip])
    slug = StringField(_l("Web address"), validators=[required(), max_length(80)], filters=[strip],
                       description=_l("Lowercase Latin letters, digits and hyphens, e.g. asar-atyrau-2026."))
    city = StringField(_l("City"), validators=[required(), max_length(120)], filters=[strip])
    venue = StringField(_l("Venue"), validators=[max_length(300)], filters=[strip])
    region_id = SelectField(_l("Region"), coerce=coerce_optional_int, validate_choice=False)
    starts_on = DateField(_l("First day"), validators=[required_input()])
    ends_on = DateField(_l("Last day"), validators=[required_input()])
    timezone = SelectField(_l("Time zone"), choices=TIMEZONES, default="Asia/Almaty")
    registration_opens_at = DateTimeLocalField(_l("Registration opens"), validators=[Optional()],
                                               format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
                                               description=_l("In the forum's time zone. Leave empty to open at once."))
    registration_closes_at = DateTimeLocalField(_l("Registration closes"), validators=[Optional()],
                                                format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
                                                description=_l("In the forum's time zone."))
    description_kk = TextAreaField(_l("Description in Kazakh"), validators=[max_length(20000)])
    description_ru = TextAreaField(_l("Description in Russian"), validators=[max_length(20000)])
    description_en = TextAreaField(_l("Description in English (optional)"), validators=[max_length(20000)])
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.region_id.choices = region_choices()

    def validate_region_id(self, field):
        if field.data is not None and db.session.get(Region, field.data) is None:
            from wtforms.validators import ValidationError

            raise ValidationError(_l("Choose a region from the list."))


class HallForm(FlaskForm):
    name = StringField(_l("Hall name"), validators=[required(), max_length(200)], filters=[strip])
    capacity = IntegerField(_l("Seats"), validators=[Optional(), NumberRange(min=1, max=100000,
                            message=_l("Enter a number between 1 and 100 000."))])
    floor = StringField(_l("Floor"), validators=[max_length(40)], filters=[strip])
    stream_url = StringField(_l("Stream link for online viewers"), filters=[strip],
                             validators=[Optional(), max_length(500),
                                         URL(require_tld=True, message=_l("Enter a full link starting with https://"))])
    submit = SubmitField(_l("Save hall"))
