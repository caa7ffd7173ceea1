from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SubmitField
from wtforms.validators import DataRequired


class EraseForm(FlaskForm):
    """The confirmation step: nothing is erased without the box ticked (and the form's CSRF token)."""

    confirm = BooleanField(_l("I understand that the personal data will be erased for good and cannot be restored."),
                           validators=[DataRequired(message=_l("Tick the box to confirm the erasure."))])
    submit = SubmitField(_l("Erase the personal data"))
