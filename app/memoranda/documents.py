"""From a memorandum in the database to the plain data app.pdf draws, and to the sealed PDF."""
import os
from functools import lru_cache

from flask import current_app

from app.models import Memorandum, MemorandumStatus
from app.pdf.memorandum import MemorandumDocument, MemorandumText, PartySignature, render_memorandum
from app.pdf.seal import SealIdentity, load_or_create_identity, seal_pdf

AUTHORITY_DEFAULT = {"kk": "Жарғы негізінде әрекет ететін", "ru": "действующего на основании Устава"}


def verify_url(memorandum: Memorandum) -> str:
    from app.urls import external_url

    return external_url("memoranda.verify", public_id=memorandum.public_id)


def document(memorandum: Memorandum, *, draft: bool | None = None) -> MemorandumDocument:
    """The memorandum as the PDF shows it: its language versions, parties and current signatures."""
    from app.memoranda.services import content_hash, signature_of

    languages = memorandum.languages or ["ru"]
    texts = [MemorandumText(
        lang=lang,
        title=getattr(memorandum, f"title_{lang}") or "",
        preamble=getattr(memorandum, f"preamble_{lang}") or "",
        subject=getattr(memorandum, f"subject_{lang}") or "",
        obligations=[(p.organization.name, p.obligations(lang)) for p in memorandum.parties if p.obligations(lang)],
        term=getattr(memorandum, f"term_{lang}") or "",
        final_provisions=getattr(memorandum, f"final_provisions_{lang}") or "",
    ) for lang in languages]
    parties = []
    for party in memorandum.parties:
        signature = signature_of(party)
        parties.append(PartySignature(
            organization=party.organization.name, signatory=party.signatory_name,
            position=party.signatory_position, authority=party.authority or AUTHORITY_DEFAULT[languages[0]],
            signed_at=signature.signed_at if signature else None,
            signature_id=signature.public_id if signature else None))
    forum = memorandum.forum
    if draft is None:
        draft = memorandum.status not in (MemorandumStatus.signed, MemorandumStatus.published)
    return MemorandumDocument(
        number=memorandum.number,
        forum_title=forum.tr("title", languages[0]),
        city=memorandum.city,
        signed_on=memorandum.dated,
        level=memorandum.level.value,
        texts=texts,
        parties=parties,
        sha256=memorandum.sha256 or content_hash(memorandum),
        verify_url=verify_url(memorandum),
        draft=draft,
        timezone=getattr(forum, "timezone", None) or "Asia/Almaty",
    )


def pdf_bytes(memorandum: Memorandum) -> bytes:
    """What a download gives: the sealed file once everyone signed, otherwise a fresh draft (watermarked)."""
    if memorandum.status in (MemorandumStatus.signed, MemorandumStatus.published) and memorandum.sealed_pdf:
        return memorandum.sealed_pdf
    return render_memorandum(document(memorandum))


def sealed_pdf(memorandum: Memorandum) -> bytes:
    return seal_pdf(render_memorandum(document(memorandum, draft=False)), seal_identity(),
                    location=memorandum.city)


def seal_identity() -> SealIdentity:
    """The platform's key and certificate: from configuration, or made on first use under the instance folder."""
    key = current_app.config.get("MEMORANDUM_SEAL_KEY") or os.path.join(current_app.instance_path, "seal",
                                                                        "asar-seal.key")
    cert = current_app.config.get("MEMORANDUM_SEAL_CERT") or os.path.join(current_app.instance_path, "seal",
                                                                          "asar-seal.crt")
    return _identity(key, cert)


@lru_cache(maxsize=4)
def _identity(key_path: str, cert_path: str) -> SealIdentity:
    return load_or_create_identity(key_path, cert_path)


def filename(memorandum: Memorandum) -> str:
    return "memorandum-" + memorandum.number.replace("/", "-") + ".pdf"
