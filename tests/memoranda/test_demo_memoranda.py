"""The demo forum's memoranda: the ten of ASAR Atyrau, signed and sealed for real, one waiting for a demo login."""
import hashlib
from io import BytesIO

import pytest
import sqlalchemy as sa

from app.auth.services import find_user, issue_token
from app.demo import DEMO_LOGINS, DEMO_SLUG, load
from app.extensions import db
from app.memoranda import documents
from app.memoranda import services as memoranda
from app.models import (AuditEvent, FairProject, Forum, Memorandum, MemorandumRevision, MemorandumStatus,
                        Organization, Party, ProjectStatus, Signature, User)
from app.pdf.seal import validate_seal

DEAF_YOUTH_PROJECT = "Есту қабілеті бұзылған жастарды жұмыспен қамту"
DEAF_SOCIETY = "Қазақ саңыраулар қоғамының Атырау филиалы"
PASSWORDS = {email: password for _role, email, password in DEMO_LOGINS}


@pytest.fixture
def forum(runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    return db.session.scalar(sa.select(Forum).where(Forum.slug == DEMO_SLUG))


def all_memoranda(forum) -> list[Memorandum]:
    return memoranda.of_forum(forum)


def by_status(forum, status) -> list[Memorandum]:
    return [m for m in all_memoranda(forum) if m.status == status]


def test_ten_memoranda_eight_published_one_open_one_draft(forum):
    everything = all_memoranda(forum)
    assert len(everything) == 10
    assert [m.number for m in everything] == [f"ASAR-{forum.starts_on.year}/{n:02d}" for n in range(1, 11)]
    statuses = [m.status for m in everything]
    assert statuses.count(MemorandumStatus.published) == 8
    assert statuses.count(MemorandumStatus.open) == 1 and statuses.count(MemorandumStatus.draft) == 1
    assert memoranda.signed_count(forum) == 8 and len(memoranda.registry(forum)) == 8
    # Regional and national; NGOs, businesses and state bodies; some with three or four parties.
    assert {m.level.value for m in everything} == {"regional", "national"}
    assert {p.organization.sector.value for m in everything for p in m.parties} >= {"ngo", "business", "state"}
    assert max(len(m.parties) for m in everything) == 4
    assert any(len(m.parties) == 3 and m.status == MemorandumStatus.published for m in everything)
    # Both languages, every section, each party's obligations.
    for memo in everything:
        assert memo.languages == ["kk", "ru"], memo.number
        for section in ("preamble", "subject", "term", "final_provisions"):
            assert getattr(memo, f"{section}_kk") and getattr(memo, f"{section}_ru"), (memo.number, section)
        assert all(p.obligations_kk and p.obligations_ru for p in memo.parties), memo.number
    assert len({m.title_ru for m in everything}) == 10


def test_published_ones_are_signed_by_every_party_and_sealed(forum):
    identity = documents.seal_identity()
    for memo in by_status(forum, MemorandumStatus.published):
        assert memo.sha256 == memoranda.content_hash(memo), memo.number  # the text is what was frozen
        signatures = memoranda.signatures_shown(memo)
        assert [s.party_id for s in signatures] == [p.id for p in memo.parties]
        assert all(s.sha256 == memo.sha256 and s.version == memo.version == 1 for s in signatures)
        assert all(s.user_id == p.user_id and s.signer_name == p.signatory_name
                   for s, p in zip(signatures, memo.parties))
        assert memo.signed_at and memo.published_at and memo.signed_at <= memo.published_at
        pdf = memo.sealed_pdf
        assert pdf.startswith(b"%PDF") and hashlib.sha256(pdf).hexdigest() == memo.sealed_sha256
        seal = validate_seal(pdf, identity.cert_pem)
        assert seal["valid"] and seal["trusted"], memo.number
        assert memoranda.check_file(memo, pdf).result == "genuine"


def test_the_deaf_youth_memorandum_backs_its_fair_project(forum):
    project = db.session.scalar(sa.select(FairProject).where(FairProject.title_kk == DEAF_YOUTH_PROJECT))
    [memo] = [m for m in all_memoranda(forum) if m.project_id == project.id]
    assert memo.status == MemorandumStatus.published and memo.level.value == "regional"
    assert memo.region.code == "KZ-23"
    assert [(p.organization.name, p.user.email) for p in memo.parties] == [
        (DEAF_SOCIETY, "ngo@asar.demo"), ("ТОО «АқсайГазСервис»", "business@asar.demo")]
    assert "2 000 000" in memo.parties[1].obligations_ru and "2 000 000" in memo.parties[1].obligations_kk
    assert project.status == ProjectStatus.memorandum_signed  # funded, then the memorandum signed
    assert "project.memorandum_signed" in {e.action for e in db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.subject_type == "fairproject", AuditEvent.subject_id == project.id))}


def test_the_open_one_waits_for_the_ngo_demo_login_who_can_sign_it(client, forum):
    [memo] = by_status(forum, MemorandumStatus.open)
    ngo = find_user("ngo@asar.demo")
    assert [m.id for m, _party in memoranda.waiting_for(ngo)] == [memo.id]
    assert len(memo.parties) == 3 and len(memo.current_signatures()) == 2
    assert [p.organization.name for p in memoranda.next_to_sign(memo)] == [DEAF_SOCIETY]
    assert memo.project is not None and memo.project.organization.name == DEAF_SOCIETY

    response = client.post(f"/api/v1/memoranda/{memo.id}/signatures",
                           headers={"Authorization": f"Bearer {issue_token(ngo)}"},
                           json={"agree": True, "full_name": ngo.full_name, "password": PASSWORDS[ngo.email],
                                 "sha256": memo.sha256})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["memorandum_status"] == "signed"
    memo = db.session.get(Memorandum, memo.id)
    assert memo.sealed_sha256 and validate_seal(memo.sealed_pdf, documents.seal_identity().cert_pem)["valid"]


def test_the_draft_reveals_nothing_and_has_no_signatures(client, forum):
    [draft] = by_status(forum, MemorandumStatus.draft)
    assert draft.sha256 is None and draft.signatures == [] and all(p.user_id is None for p in draft.parties)
    body = client.get(f"/api/v1/verify/{draft.public_id}").get_json()
    assert body["status"] == "draft" and body["title"] is None and body["parties"] == []


def test_the_registry_pdf_and_verification_through_the_api(client, forum):
    registry = client.get(f"/api/v1/forums/{DEMO_SLUG}/memoranda", headers={"Accept-Language": "kk"}).get_json()
    assert len(registry) == 8 and all(m["status"] == "published" for m in registry)
    assert "Есту қабілеті бұзылған жастар арасында еңбек әлеуетін дамыту туралы меморандум" in {
        m["title"] for m in registry}
    organizer = find_user("organizer@asar.demo")
    staff = client.get(f"/api/v1/forums/{DEMO_SLUG}/memoranda",
                       headers={"Authorization": f"Bearer {issue_token(organizer)}"}).get_json()
    assert len(staff) == 10

    item = registry[0]
    pdf = client.get(f"/api/v1/memoranda/{item['id']}.pdf")
    assert pdf.status_code == 200
    check = client.post(f"/api/v1/verify/{item['public_id']}/file",
                        data={"file": (BytesIO(pdf.data), "memorandum.pdf")}, content_type="multipart/form-data")
    assert check.get_json()["result"] == "genuine"
    record = client.get(f"/api/v1/verify/{item['public_id']}").get_json()
    assert record["pdf_sha256"] == hashlib.sha256(pdf.data).hexdigest()
    assert len(record["signatures"]) == len(record["parties"]) >= 2


def test_loading_again_changes_nothing(runner, forum):
    models = (Memorandum, Party, Signature, MemorandumRevision, AuditEvent, User, Organization)

    def snapshot():
        counts = {m: db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in models}
        hashes = db.session.execute(sa.select(Memorandum.number, Memorandum.status, Memorandum.sha256,
                                              Memorandum.sealed_sha256).order_by(Memorandum.id)).all()
        passwords = db.session.execute(sa.select(User.email, User.password_hash).order_by(User.id)).all()
        return counts, hashes, passwords

    before = snapshot()
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0 and "nothing changed" in result.output
    assert load() is False
    assert snapshot() == before
