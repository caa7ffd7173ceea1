"""The organizer's session form: what a session is, where and when, and who is on stage.

The form only parses what was typed; every scheduling rule lives in `services.check_rules`,
whose conflicts the view shows beside these same field names.
"""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateTimeLocalField, FieldList, Form, FormField, IntegerField, SelectField,
                     SelectMultipleField, StringField, SubmitField, TextAreaField)
from wtforms.validators import NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.extensions import db
from app.forms import max_length, strip
from app.i18n import LANGUAGE_NAMES, PERSON_ROLE_LABELS, SESSION_KIND_LABELS, SESSION_STATUS_LABELS
from app.models import Forum, Person, SessionStatus

CAST_ROWS = 8  # rows for people on stage shown on a new session (an edited one gets two spare rows)
MAX_CAST_ROWS = 40
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
BAD_DATETIME = _l("Enter a date and time, e.g. 2030-09-16 10:00.")


MAX_ID = 2**31 - 1  # what an id column holds; a bigger number typed into a request is refused here, not by the database


def optional_id(value):
    """A select's value: '' is none; otherwise a row id (anything else cannot be coerced)."""
    if value in (None, "", "None"):
        return None
    number = int(value)
    if not 0 < number <= MAX_ID:
        raise ValueError("not an id")
    return number


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CastForm(Form):
    """One person on stage: an existing person of the forum, or a new one by name."""

    role = SelectField(_l("Role"), choices=list(PERSON_ROLE_LABELS.items()), default="speaker")
    person_id = SelectField(_l("Existing person"), coerce=optional_id, validate_choice=False)
    full_name = StringField(_l("or a new person: full name"), validators=[max_length(200)], filters=[strip])
    position = StringField(_l("Position"), validators=[max_length(200)], filters=[strip])
    organization = StringField(_l("Organization"), validators=[max_length(300)], filters=[strip])

    @property
    def is_empty(self) -> bool:
        return self.person_id.data is None and not (self.full_name.data or self.position.data
                                                    or self.organization.data)

    def validate_full_name(self, field):
        if self.person_id.data is not None and field.data:
            raise ValidationError(_l("Pick an existing person or type a new name, not both."))


class SessionForm(FlaskForm):
    kind = SelectField(_l("Kind of session"), choices=list(SESSION_KIND_LABELS.items()), default="panel",
                       validate_choice=False)
    title_kk = StringField(_l("Title in Kazakh"), validators=[max_length(300)], filters=[strip])
    title_ru = StringField(_l("Title in Russian"), validators=[max_length(300)], filters=[strip])
    title_en = StringField(_l("Title in English (optional)"), validators=[max_length(300)], filters=[strip])
    description_kk = TextAreaField(_l("Description in Kazakh"), validators=[max_length(20000)])
    description_ru = TextAreaField(_l("Description in Russian"), validators=[max_length(20000)])
    description_en = TextAreaField(_l("Description in English (optional)"), validators=[max_length(20000)])
    hall_id = SelectField(_l("Hall"), coerce=optional_id, validate_choice=False)
    starts_at = DateTimeLocalField(_l("Starts"), format=DATETIME_FORMATS, validators=[Optional()],
                                   invalid_value_message=BAD_DATETIME, description=_l("In the forum's time zone."))
    ends_at = DateTimeLocalField(_l("Ends"), format=DATETIME_FORMATS, validators=[Optional()],
                                 invalid_value_message=BAD_DATETIME, description=_l("In the forum's time zone."))
    languages = MultiCheckboxField(_l("Working languages"), choices=list(LANGUAGE_NAMES.items()),
                                   default=["kk", "ru"], validate_choice=False)
    interpretation = BooleanField(_l("Simultaneous interpretation"))
    topic = StringField(_l("Topic or track"), validators=[max_length(120)], filters=[strip])
    stream_url = StringField(_l("Stream link"), validators=[max_length(500)], filters=[strip])
    capacity = IntegerField(_l("Seats"), validators=[Optional(), NumberRange(max=100000, message=_l(
                                "Enter a number between 1 and 100 000."))],
                            description=_l("Leave empty for a session open to everyone, without enrolment."))
    status = SelectField(_l("Status"), choices=list(SESSION_STATUS_LABELS.items()),
                         default=SessionStatus.draft.value, validate_choice=False)
    cast = FieldList(FormField(CastForm), min_entries=CAST_ROWS, max_entries=MAX_CAST_ROWS)
    submit = SubmitField(_l("Save session"))

    def __init__(self, forum: Forum, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.hall_id.choices = [("", _l("No hall / online"))] + [(str(h.id), h.name) for h in forum.halls]
        people = db.session.scalars(sa.select(Person).where(Person.forum_id == forum.id)
                                    .order_by(Person.full_name, Person.id)).all()
        person_choices = [("", _l("— choose —"))] + [
            (str(p.id), f"{p.full_name} — {p.organization}" if p.organization else p.full_name) for p in people]
        for row in self.cast:
            row.form.person_id.choices = person_choices

    def validate_cast(self, field):
        chosen = [row.form.person_id.data for row in field if row.form.person_id.data is not None]
        if len(chosen) != len(set(chosen)):
            raise ValidationError(_l("Each person can be on stage only once in a session."))
