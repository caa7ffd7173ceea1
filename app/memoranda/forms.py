"""Forms of the memoranda pages: CSRF on every POST (Flask-WTF), errors shown next to their fields.

The forms only read what was typed and check lengths and types; every rule (titles, parties, signatories,
the signing itself) is `app.memoranda.services`', whose message is then shown next to the field it names.
The party subforms of a FieldList are named like the services name their errors: "parties-0-signatory_email".
"""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (BooleanField, DateField, EmailField, FieldList, Form, FormField, HiddenField, IntegerField,
                     PasswordField, SelectField, StringField, SubmitField, TextAreaField)
from wtforms.validators import EqualTo, NumberRange, Optional

from app.forms import max_length, required, required_input, strip
from app.forums.forms import region_choices
from app.i18n import SECTOR_LABELS
from app.memoranda import services
from app.memoranda.services import LIMITS, MAX_PARTIES, TEXT_LIMIT

DEFAULT_PARTY_SLOTS = 4
LEVEL_LABELS = {"regional": _l("Regional"), "national": _l("National")}
SECTIONS = ("title", "preamble", "subject", "term", "final_provisions")
PARTY_TEXT_FIELDS = ("organization_name", "bin", "signatory_name", "signatory_email", "signatory_position",
                     "authority", "obligations_kk", "obligations_ru")


def sector_choices():
    return [("", _l("— choose —"))] + [(key, label) for key, label in SECTOR_LABELS.items()]


def _text(label, limit=TEXT_LIMIT, **kwargs):
    return TextAreaField(label, validators=[max_length(limit)], filters=[strip], **kwargs)


class PartyForm(Form):
    """One party: the organization and the person who signs for it (a subform: no CSRF token of its own)."""

    organization_name = StringField(_l("Organization"), validators=[max_length(LIMITS["organization_name"])],
                                    filters=[strip])
    sector = SelectField(_l("Sector"), validate_choice=False)
    bin = StringField(_l("BIN (optional)"), validators=[max_length(12)], filters=[strip],
                      description=_l("12 digits, if the organization has one."))
    signatory_name = StringField(_l("Signatory's full name"), validators=[max_length(LIMITS["signatory_name"])],
                                 filters=[strip])
    signatory_email = EmailField(_l("Signatory's email"), validators=[max_length(LIMITS["signatory_email"])],
                                 filters=[strip],
                                 description=_l("The invitation to sign online is sent to this address."))
    signatory_position = StringField(_l("Signatory's position"),
                                     validators=[max_length(LIMITS["signatory_position"])], filters=[strip])
    authority = StringField(_l("Acting under (optional)"), validators=[max_length(LIMITS["authority"])],
                            filters=[strip], description=_l("For example: the Charter, a power of attorney."))
    obligations_kk = _text(_l("Obligations in Kazakh"))
    obligations_ru = _text(_l("Obligations in Russian"))
    sign_order = IntegerField(_l("Signs as number"), validators=[
        Optional(), NumberRange(min=1, max=MAX_PARTIES, message=_l("A number from 1 to %(max)d.", max=MAX_PARTIES))],
        description=_l("Only when the parties sign in order: 1 signs first."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.sector.choices = sector_choices()

    def is_blank(self) -> bool:
        """An untouched slot: nothing typed (the sector select always has a value and does not count)."""
        return not any((self[name].data or "") for name in PARTY_TEXT_FIELDS) and self.sign_order.data is None

    def party_input(self) -> services.PartyInput:
        return services.PartyInput(**{name: self[name].data or None for name in PARTY_TEXT_FIELDS},
                                   sector=self.sector.data or "", sign_order=self.sign_order.data)


class MemorandumForm(FlaskForm):
    title_kk = StringField(_l("Title in Kazakh"), validators=[max_length(LIMITS["title"])], filters=[strip])
    title_ru = StringField(_l("Title in Russian"), validators=[max_length(LIMITS["title"])], filters=[strip])
    preamble_kk = _text(_l("Preamble in Kazakh"))
    preamble_ru = _text(_l("Preamble in Russian"))
    subject_kk = _text(_l("Subject in Kazakh"))
    subject_ru = _text(_l("Subject in Russian"), description=_l("What the parties agree to do together."))
    term_kk = _text(_l("Term in Kazakh"))
    term_ru = _text(_l("Term in Russian"), description=_l("How long the memorandum is in force."))
    final_provisions_kk = _text(_l("Final provisions in Kazakh"))
    final_provisions_ru = _text(_l("Final provisions in Russian"))
    level = SelectField(_l("Level"), choices=list(LEVEL_LABELS.items()), default="regional", validate_choice=False)
    region_id = SelectField(_l("Region"), validate_choice=False)
    city = StringField(_l("City where it is signed"), validators=[max_length(LIMITS["city"])], filters=[strip])
    dated = DateField(_l("Date of the memorandum"), validators=[required_input()])
    project_id = SelectField(_l("Fair project (optional)"),
                             description=_l("The project of this forum's ideas fair the memorandum supports."))
    signing_ordered = BooleanField(_l("The parties sign in a set order"),
                                   description=_l("Each party can sign only after those with a lower number."))
    parties = FieldList(FormField(PartyForm), min_entries=DEFAULT_PARTY_SLOTS, max_entries=MAX_PARTIES)
    add_party = SubmitField(_l("Add another party"))

    def __init__(self, *args, projects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.region_id.choices = region_choices()
        self.project_id.choices = [("", _l("— none —"))] + [(str(p.id), f"№ {p.id} · {p.title}") for p in projects]

    def filled_parties(self) -> list[tuple[int, PartyForm]]:
        """The party slots something was typed in, with their index in the form."""
        return [(index, entry.form) for index, entry in enumerate(self.parties.entries) if not entry.form.is_blank()]

    def memorandum_input(self) -> tuple[services.MemorandumInput, list[int]]:
        """What the service reads, and for each party it gets the index of its slot in the form."""
        filled = self.filled_parties()
        data = services.MemorandumInput(
            **{f"{section}_{lang}": self[f"{section}_{lang}"].data or None for section in SECTIONS
               for lang in ("kk", "ru")},
            level=self.level.data or "", region_id=self.region_id.data or None, city=self.city.data or "",
            dated=self.dated.data, project_id=self.project_id.data or None,
            signing_ordered=bool(self.signing_ordered.data),
            parties=[party.party_input() for _index, party in filled])
        return data, [index for index, _party in filled]

    @staticmethod
    def data_from(value: services.MemorandumInput) -> dict:
        """Form data from a MemorandumInput (a prefill) or the same shape read off a memorandum."""
        data = {f"{section}_{lang}": getattr(value, f"{section}_{lang}") or "" for section in SECTIONS
                for lang in ("kk", "ru")}
        data.update(level=value.level, region_id=str(value.region_id or ""), city=value.city or "",
                    dated=value.dated, project_id=str(value.project_id or ""),
                    signing_ordered=value.signing_ordered,
                    parties=[{name: getattr(party, name) or "" for name in PARTY_TEXT_FIELDS}
                             | {"sector": party.sector or "", "sign_order": party.sign_order}
                             for party in value.parties])
        return data


def input_of(memorandum) -> services.MemorandumInput:
    """The memorandum as the form shows it for editing."""
    return services.MemorandumInput(
        **{f"{section}_{lang}": getattr(memorandum, f"{section}_{lang}") for section in SECTIONS
           for lang in ("kk", "ru")},
        level=memorandum.level.value, region_id=memorandum.region_id, city=memorandum.city,
        dated=memorandum.dated, project_id=memorandum.project_id, signing_ordered=memorandum.signing_ordered,
        parties=[services.PartyInput(
            organization_name=p.organization.name, sector=p.organization.sector.value, bin=p.organization.bin,
            signatory_name=p.signatory_name, signatory_email=p.signatory_email,
            signatory_position=p.signatory_position, authority=p.authority, obligations_kk=p.obligations_kk,
            obligations_ru=p.obligations_ru, sign_order=p.sign_order) for p in memorandum.parties])


class ActionForm(FlaskForm):
    """A button with nothing to type (open for signing, publish): CSRF only."""


class CancelForm(FlaskForm):
    reason = TextAreaField(_l("Reason for cancelling"), validators=[max_length(2000)], filters=[strip],
                           description=_l("Shown to the organizers and the signatories on the memorandum's page."))


class SignForm(FlaskForm):
    agree = BooleanField(_l("I have read the memorandum in full and agree to it on behalf of my organization"))
    full_name = StringField(_l("Your full name"), validators=[max_length(LIMITS["signatory_name"])],
                            filters=[strip], description=_l("Exactly as in the invitation."))
    password = PasswordField(_l("Your Asar password"), description=_l("To confirm that it is you who signs."))
    sha256 = HiddenField()


class AccountForm(FlaskForm):
    """The invited signatory creates an account (or gives a passwordless account its first password)."""

    full_name = StringField(_l("Full name"), validators=[required(), max_length(200)], filters=[strip])
    password = PasswordField(_l("Password"), validators=[required()],
                             description=_l("At least 8 characters, with letters and a digit or symbol; not a common password and not your name."))
    confirm = PasswordField(_l("Repeat the password"), validators=[
        required(), EqualTo("password", message=_l("The passwords do not match."))])


class CheckFileForm(FlaskForm):
    file = FileField(_l("The PDF file to check"),
                     description=_l("The file is compared with the sealed original; it is not kept."))


class LookupForm(FlaskForm):
    """Find a memorandum by its identifier (GET, no CSRF) — the file search uses CheckFileForm."""

    class Meta:
        csrf = False

    id = StringField(_l("Memorandum identifier"), validators=[max_length(200)], filters=[strip],
                     description=_l("The code printed under the QR code, e.g. 7KQ2M9XH4P."))
