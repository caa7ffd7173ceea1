"""Forms of the organizer's fair pages and of the jury: CSRF on every POST, errors shown next to their fields.

The rules themselves stay in `app.fair.services`; these forms only read what was typed.
"""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, IntegerField, StringField, TextAreaField
from wtforms.validators import NumberRange, Optional, ValidationError
from wtforms.widgets import NumberInput

from app.fair.services import SCORE_MAX, SCORE_MIN
from app.forms import email_address, max_length, required, strip


class ReviewForm(FlaskForm):
    """Approve, return (a comment is required: the service says so) or reject a submitted project."""

    action = StringField()  # set by the button pressed: approve | return | reject
    comment = TextAreaField(_l("Comment for the NGO"), validators=[max_length(2000)], filters=[strip],
                            description=_l("Required when you return the project: say what to change."))


class BoothForm(FlaskForm):
    booth = StringField(_l("Booth number"), validators=[max_length(20)], filters=[strip],
                        description=_l("Leave empty to take the booth away."))


class WinnerForm(FlaskForm):
    winner = StringField()  # "1" marks the project a winner, "0" takes it back


class ConfirmForm(FlaskForm):
    """A button with nothing to type: the memorandum mark, removing a juror."""


class JurorForm(FlaskForm):
    email = EmailField(_l("Email of the juror's account"), validators=[required(), email_address(), max_length(254)],
                       filters=[strip])


class TopWinnersForm(FlaskForm):
    n = IntegerField(_l("How many"), default=10,
                     validators=[Optional(), NumberRange(min=1, max=1000, message=_l("A number from 1 to 1000."))])


class WinnersForm(FlaskForm):
    """The winners' checkboxes (read as a list of ids by the view)."""


def _score_in_range(form, field):
    """A whole number from 1 to 10 (the same words as the service, which checks again)."""
    raw = (field.raw_data or [""])[0]
    raw = str(raw).strip()
    try:
        value = int(raw)
    except ValueError:
        value = None
    if value is None or not SCORE_MIN <= value <= SCORE_MAX:
        raise ValidationError(_l("Give a whole score from %(low)d to %(high)d.", low=SCORE_MIN, high=SCORE_MAX))


class _ScoreBase(FlaskForm):
    comment = TextAreaField(_l("Comment (optional)"), validators=[max_length(2000)], filters=[strip])


def score_form(criteria, **kwargs) -> FlaskForm:
    """One field per criterion of the forum, named `criterion_<id>` as the service names its errors."""

    class ScoreForm(_ScoreBase):
        pass

    for criterion in criteria:
        setattr(ScoreForm, f"criterion_{criterion.id}",
                StringField(criterion.name, validators=[_score_in_range], filters=[strip],
                            widget=NumberInput(min=SCORE_MIN, max=SCORE_MAX, step=1),
                            render_kw={"required": True}))
    form = ScoreForm(**kwargs)
    form.criterion_fields = [(criterion, form[f"criterion_{criterion.id}"]) for criterion in criteria]
    return form


def scores_of(form) -> dict:
    """The raw scores as typed, by criterion id (the service parses and checks them)."""
    return {criterion.id: field.data for criterion, field in form.criterion_fields}
