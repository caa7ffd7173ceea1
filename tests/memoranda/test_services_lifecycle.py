"""A memorandum's way: drafted with a number, opened (text frozen and hashed), signed by all, published;
or cancelled. Who may move it, what a draft must contain, and how a change of text makes a new version."""
import hashlib
from datetime import date

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.memoranda import services as memoranda
from app.memoranda.services import MemorandumError
from app.models import (AuditEvent, Memorandum, MemorandumRevision, MemorandumStatus, Organization, Party, Sector,
                        Signature, bin_check_digit)
from tests.factories import (make_forum, make_memorandum, make_organization, make_organizer, make_user,
                             memorandum_input, region, sign_as)


@pytest.fixture
def forum(app):
    return make_forum(slug="asar-atyrau", starts_on=date(2026, 9, 17))


@pytest.fixture
def organizer(forum):
    return make_organizer(forum)


def refused(code, status, call, *args, **kwargs) -> MemorandumError:
    with pytest.raises(MemorandumError) as caught:
        call(*args, **kwargs)
    assert (caught.value.code, caught.value.status) == (code, status), caught.value.message
    return caught.value


def fresh(memorandum) -> Memorandum:
    db.session.expire_all()
    return db.session.get(Memorandum, memorandum.id)


def events(memorandum, action=None) -> list[AuditEvent]:
    query = sa.select(AuditEvent).where(AuditEvent.subject_type == "memorandum", AuditEvent.subject_id == memorandum.id)
    if action:
        query = query.where(AuditEvent.action == action)
    return list(db.session.scalars(query.order_by(AuditEvent.id)))


def valid_bin(first11: str) -> str:
    return first11 + str(bin_check_digit(first11))


def wrong_bin(first11: str) -> str:
    return first11 + str((bin_check_digit(first11) + 1) % 10)


# ---------------------------------------------------------------- the way


class TestTheWay:
    def test_draft_open_signed_published(self, forum, organizer):
        memorandum = make_memorandum(forum, organizer)
        assert memorandum.status == MemorandumStatus.draft and memorandum.version == 1
        assert memorandum.sha256 is None and memorandum.opened_at is None and memorandum.revisions == []
        assert memorandum.created_by_id == organizer.id and len(memorandum.public_id) == 10

        memoranda.open_for_signing(memorandum, organizer)
        memorandum = fresh(memorandum)
        content = memoranda.canonical_content(memorandum)
        assert memorandum.status == MemorandumStatus.open and memorandum.opened_at is not None
        assert memorandum.sha256 == hashlib.sha256(content.encode("utf-8")).hexdigest()
        [revision] = memorandum.revisions
        assert (revision.version, revision.sha256, revision.content) == (1, memorandum.sha256, content)
        assert revision.created_by_id == organizer.id
        # The frozen content is what the parties agree to: both language versions and every party's obligations.
        assert "Меморандум о сотрудничестве" in content and "міндеттемелері" in content and "ASAR-2026/01" in content

        first, second = memorandum.parties
        sign_as(memorandum, first)
        assert fresh(memorandum).status == MemorandumStatus.open and memorandum.signed_at is None
        sign_as(memorandum, second)
        memorandum = fresh(memorandum)
        assert memorandum.status == MemorandumStatus.signed and memorandum.signed_at is not None
        assert memorandum.sealed_pdf.startswith(b"%PDF")

        memoranda.publish(memorandum, organizer)
        memorandum = fresh(memorandum)
        assert memorandum.status == MemorandumStatus.published and memorandum.published_at is not None
        assert [e.action for e in events(memorandum)] == [
            "memorandum.drafted", "memorandum.invitation_accepted", "memorandum.invitation_accepted",
            "memorandum.opened", "memorandum.signed_by_party", "memorandum.signed_by_party", "memorandum.signed",
            "memorandum.published"]
        assert events(memorandum, "memorandum.opened")[0].details["sha256"] == memorandum.sha256

    def test_steps_are_taken_in_order_only(self, forum, organizer):
        memorandum = make_memorandum(forum, organizer)
        refused("invalid_transition", 409, memoranda.publish, memorandum, organizer)  # a draft
        memoranda.open_for_signing(memorandum, organizer)
        refused("invalid_transition", 409, memoranda.open_for_signing, memorandum, organizer)  # already open
        refused("invalid_transition", 409, memoranda.publish, memorandum, organizer)  # not signed by all
        for party in memorandum.parties:
            sign_as(memorandum, party)
        refused("not_editable", 409, memoranda.update, memorandum, organizer, memorandum_input(title_ru="Другой"))
        refused("invalid_transition", 409, memoranda.open_for_signing, memorandum, organizer)
        memoranda.publish(memorandum, organizer)
        refused("invalid_transition", 409, memoranda.publish, memorandum, organizer)
        refused("not_editable", 409, memoranda.update, memorandum, organizer, memorandum_input())
        assert fresh(memorandum).status == MemorandumStatus.published and memorandum.version == 1


class TestCancelling:
    def test_cancelled_with_a_reason_kept(self, forum, organizer):
        memorandum = make_memorandum(forum, organizer, open_it=True)
        memoranda.cancel(memorandum, organizer, "  Тараптардың бірі қатысудан бас тартты.  ")
        memorandum = fresh(memorandum)
        assert memorandum.status == MemorandumStatus.cancelled and memorandum.cancelled_at is not None
        assert memorandum.cancel_reason == "Тараптардың бірі қатысудан бас тартты."
        assert events(memorandum, "memorandum.cancelled")[0].details["reason"] == memorandum.cancel_reason
        refused("invalid_transition", 409, memoranda.cancel, memorandum, organizer, "Ещё раз")
        refused("invalid_transition", 409, memoranda.open_for_signing, memorandum, organizer)
        refused("not_editable", 409, memoranda.update, memorandum, organizer, memorandum_input())

    def test_a_draft_can_be_cancelled_too(self, forum, organizer):
        memorandum = make_memorandum(forum, organizer)
        memoranda.cancel(memorandum, organizer, "Дубликат")
        assert fresh(memorandum).status == MemorandumStatus.cancelled

    @pytest.mark.parametrize("reason", ["", "   \n ", None])
    def test_not_without_a_reason(self, forum, organizer, reason):
        memorandum = make_memorandum(forum, organizer, open_it=True)
        error = refused("invalid", 422, memoranda.cancel, memorandum, organizer, reason)
        assert error.field == "reason"
        assert fresh(memorandum).status == MemorandumStatus.open and memorandum.cancel_reason is None

    def test_not_once_published(self, forum, organizer):
        memorandum = make_memorandum(forum, organizer, open_it=True)
        for party in memorandum.parties:
            sign_as(memorandum, party)
        memoranda.publish(memorandum, organizer)
        refused("invalid_transition", 409, memoranda.cancel, memorandum, organizer, "Передумали")
        memorandum = fresh(memorandum)
        assert memorandum.status == MemorandumStatus.published and memorandum.cancelled_at is None


# ---------------------------------------------------------------- numbers


class TestNumbering:
    def test_numbers_follow_in_order_within_a_forum(self, forum, organizer):
        numbers = [make_memorandum(forum, organizer).number for _ in range(3)]
        assert numbers == ["ASAR-2026/01", "ASAR-2026/02", "ASAR-2026/03"]

    def test_a_cancelled_number_is_not_given_again(self, forum, organizer):
        first = make_memorandum(forum, organizer)
        memoranda.cancel(first, organizer, "Ошибка")
        assert make_memorandum(forum, organizer).number == "ASAR-2026/02"

    def test_each_forum_counts_its_own(self, forum, organizer):
        almaty = make_forum(slug="asar-almaty", starts_on=date(2026, 10, 1))
        civic = make_forum(slug="civic-forum", starts_on=date(2027, 11, 20))
        make_memorandum(forum, organizer)
        make_memorandum(forum, organizer)
        assert make_memorandum(almaty).number == "ASAR-2026/01"
        assert make_memorandum(civic).number == "CIVIC-2027/01"
        assert make_memorandum(forum, organizer).number == "ASAR-2026/03"
        rows = db.session.execute(sa.select(Memorandum.forum_id, Memorandum.sequence)).all()
        assert len(rows) == len(set(rows)) == 5
        assert len({m.public_id for m in db.session.scalars(sa.select(Memorandum))}) == 5


# ---------------------------------------------------------------- who


def _stranger(forum, memorandum):
    return make_user()


def _other_forum_organizer(forum, memorandum):
    return make_organizer(make_forum())


def _signatory(forum, memorandum):
    return memorandum.parties[0].user


class TestOnlyOrganizers:
    @pytest.mark.parametrize("who", [_stranger, _other_forum_organizer, _signatory])
    @pytest.mark.parametrize("action", ["create", "open", "publish", "cancel", "update"])
    def test_others_are_forbidden(self, forum, organizer, count, who, action):
        memorandum = make_memorandum(forum, organizer)
        if action == "publish":
            memoranda.open_for_signing(memorandum, organizer)
            for party in memorandum.parties:
                sign_as(memorandum, party)
        before = (fresh(memorandum).status, memorandum.version, memorandum.title_ru)
        user = who(forum, memorandum)
        calls = {
            "create": lambda: memoranda.create(forum, user, memorandum_input()),
            "open": lambda: memoranda.open_for_signing(memorandum, user),
            "publish": lambda: memoranda.publish(memorandum, user),
            "cancel": lambda: memoranda.cancel(memorandum, user, "Не нравится"),
            "update": lambda: memoranda.update(memorandum, user, memorandum_input(title_ru="Чужой текст")),
        }
        refused("forbidden", 403, calls[action])
        memorandum = fresh(memorandum)
        assert (memorandum.status, memorandum.version, memorandum.title_ru) == before
        assert count(Memorandum) == 1


# ---------------------------------------------------------------- what a memorandum must contain


def _parties(n):
    def change(data):
        data.parties = data.parties[:n]
    return change


def _set(**values):
    def change(data):
        for name, value in values.items():
            setattr(data, name, value)
    return change


def _set_party(index, **values):
    def change(data):
        for name, value in values.items():
            setattr(data.parties[index], name, value)
    return change


def _same_name_as_first(data):
    data.parties[1].organization_name = "  " + data.parties[0].organization_name.upper().replace(" ", "   ") + " "


def _same_email_as_first(data):
    data.parties[1].signatory_email = " SIGNATORY1@Example.KZ "


def _same_bin_twice(data):
    data.parties[0].bin = data.parties[1].bin = valid_bin("99074000068")


REFUSALS = {
    "one party": (_parties(1), "parties"),
    "no parties": (_parties(0), "parties"),
    "no title in either language": (_set(title_kk=None, title_ru="   "), "title_ru"),
    "a subject without its title": (_set(title_kk=""), "title_kk"),
    "a title without its subject": (_set(subject_ru=None), "subject_ru"),
    "a BIN with a wrong check digit": (_set_party(0, bin=wrong_bin("99074000068")), "parties-0-bin"),
    "a BIN of 11 digits": (_set_party(1, bin="12345678901"), "parties-1-bin"),
    "the same BIN for two parties": (_same_bin_twice, "parties-1-bin"),
    "an email without a domain": (_set_party(1, signatory_email="gulnar@"), "parties-1-signatory_email"),
    "an email that is not one": (_set_party(0, signatory_email="Гүлнар Ыбырайқызы"), "parties-0-signatory_email"),
    "no signatory email": (_set_party(0, signatory_email="  "), "parties-0-signatory_email"),
    "no signatory name": (_set_party(1, signatory_name=""), "parties-1-signatory_name"),
    "no organization name": (_set_party(1, organization_name=None), "parties-1-organization_name"),
    "an unknown sector": (_set_party(0, sector="church"), "parties-0-sector"),
    "the same organization twice": (_same_name_as_first, "parties-1-organization_name"),
    "the same signatory twice": (_same_email_as_first, "parties-1-signatory_email"),
    "a region that does not exist": (_set(region_id=99999), "region_id"),
    "a region that is not a number": (_set(region_id="Атырау"), "region_id"),
    "an unknown level": (_set(level="galactic"), "level"),
    "no city": (_set(city=" "), "city"),
    "no date": (_set(dated=None), "dated"),
    "a date that is text": (_set(dated="2026-12-15"), "dated"),
    "a title too long": (_set(title_ru="М" * 301), "title_ru"),
}


class TestWhatADraftNeeds:
    @pytest.mark.parametrize("case", list(REFUSALS))
    def test_refused_with_the_field_and_nothing_written(self, forum, organizer, count, case):
        change, field = REFUSALS[case]
        data = memorandum_input(parties=3)
        change(data)
        error = refused("invalid", 422, memoranda.create, forum, organizer, data)
        assert error.field == field
        assert (count(Memorandum), count(Party), count(Organization), count(MemorandumRevision)) == (0, 0, 0, 0)

    @pytest.mark.parametrize("case", ["one party", "no title in either language", "a BIN with a wrong check digit",
                                      "the same organization twice", "no date"])
    def test_an_edit_is_refused_the_same_way_and_changes_nothing(self, forum, organizer, count, case):
        memorandum = make_memorandum(forum, organizer, open_it=True)
        sign_as(memorandum, memorandum.parties[0])
        sha256 = memorandum.sha256
        change, field = REFUSALS[case]
        data = memorandum_input()
        change(data)
        assert refused("invalid", 422, memoranda.update, memorandum, organizer, data).field == field
        memorandum = fresh(memorandum)
        assert (memorandum.version, memorandum.sha256, len(memorandum.parties)) == (1, sha256, 2)
        assert len(memorandum.current_signatures()) == 1 and count(MemorandumRevision) == 1

    def test_one_language_is_enough(self, forum, organizer):
        data = memorandum_input(title_kk=None, subject_kk=None, preamble_kk=None)
        memorandum = memoranda.create(forum, organizer, data)
        assert memorandum.languages == ["ru"] and memorandum.title_kk is None

    def test_a_valid_bin_and_a_region_are_kept(self, forum, organizer):
        data = memorandum_input(region_id=region("KZ-23").id, level="national")
        data.parties[1].bin = valid_bin("99074000068")
        memorandum = memoranda.create(forum, organizer, data)
        assert memorandum.region.code == "KZ-23" and memorandum.level.value == "national"
        assert memorandum.parties[1].organization.bin == valid_bin("99074000068")
        assert memorandum.parties[1].organization.sector == Sector.business

    def test_two_names_that_lead_to_one_registered_organization(self, forum, organizer, count):
        """The second party's BIN belongs to the organization the first party names: one organization twice."""
        bin_ = valid_bin("99074000068")
        make_organization("ТОО «АқсайГазСервис»", sector=Sector.business, bin=bin_)
        data = memorandum_input()
        data.parties[0].organization_name = "ТОО «АқсайГазСервис»"
        data.parties[1].organization_name = "ТОО «Ақсай Газ Сервис»"
        data.parties[1].bin = bin_
        assert refused("invalid", 422, memoranda.create, forum, organizer, data).field == \
            "parties-1-organization_name"
        assert (count(Memorandum), count(Party), count(Organization)) == (0, 0, 1)

    def test_a_known_organization_is_reused(self, forum, organizer, count):
        known = make_organization("Атырау облысының әкімдігі", sector=Sector.state)
        data = memorandum_input(parties=3)
        data.parties[2].organization_name = "  атырау   облысының ӘКІМДІГІ "
        memorandum = memoranda.create(forum, organizer, data)
        assert memorandum.parties[2].organization_id == known.id and count(Organization) == 3


# ---------------------------------------------------------------- the hash


def _obligations(data):
    data.parties[1].obligations_ru = "Принимает на работу не менее десяти выпускников."


def _swap_parties(data):
    data.parties.reverse()


CHANGES = {
    "a party's obligations": _obligations,
    "the Kazakh title": _set(title_kk="Ынтымақтастық туралы меморандум"),
    "the Russian title": _set(title_ru="Меморандум о взаимодействии"),
    "the date": _set(dated=date(2026, 12, 16)),
    "the city": _set(city="Құлсары"),
    "the term": _set(term_ru="Меморандум действует три года."),
    "a signatory's position": _set_party(0, signatory_position="Төрағаның орынбасары"),
    "the order of the parties": _swap_parties,
}


class TestTheHash:
    def test_the_same_data_gives_the_same_hash(self, forum, organizer):
        memorandum = make_memorandum(forum, organizer)
        first = memoranda.content_hash(memorandum)
        assert memoranda.content_hash(fresh(memorandum)) == first
        memoranda.update(memorandum, organizer, memorandum_input())
        assert memoranda.content_hash(fresh(memorandum)) == first
        memoranda.open_for_signing(memorandum, organizer)
        assert fresh(memorandum).sha256 == first

    @pytest.mark.parametrize("change", list(CHANGES))
    def test_any_change_of_text_changes_the_hash(self, forum, organizer, change):
        memorandum = make_memorandum(forum, organizer)
        before = memoranda.content_hash(memorandum)
        data = memorandum_input()
        CHANGES[change](data)
        memoranda.update(memorandum, organizer, data)
        assert memoranda.content_hash(fresh(memorandum)) != before

    def test_a_draft_changes_freely_without_versions(self, forum, organizer, count):
        memorandum = make_memorandum(forum, organizer)
        memoranda.update(memorandum, organizer, memorandum_input(title_ru="Новое название"))
        memorandum = fresh(memorandum)
        assert (memorandum.version, memorandum.sha256, memorandum.title_ru) == (1, None, "Новое название")
        assert count(MemorandumRevision) == 0 and events(memorandum, "memorandum.edited")

    def test_saving_the_same_text_again_keeps_the_version_and_the_signatures(self, forum, organizer, count, outbox):
        memorandum = make_memorandum(forum, organizer, open_it=True)
        signature = sign_as(memorandum, memorandum.parties[0])
        sha256, letters = memorandum.sha256, len(outbox)
        data = memorandum_input(title_ru="  Меморандум о сотрудничестве в трудоустройстве глухой молодёжи  ")
        data.parties[0].signatory_email = "Signatory1@example.kz"  # the same address, typed differently
        memoranda.update(memorandum, organizer, data)
        memorandum = fresh(memorandum)
        assert (memorandum.version, memorandum.sha256, memorandum.status) == (1, sha256, MemorandumStatus.open)
        assert [s.id for s in memorandum.current_signatures()] == [signature.id]
        assert db.session.get(Signature, signature.id).voided_at is None
        assert memorandum.parties[0].user_id is not None  # still bound: the same person signs
        assert count(MemorandumRevision) == 1 and len(outbox) == letters  # nobody is asked to sign again


class TestNewVersions:
    def test_a_change_after_the_first_signature_voids_it_and_keeps_both_versions(self, forum, organizer, count,
                                                                                 outbox):
        memorandum = make_memorandum(forum, organizer, parties=3, open_it=True)
        first, second, third = memorandum.parties
        old = sign_as(memorandum, first)
        old_sha256, old_content = memorandum.sha256, memoranda.canonical_content(memorandum)
        del outbox[:]

        data = memorandum_input(parties=3)
        _obligations(data)
        memoranda.update(memorandum, organizer, data)
        memorandum = fresh(memorandum)
        assert memorandum.status == MemorandumStatus.open and memorandum.version == 2
        assert memorandum.sha256 != old_sha256 and memorandum.sha256 == memoranda.content_hash(memorandum)

        old = db.session.get(Signature, old.id)
        assert old.voided_at is not None and (old.version, old.sha256) == (1, old_sha256)
        assert memorandum.signatures == [old]  # kept in the history
        assert memorandum.current_signatures() == [] and memoranda.signatures_shown(memorandum) == []

        v1, v2 = memorandum.revisions
        assert (v1.version, v1.sha256, v1.content) == (1, old_sha256, old_content)
        assert (v2.version, v2.sha256) == (2, memorandum.sha256)
        assert v2.content == memoranda.canonical_content(memorandum) and "десяти выпускников" in v2.content
        assert hashlib.sha256(v1.content.encode()).hexdigest() == v1.sha256
        [event] = events(memorandum, "memorandum.new_version")
        assert event.details == {"version": 2, "sha256": memorandum.sha256, "voided": 1}

        # Every signatory is asked again (the letter says the text changed); the first party signs again.
        assert sorted(m.recipients[0] for m in outbox) == [p.signatory_email for p in (first, second, third)]
        assert all(memorandum.sha256 in m.body for m in outbox)
        assert memoranda.signature_of(first) is None and first in memoranda.next_to_sign(memorandum)
        refused("outdated", 409, sign_as, memorandum, first, sha256=old_sha256)
        again = sign_as(memorandum, first)
        assert (again.version, again.sha256, again.voided_at) == (2, memorandum.sha256, None)
        assert count(Signature) == 2

    def test_a_third_version_keeps_three_revisions(self, forum, organizer):
        memorandum = make_memorandum(forum, organizer, open_it=True)
        sign_as(memorandum, memorandum.parties[1])
        memoranda.update(memorandum, organizer, memorandum_input(city="Құлсары"))
        sign_as(memorandum, memorandum.parties[1])
        memoranda.update(memorandum, organizer, memorandum_input(city="Атырау"))
        memorandum = fresh(memorandum)
        assert memorandum.version == 3 and [r.version for r in memorandum.revisions] == [1, 2, 3]
        assert [s.version for s in memorandum.signatures] == [1, 2]
        assert all(s.voided_at is not None for s in memorandum.signatures)
        # Back to the first text: the same content gives the same hash, yet it is a version of its own
        # and the signature given to version 1 does not count for it.
        assert memorandum.revisions[2].sha256 == memorandum.revisions[0].sha256 == memorandum.sha256
        assert memorandum.current_signatures() == []

    def test_a_new_signatory_unbinds_the_old_account(self, forum, organizer):
        memorandum = make_memorandum(forum, organizer, open_it=True)
        party = memorandum.parties[0]
        old_account = party.user
        sign_as(memorandum, party)
        data = memorandum_input()
        data.parties[0].signatory_email = "new.chair@example.kz"
        data.parties[0].signatory_name = "Айгүл Серікова"
        memoranda.update(memorandum, organizer, data)
        memorandum = fresh(memorandum)
        party = memorandum.parties[0]
        assert party.id == memorandum.signatures[0].party_id  # the same party: its history stays with it
        assert (party.signatory_email, party.user_id, memorandum.version) == ("new.chair@example.kz", None, 2)
        assert memoranda.party_of(memorandum, old_account) is None
        refused("forbidden", 403, memoranda.sign, memorandum, old_account, agree=True,
                full_name="Гүлнар Ыбырайқызы", password="correct-horse-7", sha256=memorandum.sha256)


def test_a_party_that_has_signed_cannot_be_removed_so_its_signature_is_never_deleted(app, count):
    from app.memoranda import services as memoranda
    from app.models import Signature
    from tests.factories import make_forum, make_memorandum, make_organizer, memorandum_input, sign_as

    forum = make_forum(slug="asar-remove")
    organizer = make_organizer(forum)
    memorandum = make_memorandum(forum, organizer, parties=3, open_it=True)
    sign_as(memorandum, memorandum.parties[2])

    with pytest.raises(memoranda.MemorandumError) as refused:
        memoranda.update(memorandum, organizer, memorandum_input(parties=2))
    assert refused.value.code == "party_signed" and refused.value.status == 409
    assert len(memorandum.parties) == 3 and memorandum.version == 1
    assert count(Signature) == 1
