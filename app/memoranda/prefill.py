"""A memorandum drafted from a fair project: the NGO and the businesses that backed it become the parties.

At the fair an NGO presents its project, businesses pledge support, and the partnership is sealed with a
memorandum of cooperation. This module gives the organizer a first draft to correct, never a finished text:
the drafting service still checks everything when the form is saved.
"""
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.memoranda.services import LIMITS, MAX_PARTIES, MemorandumInput, PartyInput
from app.models import Delegate, FairProject, Pledge, PledgeStatus, Sector

# The memorandum's own text is Kazakh and Russian whatever the organizer's interface language.
TITLE_FRAMES = {"kk": "«{title}» жобасы бойынша ынтымақтастық туралы меморандум",
                "ru": "Меморандум о сотрудничестве по проекту «{title}»"}
NGO_OBLIGATIONS = {"kk": "«{title}» жобасын іске асырады және тараптарға оның нәтижелері туралы хабарлайды.",
                   "ru": "Реализует проект «{title}» и информирует стороны о его результатах."}
MONEY_OBLIGATIONS = {"kk": "Жобаға {amount} көлемінде қаржылай қолдау көрсетеді.",
                     "ru": "Оказывает проекту финансовую поддержку в размере {amount}."}
IN_KIND_OBLIGATIONS = {"kk": "Заттай қолдау көрсетеді: {what}.", "ru": "Оказывает поддержку в натуральной форме: {what}."}


def _title(project: FairProject, lang: str) -> str | None:
    own = getattr(project, f"title_{lang}")
    if not own:
        return None
    framed = TITLE_FRAMES[lang].format(title=own)
    return framed if len(framed) <= LIMITS["title"] else own


def _dated(project: FairProject) -> date:
    """The forum's closing day, when memoranda are signed; today once the forum is over."""
    return max(date.today(), project.forum.ends_on)


def _tenge(amount: int, lang: str) -> str:
    return f"{amount:,}".replace(",", "\u00a0") + ("\u00a0теңге" if lang == "kk" else "\u00a0тенге")


def _party(organization, delegate: Delegate | None, sector: Sector) -> PartyInput:
    return PartyInput(
        organization_name=organization.name if organization is not None else "",
        sector=(organization.sector if organization is not None else sector).value,
        bin=organization.bin if organization is not None else None,
        signatory_name=delegate.full_name if delegate is not None else "",
        signatory_email=delegate.email if delegate is not None else "",
        signatory_position=(delegate.position or "") if delegate is not None else "")


def _backer_obligations(pledges: list[Pledge], lang: str) -> str:
    money = sum(p.amount_kzt or 0 for p in pledges)
    lines = [MONEY_OBLIGATIONS[lang].format(amount=_tenge(money, lang))] if money else []
    lines += [IN_KIND_OBLIGATIONS[lang].format(what=p.in_kind.strip().rstrip(".")) for p in pledges if p.in_kind]
    return "\n".join(lines)


def confirmed_pledges(project: FairProject) -> list[Pledge]:
    return list(db.session.scalars(
        sa.select(Pledge).where(Pledge.project_id == project.id, Pledge.status == PledgeStatus.confirmed)
        .options(joinedload(Pledge.organization), joinedload(Pledge.delegate).joinedload(Delegate.organization))
        .order_by(Pledge.decided_at, Pledge.id)))


def prefill_from_project(project: FairProject) -> MemorandumInput:
    """A draft between the project's NGO and each business whose pledge the NGO confirmed."""
    ngo = _party(project.organization or (project.delegate.organization if project.delegate else None),
                 project.delegate, Sector.ngo)
    for lang in ("kk", "ru"):
        title = getattr(project, f"title_{lang}")
        if title:
            setattr(ngo, f"obligations_{lang}", NGO_OBLIGATIONS[lang].format(title=title))
    parties = [ngo]
    seen = {(ngo.organization_name.casefold(), ngo.signatory_email.casefold())}
    backers: dict[tuple, tuple[PartyInput, list[Pledge]]] = {}
    for pledge in confirmed_pledges(project):
        delegate = pledge.delegate
        organization = (delegate.organization if delegate is not None else None) or pledge.organization
        party = _party(organization, delegate, Sector.business)
        key = (party.organization_name.casefold(), party.signatory_email.casefold())
        if key in seen and key not in backers:
            continue  # the NGO does not back its own project
        seen.add(key)
        backers.setdefault(key, (party, []))[1].append(pledge)
    for party, pledges in backers.values():
        party.obligations_kk = _backer_obligations(pledges, "kk") or None
        party.obligations_ru = _backer_obligations(pledges, "ru") or None
        parties.append(party)
    return MemorandumInput(
        title_kk=_title(project, "kk"), title_ru=_title(project, "ru"),
        subject_kk=project.summary_kk, subject_ru=project.summary_ru,
        level="regional", region_id=project.region_id, city=project.forum.city, dated=_dated(project),
        project_id=project.id, parties=parties[:MAX_PARTIES])
