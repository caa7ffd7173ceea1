"""Forms of the fair's public side: an NGO's project, a business's pledge, the NGO's answer, file uploads.

CSRF on every POST (Flask-WTF). The forms only read what was typed and check lengths; every rule
(required titles, the region, the budget, pledges' sums) is `app.fair.services`', whose message is then
shown next to the field it names. Amounts are read as text so "2 000 000" (with spaces) is accepted.
"""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import EmailField, SelectField, StringField, TelField, TextAreaField
from wtforms.validators import Optional

from app.fair import services
from app.forms import email_address, max_length, strip
from app.forums.forms import region_choices
from app.i18n import PROJECT_CATEGORY_LABELS

_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009\t")


def amount(value):
    """Typed money or counts: '2 000 000 ₸' → '2000000' (the service checks it is a whole number)."""
    if not isinstance(value, str):
        return value
    value = value.translate(_SPACES).replace("₸", "")
    for suffix in ("тг.", "тг", "kzt", "KZT"):
        if value.endswith(suffix):
            value = value[: -len(suffix)]
    return value or None


def category_choices():
    return [("", _l("— choose —"))] + [(key, label) for key, label in PROJECT_CATEGORY_LABELS.items()]


def _limit(name: str):
    return max_length(services.LIMITS[name])


class ProjectForm(FlaskForm):
    title_kk = StringField(_l("Title in Kazakh"), validators=[_limit("title_kk")], filters=[strip])
    title_ru = StringField(_l("Title in Russian"), validators=[_limit("title_ru")], filters=[strip],
                           description=_l("Give the title in Kazakh, in Russian, or in both."))
    summary_kk = TextAreaField(_l("Summary in Kazakh"), validators=[_limit("summary_kk")], filters=[strip])
    summary_ru = TextAreaField(_l("Summary in Russian"), validators=[_limit("summary_ru")], filters=[strip],
                               description=_l("A few sentences a business reads first: the problem and what "
                                              "the project changes."))
    description = TextAreaField(_l("Description"), validators=[_limit("description")], filters=[strip],
                                description=_l("What will be done, by whom, and what results you expect."))
    category = SelectField(_l("Category"), validate_choice=False)
    region_id = SelectField(_l("Region"), validate_choice=False)
    settlement = StringField(_l("City, district or village"), validators=[_limit("settlement")], filters=[strip])
    beneficiaries = StringField(_l("Who benefits"), validators=[_limit("beneficiaries")], filters=[strip],
                                description=_l("For example: deaf young people aged 18–29."))
    beneficiaries_count = StringField(_l("How many people benefit"), filters=[strip, amount])
    budget_kzt = StringField(_l("Budget requested, tenge"), filters=[strip, amount],
                             description=_l("Whole tenge, e.g. 2 000 000."))
    budget_breakdown = TextAreaField(_l("Budget breakdown"), validators=[_limit("budget_breakdown")],
                                     filters=[strip], description=_l("The main items and their cost."))
    duration_months = StringField(_l("Duration, months"), filters=[strip, amount])
    contact_name = StringField(_l("Contact person"), validators=[_limit("contact_name")], filters=[strip])
    contact_phone = TelField(_l("Phone"), validators=[_limit("contact_phone")], filters=[strip])
    contact_email = EmailField(_l("Email"), validators=[Optional(), email_address(), _limit("contact_email")],
                               filters=[strip],
                               description=_l("Shown only to the forum's delegates and organizers."))
    files = MultipleFileField(_l("Files (optional)"),
                              description=_l("PDF or images (PNG, JPEG, WebP), up to 5 MB each."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = category_choices()
        self.region_id.choices = region_choices()

    def project_input(self) -> services.ProjectInput:
        return services.ProjectInput(**{name: getattr(self, name).data or None
                                        for name in services.ProjectInput.__dataclass_fields__})

    def fill_from(self, project) -> None:
        for name in services.ProjectInput.__dataclass_fields__:
            value = getattr(project, name)
            if name == "category":
                value = value.value
            elif name == "budget_kzt" and value is not None:
                value = f"{value:,}".replace(",", " ")
            getattr(self, name).data = "" if value is None else str(value)


class AttachmentForm(FlaskForm):
    files = MultipleFileField(_l("Add files"),
                              description=_l("PDF or images (PNG, JPEG, WebP), up to 5 MB each."))


class PledgeForm(FlaskForm):
    amount_kzt = StringField(_l("Money, tenge"), filters=[strip, amount],
                             description=_l("Whole tenge, e.g. 500 000. Leave empty if you offer only in-kind "
                                            "support."))
    in_kind = TextAreaField(_l("In-kind support"), validators=[max_length(2000)], filters=[strip],
                            description=_l("Equipment, premises, transport, services, work of your staff…"))
    in_kind_value_kzt = StringField(_l("Estimated value of the in-kind support, tenge"), filters=[strip, amount])
    comment = TextAreaField(_l("Comment for the NGO (optional)"), validators=[max_length(2000)], filters=[strip])

    def pledge_input(self) -> services.PledgeInput:
        return services.PledgeInput(amount_kzt=self.amount_kzt.data, in_kind=self.in_kind.data,
                                    in_kind_value_kzt=self.in_kind_value_kzt.data, comment=self.comment.data)


class DecisionForm(FlaskForm):
    """The NGO confirms or declines a pledge, with an optional note to the business."""

    note = TextAreaField(_l("Note (optional)"), validators=[max_length(2000)], filters=[strip])


class ActionForm(FlaskForm):
    """A button with nothing to type (withdraw a pledge, send for review again, remove a file): CSRF only."""
