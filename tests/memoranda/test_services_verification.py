"""After the signing: the sealed PDF is the memorandum's one true file (any changed byte is noticed), the
download gives it back unchanged, and the forum's registry shows the published memoranda."""
import hashlib
from datetime import date

import pytest
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.memoranda import documents
from app.memoranda import services as memoranda
from app.memoranda.services import RegistryQuery
from app.models import Memorandum, MemorandumStatus
from tests.factories import make_forum, make_memorandum, make_organizer, make_user, region, sign_as


@pytest.fixture
def forum(app):
    return make_forum(slug="asar-atyrau", starts_on=date(2026, 9, 17))


@pytest.fixture
def organizer(forum):
    return make_organizer(forum)


def fresh(memorandum) -> Memorandum:
    db.session.expire_all()
    return db.session.get(Memorandum, memorandum.id)


def signed(forum, organizer, *, publish=False, **kwargs) -> Memorandum:
    memorandum = make_memorandum(forum, organizer, open_it=True, **kwargs)
    for party in memorandum.parties:
        sign_as(memorandum, party)
    if publish:
        memoranda.publish(memorandum, organizer)
    return fresh(memorandum)


@pytest.fixture
def sealed(forum, organizer) -> Memorandum:
    return signed(forum, organizer)


# ---------------------------------------------------------------- checking a file


class TestCheckingAFile:
    def test_the_sealed_pdf_is_genuine(self, sealed):
        check = memoranda.check_file(sealed, sealed.sealed_pdf)
        assert (check.result, check.sha256) == ("genuine", sealed.sealed_sha256)

    @pytest.mark.parametrize("where", [0, 500, -1, "middle"])
    def test_one_changed_byte_makes_it_different(self, sealed, where):
        data = bytearray(sealed.sealed_pdf)
        index = len(data) // 2 if where == "middle" else where
        data[index] ^= 0x01
        check = memoranda.check_file(sealed, bytes(data))
        assert check.result == "different" and check.sha256 == hashlib.sha256(bytes(data)).hexdigest()

    @pytest.mark.parametrize("data", [b"", None, b"garbage", b"%PDF-1.4\n%%EOF", "not bytes at all".encode()])
    def test_garbage_is_different(self, sealed, data):
        assert memoranda.check_file(sealed, data).result == "different"

    def test_the_file_with_something_appended_is_different(self, sealed):
        assert memoranda.check_file(sealed, sealed.sealed_pdf + b"\n").result == "different"
        assert memoranda.check_file(sealed, sealed.sealed_pdf[:-1]).result == "different"

    def test_the_unsealed_draft_of_a_signed_memorandum_is_different(self, sealed):
        """The text as rendered before sealing, even with the same words, is not the issued file."""
        from app.pdf.memorandum import render_memorandum

        plain = render_memorandum(documents.document(sealed, draft=False))
        assert plain.startswith(b"%PDF")
        assert memoranda.check_file(sealed, plain).result == "different"

    def test_a_memorandum_not_yet_signed_has_nothing_to_compare_with(self, forum, organizer):
        draft = make_memorandum(forum, organizer)
        opened = make_memorandum(forum, organizer, open_it=True)
        sign_as(opened, opened.parties[0])
        for memorandum in (draft, opened):
            pdf = documents.pdf_bytes(memorandum)
            check = memoranda.check_file(memorandum, pdf)
            assert (check.result, check.sha256) == ("not_signed", hashlib.sha256(pdf).hexdigest())

    def test_another_memorandums_sealed_pdf_is_different(self, forum, organizer, sealed):
        other = signed(forum, organizer, title_ru="Другой меморандум")
        assert memoranda.check_file(sealed, other.sealed_pdf).result == "different"
        assert memoranda.check_file(other, other.sealed_pdf).result == "genuine"


class TestFindingByFile:
    def test_the_sealed_pdf_finds_its_memorandum_from_any_forum(self, forum, organizer, sealed):
        civic = make_forum(slug="civic-forum")
        other = signed(civic, make_organizer(civic))
        assert memoranda.find_by_file(sealed.sealed_pdf) == sealed
        assert memoranda.find_by_file(other.sealed_pdf) == other

    def test_a_changed_file_or_garbage_finds_nothing(self, sealed):
        changed = bytearray(sealed.sealed_pdf)
        changed[-10] ^= 0xFF
        for data in (bytes(changed), b"", None, b"%PDF-1.7 garbage"):
            assert memoranda.find_by_file(data) is None

    def test_a_draft_pdf_finds_nothing(self, forum, organizer):
        draft = make_memorandum(forum, organizer)
        assert memoranda.find_by_file(documents.pdf_bytes(draft)) is None


# ---------------------------------------------------------------- the download


class TestTheDownload:
    def test_a_draft_is_a_fresh_pdf(self, forum, organizer):
        draft = make_memorandum(forum, organizer)
        pdf = documents.pdf_bytes(draft)
        assert pdf.startswith(b"%PDF") and draft.sealed_pdf is None
        assert documents.document(draft).draft is True
        assert documents.document(draft).sha256 == memoranda.content_hash(draft)

    def test_an_open_one_shows_its_frozen_hash(self, forum, organizer):
        opened = make_memorandum(forum, organizer, open_it=True)
        assert documents.pdf_bytes(opened).startswith(b"%PDF")
        doc = documents.document(opened)
        assert doc.draft is True and doc.sha256 == opened.sha256 and doc.number == "ASAR-2026/01"

    def test_a_signed_one_is_the_stored_sealed_pdf_every_time(self, forum, organizer):
        memorandum = signed(forum, organizer)
        assert documents.pdf_bytes(memorandum) == memorandum.sealed_pdf
        assert documents.pdf_bytes(fresh(memorandum)) == memorandum.sealed_pdf
        memoranda.publish(memorandum, organizer)
        memorandum = fresh(memorandum)
        assert memorandum.status == MemorandumStatus.published
        assert hashlib.sha256(documents.pdf_bytes(memorandum)).hexdigest() == memorandum.sealed_sha256
        assert documents.document(memorandum).draft is False
        assert documents.filename(memorandum) == "memorandum-ASAR-2026-01.pdf"

    def test_the_document_lists_every_party_and_its_signature(self, forum, organizer):
        memorandum = signed(forum, organizer, parties=4)
        doc = documents.document(memorandum)
        assert [p.organization for p in doc.parties] == [p.organization.name for p in memorandum.parties]
        assert [p.signature_id for p in doc.parties] == [s.public_id for s in memoranda.signatures_shown(memorandum)]
        assert [t.lang for t in doc.texts] == ["kk", "ru"]
        assert memorandum.public_id in doc.verify_url


# ---------------------------------------------------------------- the registry


class TestTheRegistry:
    @pytest.fixture
    def registry(self, forum, organizer):
        atyrau = signed(forum, organizer, publish=True, region_id=region("KZ-23").id, title_ru="Атырау")
        national = signed(forum, organizer, publish=True, parties=3, level="national", title_ru="Национальный")
        waiting = signed(forum, organizer, title_ru="Подписан, не опубликован")
        opened = make_memorandum(forum, organizer, open_it=True, title_ru="Открыт")
        draft = make_memorandum(forum, organizer, title_ru="Черновик")
        cancelled = make_memorandum(forum, organizer, title_ru="Отменён")
        memoranda.cancel(cancelled, organizer, "Ошибка")
        elsewhere = make_forum(slug="civic-forum")
        signed(elsewhere, make_organizer(elsewhere), publish=True)
        return {"atyrau": atyrau, "national": national, "waiting": waiting, "opened": opened, "draft": draft}

    def titles(self, forum, **query):
        return [m.title_ru for m in memoranda.registry(forum, RegistryQuery(**query))]

    def test_only_published_ones_of_this_forum(self, forum, registry):
        assert self.titles(forum) == ["Атырау", "Национальный"]
        assert [m.title_ru for m in memoranda.of_forum(forum, MemorandumStatus.published)] == ["Атырау",
                                                                                               "Национальный"]
        assert len(memoranda.of_forum(forum)) == 6

    def test_filters(self, forum, registry):
        assert self.titles(forum, level="national") == ["Национальный"]
        assert self.titles(forum, level="regional") == ["Атырау"]
        assert self.titles(forum, sector="state") == ["Национальный"]
        assert self.titles(forum, sector="ngo") == ["Атырау", "Национальный"]
        assert self.titles(forum, sector="media") == []
        assert self.titles(forum, region_id=region("KZ-23").id) == ["Атырау"]
        assert self.titles(forum, region_id=region("KZ-23").id, level="national") == []

    def test_unreadable_filters_are_ignored(self, forum, registry):
        query = RegistryQuery.from_args(MultiDict({"level": "galactic", "sector": "church", "region": "Атырау"}))
        assert (query.level, query.sector, query.region_id) == (None, None, None)
        assert [m.title_ru for m in memoranda.registry(forum, query)] == ["Атырау", "Национальный"]
        query = RegistryQuery.from_args(MultiDict({"level": "national", "sector": "state", "region": "-5"}))
        assert (query.level, query.sector, query.region_id) == ("national", "state", None)
        assert RegistryQuery.from_args(MultiDict({"region": str(2**40)})).region_id is None

    def test_signed_count_counts_signed_and_published(self, forum, registry):
        assert memoranda.signed_count(forum) == 3
        memoranda.publish(registry["waiting"], fresh(registry["waiting"]).created_by)
        assert memoranda.signed_count(forum) == 3 and len(memoranda.registry(forum)) == 3
        assert memoranda.signed_count(make_forum()) == 0

    def test_who_may_see_the_text(self, forum, organizer, registry):
        stranger, signatory = make_user(), registry["opened"].parties[0].user
        assert memoranda.may_see(None, registry["atyrau"]) and memoranda.may_see(stranger, registry["atyrau"])
        for name in ("waiting", "opened", "draft"):
            assert not memoranda.may_see(None, registry[name]) and not memoranda.may_see(stranger, registry[name])
            assert memoranda.may_see(organizer, registry[name])
        assert memoranda.may_see(signatory, registry["opened"])
