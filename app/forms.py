"""Form pieces shared by every blueprint."""
from flask_babel import lazy_gettext as _l
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, StopValidation

import re

REQUIRED = _l("This field is required.")
# A practical check shared by forms, services and the API (deliverability is not checked).
EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")


def required():
    return DataRequired(message=REQUIRED)


def required_input():
    """For typed values (dates, numbers): lets the field's own "not a valid date" message show."""
    return InputRequired(message=REQUIRED)


def email_address():
    return Email(message=_l("Enter a valid email address."), check_deliverability=False)


def max_length(n: int):
    return Length(max=n, message=_l("At most %(max)d characters.", max=n))


class Trimmed:
    """Strip whitespace so '  ' counts as empty."""

    def __call__(self, value):
        return value.strip() if isinstance(value, str) else value


strip = Trimmed()

__all__ = ["REQUIRED", "required", "required_input", "email_address", "max_length", "strip", "Optional", "StopValidation"]
