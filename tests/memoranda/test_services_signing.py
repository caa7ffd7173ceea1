"""Signing: invitations bind a signatory to a party, only that person signs for it, once per version, with
the text's hash, a ticked box, their own name and their password; in order when the order is agreed."""
import hashlib
from datetime import datetime, timedelta, timezone

import pytest
from itsdangerous import URLSafeTimedSerializer

from app.extensions import db
from app.memoranda import services as memoranda
from app.memoranda.services import MemorandumError
from app.models import AuditEvent, FairProject, Memorandum, MemorandumStatus, ProjectStatus, Signature
from tests.factories import (PASSWORD, make_forum, make_memorandum, make_organizer, make_project, make_user,
                             memorandum_input, sign_as)
from tests.helpers.queries import statements


@pytest.fixture
def forum(app):
    return make_forum(slug="asar-atyrau")


@pytest.fixture
def organizer(forum):
    return make_organizer(forum)


@pytest.fixture
def memorandum(forum, organizer):
    """Open for signing between three parties: an NGO, a business and the akimat."""
    return make_memorandum(forum, organizer, parties=3, open_it=True)


def refused(code, status, call, *args, **kwargs) -> MemorandumError:
    with pytest.raises(MemorandumError) as caught:
        call(*args, **kwargs)
    assert (caught.value.code, caught.value.status) == (code, status), caught.value.message
    return caught.value


def fresh(memorandum) -> Memorandum:
    db.session.expire_all()
    return db.session.get(Memorandum, memorandum.id)


def draft_with_signatory(forum, organizer, name):
    """A draft whose first signatory is `name` (bound to an account of that name)."""
    data = memorandum_input()
    data.parties[0].signatory_name = name
    memorandum = memoranda.create(forum, organizer, data)
    for party in memorandum.parties:
        memoranda.accept_invitation(party, make_user(party.signatory_email, full_name=party.signatory_name))
    return memorandum


# ---------------------------------------------------------------- a signature


class TestASignature:
    def test_records_who_for_which_party_when_from_where_and_what(self, memorandum):
        party = memorandum.parties[1]
        before = datetime.now(timezone.utc)
        signature = sign_as(memorandum, party, ip="2a02:2168:8c0e:1d00::1", user_agent="Mozilla/5.0 (Android 14)")
        signature = db.session.get(Signature, signature.id)
        assert (signature.memorandum_id, signature.party_id, signature.user_id) == (
            memorandum.id, party.id, party.user_id)
        assert signature.signer_name == "Дмитрий Петров"
        assert (signature.version, signature.sha256) == (1, memorandum.sha256)
        assert (signature.ip, signature.user_agent) == ("2a02:2168:8c0e:1d00::1", "Mozilla/5.0 (Android 14)")
        assert before - timedelta(seconds=1) <= signature.signed_at <= datetime.now(timezone.utc)
        assert signature.public_id.startswith("S-") and len(signature.public_id) == 10
        assert signature.voided_at is None and memoranda.signature_of(party) == signature
        [event] = db.session.query(AuditEvent).filter_by(action="memorandum.signed_by_party").all()
        assert event.actor_id == party.user_id and event.details["signature"] == signature.public_id
        assert event.details["sha256"] == memorandum.sha256

    def test_an_overlong_user_agent_is_cut_and_no_ip_is_kept_empty(self, memorandum):
        signature = sign_as(memorandum, memorandum.parties[0], ip=None, user_agent="X" * 1000)
        assert signature.ip is None and len(signature.user_agent) == 300

    def test_four_organizations_signed_by_all_are_sealed(self, forum, organizer):
        memorandum = make_memorandum(forum, organizer, parties=4, open_it=True)
        for party in memorandum.parties:
            assert fresh(memorandum).status == MemorandumStatus.open
            sign_as(memorandum, party)
        memorandum = fresh(memorandum)
        assert memorandum.status == MemorandumStatus.signed
        assert [s.party_id for s in memoranda.signatures_shown(memorandum)] == [p.id for p in memorandum.parties]
        assert memorandum.sealed_pdf.startswith(b"%PDF")
        assert memorandum.sealed_sha256 == hashlib.sha256(memorandum.sealed_pdf).hexdigest()
        assert memorandum.signed_at >= max(s.signed_at for s in memorandum.signatures)
        [event] = db.session.query(AuditEvent).filter_by(action="memorandum.signed").all()
        assert event.details == {"sha256": memorandum.sha256, "pdf_sha256": memorandum.sealed_sha256}

    def test_the_seal_is_the_platforms_and_covers_the_whole_file(self, forum, organizer):
        from app.memoranda.documents import seal_identity
        from app.pdf.seal import validate_seal

        memorandum = make_memorandum(forum, organizer, open_it=True)
        for party in memorandum.parties:
            sign_as(memorandum, party)
        result = validate_seal(fresh(memorandum).sealed_pdf, seal_identity().cert_pem)
        assert result["intact"] and result["valid"] and result["trusted"]


# ---------------------------------------------------------------- who signs


class TestWhoSigns:
    def test_not_someone_bound_to_no_party(self, memorandum, organizer, count):
        for user in (make_user(), organizer):
            refused("forbidden", 403, memoranda.sign, memorandum, user, agree=True, full_name="Дмитрий Петров",
                    password=PASSWORD, sha256=memorandum.sha256)
        assert count(Signature) == 0

    def test_each_signatory_signs_only_for_their_own_party(self, memorandum):
        ngo, business, akimat = memorandum.parties
        # The business's signatory, typing the NGO signatory's name, still cannot sign for the NGO.
        error = refused("invalid", 422, memoranda.sign, memorandum, business.user, agree=True,
                        full_name=ngo.signatory_name, password=PASSWORD, sha256=memorandum.sha256)
        assert error.field == "full_name"
        signature = sign_as(memorandum, business)
        assert signature.party_id == business.id
        assert memoranda.signature_of(ngo) is None and memoranda.signature_of(akimat) is None

    def test_a_signatory_of_another_memorandum_cannot_sign_this_one(self, forum, organizer, memorandum):
        other = make_memorandum(forum, organizer, open_it=True, title_ru="Другой меморандум")
        data = memorandum_input()
        data.parties[0].signatory_email = "someone.else@example.kz"
        memoranda.update(other, organizer, data)
        outsider = make_user("someone.else@example.kz")
        memoranda.accept_invitation(fresh(other).parties[0], outsider)
        refused("forbidden", 403, memoranda.sign, memorandum, outsider, agree=True,
                full_name="Гүлнар Ыбырайқызы", password=PASSWORD, sha256=memorandum.sha256)

    def test_only_once_per_version(self, memorandum, count):
        party = memorandum.parties[0]
        sign_as(memorandum, party)
        refused("already_signed", 409, sign_as, memorandum, party)
        for other in memorandum.parties[1:]:
            sign_as(memorandum, other)
        assert fresh(memorandum).status == MemorandumStatus.signed
        refused("already_signed", 409, sign_as, memorandum, party)
        assert count(Signature) == 3


class TestWhenItCanBeSigned:
    def test_not_a_draft(self, forum, organizer, count):
        memorandum = make_memorandum(forum, organizer)
        refused("not_open", 409, sign_as, memorandum, memorandum.parties[0])
        assert count(Signature) == 0

    def test_not_a_cancelled_one(self, memorandum, organizer, count):
        sha256 = memorandum.sha256
        memoranda.cancel(memorandum, organizer, "Стороны не договорились")
        refused("not_open", 409, sign_as, memorandum, memorandum.parties[0], sha256=sha256)
        assert count(Signature) == 0

    def test_not_a_text_that_has_changed_since_it_was_read(self, memorandum, organizer, count):
        party = memorandum.parties[2]
        read = memorandum.sha256
        memoranda.update(memorandum, organizer, memorandum_input(parties=3, term_ru="Действует два года."))
        assert fresh(memorandum).sha256 != read
        refused("outdated", 409, sign_as, memorandum, party, sha256=read)
        assert count(Signature) == 0
        assert sign_as(memorandum, party).version == 2


class TestTheForm:
    def test_the_box_must_be_ticked(self, memorandum, count):
        assert refused("invalid", 422, sign_as, memorandum, memorandum.parties[0], agree=False).field == "agree"
        assert count(Signature) == 0

    @pytest.mark.parametrize("typed", ["Гүлнар", "Гүлнар Ыбырайқызы Серікқызы", "", "Gulnar Ybyraikyzy"])
    def test_the_full_name_must_be_the_signatorys(self, memorandum, count, typed):
        error = refused("invalid", 422, sign_as, memorandum, memorandum.parties[0], full_name=typed)
        assert error.field == "full_name" and "Гүлнар Ыбырайқызы" in error.message
        assert count(Signature) == 0

    @pytest.mark.parametrize("typed", ["гүлнар ыбырайқызы", "  ГҮЛНАР   Ыбырайқызы ", "Гүлнар\tЫбырайқызы"])
    def test_the_name_tolerates_case_and_spaces(self, memorandum, typed):
        assert sign_as(memorandum, memorandum.parties[0], full_name=typed).signer_name == "Гүлнар Ыбырайқызы"

    @pytest.mark.parametrize("typed", ["Алена Федорова", "АЛЁНА ФЕДОРОВА", "алёна фёдорова"])
    def test_the_name_tolerates_yo_written_as_ye(self, forum, organizer, typed):
        memorandum = draft_with_signatory(forum, organizer, "Алёна Фёдорова")
        memoranda.open_for_signing(memorandum, organizer)
        assert sign_as(memorandum, memorandum.parties[0], full_name=typed).signer_name == "Алёна Фёдорова"

    def test_the_name_tolerates_decomposed_letters(self, forum, organizer):
        memorandum = draft_with_signatory(forum, organizer, "Айгүл Жұмабайқызы")
        memoranda.open_for_signing(memorandum, organizer)
        decomposed = "Айгүл Жұмабайқызы".replace("й", "и\u0306")
        assert decomposed != "Айгүл Жұмабайқызы"
        sign_as(memorandum, memorandum.parties[0], full_name=decomposed)

    @pytest.mark.parametrize("password", ["wrong-password", "", None, PASSWORD.upper()])
    def test_the_password_must_be_the_accounts(self, memorandum, count, password):
        error = refused("invalid", 422, sign_as, memorandum, memorandum.parties[1], password=password)
        assert error.field == "password" and count(Signature) == 0


class TestSigningOrder:
    def test_the_state_body_signs_last(self, forum, organizer, count):
        memorandum = make_memorandum(forum, organizer, parties=3, ordered=True, open_it=True)
        ngo, business, akimat = memorandum.parties
        assert akimat.organization.sector.value == "state" and akimat.sign_order == 3
        assert memoranda.next_to_sign(memorandum) == [ngo]
        refused("not_your_turn", 409, sign_as, memorandum, akimat)
        refused("not_your_turn", 409, sign_as, memorandum, business)
        sign_as(memorandum, ngo)
        refused("not_your_turn", 409, sign_as, memorandum, akimat)
        sign_as(memorandum, business)
        assert memoranda.next_to_sign(memorandum) == [akimat]
        sign_as(memorandum, akimat)
        assert fresh(memorandum).status == MemorandumStatus.signed and count(Signature) == 3

    def test_the_listing_order_is_not_the_signing_order(self, forum, organizer):
        """The akimat is listed first but signs last; the business and the NGO share the first turn."""
        data = memorandum_input(parties=3, ordered=True)
        data.parties = [data.parties[2], data.parties[0], data.parties[1]]
        data.parties[0].sign_order, data.parties[1].sign_order, data.parties[2].sign_order = 2, 1, 1
        memorandum = memoranda.create(forum, organizer, data)
        for party in memorandum.parties:
            memoranda.accept_invitation(party, make_user(party.signatory_email))
        memoranda.open_for_signing(memorandum, organizer)
        akimat, ngo, business = memorandum.parties
        assert set(memoranda.next_to_sign(memorandum)) == {ngo, business}
        refused("not_your_turn", 409, sign_as, memorandum, akimat)
        sign_as(memorandum, business)
        refused("not_your_turn", 409, sign_as, memorandum, akimat)
        sign_as(memorandum, ngo)
        sign_as(memorandum, akimat)
        assert fresh(memorandum).status == MemorandumStatus.signed

    def test_without_an_agreed_order_anyone_signs_first(self, memorandum):
        akimat = memorandum.parties[2]
        assert len(memoranda.next_to_sign(memorandum)) == 3
        sign_as(memorandum, akimat)


# ---------------------------------------------------------------- invitations


class TestInvitations:
    def test_opening_invites_every_signatory_with_their_own_link(self, forum, organizer, outbox):
        memorandum = make_memorandum(forum, organizer, parties=3)
        assert outbox == []  # a draft invites nobody
        memoranda.open_for_signing(memorandum, organizer)
        memorandum = fresh(memorandum)
        assert [m.recipients for m in outbox] == [[p.signatory_email] for p in memorandum.parties]
        for letter, party in zip(outbox, memorandum.parties):
            assert party.invited_at is not None
            assert memorandum.number in letter.subject + letter.body and memorandum.sha256 in letter.body
            token = letter.body.split("/memoranda/invitations/")[1].split()[0]
            assert memoranda.party_from_invitation(token) == party

    def test_the_token_round_trip(self, memorandum):
        for party in memorandum.parties:
            assert memoranda.party_from_invitation(memoranda.invitation_token(party)) == party

    def test_forged_or_garbled_tokens_lead_nowhere(self, app, memorandum):
        party = memorandum.parties[0]
        token = memoranda.invitation_token(party)
        forged = URLSafeTimedSerializer("not-the-secret", salt="asar-memorandum-invitation").dumps(
            {"p": party.id, "e": party.signatory_email})
        ours = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="asar-memorandum-invitation")
        for bad in (forged, token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB"), token[5:], "", "x", "a.b.c",
                    "я" * 50, ours.dumps(["p", party.id]), ours.dumps({"p": str(party.id), "e": party.signatory_email}),
                    ours.dumps({"p": 999999, "e": party.signatory_email}),
                    ours.dumps({"p": party.id, "e": "intruder@example.kz"})):
            assert memoranda.party_from_invitation(bad) is None, bad

    def test_an_old_invitation_expires(self, memorandum, monkeypatch):
        token = memoranda.invitation_token(memorandum.parties[0])
        monkeypatch.setattr(memoranda, "INVITATION_MAX_AGE", -1)
        assert memoranda.party_from_invitation(token) is None

    def test_a_changed_signatory_makes_the_old_invitation_void(self, memorandum, organizer, outbox):
        party = memorandum.parties[1]
        old_token = memoranda.invitation_token(party)
        data = memorandum_input(parties=3)
        data.parties[1].signatory_email = "a.nurlanov@aksaygas.kz"
        data.parties[1].signatory_name = "Асқар Нұрланов"
        memoranda.update(memorandum, organizer, data)
        party = fresh(memorandum).parties[1]
        assert memoranda.party_from_invitation(old_token) is None
        assert memoranda.party_from_invitation(memoranda.invitation_token(party)) == party
        assert "a.nurlanov@aksaygas.kz" in [m.recipients[0] for m in outbox]
        newcomer = make_user("a.nurlanov@aksaygas.kz")
        memoranda.accept_invitation(party, newcomer)
        assert sign_as(memorandum, party, full_name="асқар нұрланов").user_id == newcomer.id

    def test_accepting_binds_the_account_with_the_invited_address(self, forum, organizer):
        memorandum = memoranda.create(forum, organizer, memorandum_input())
        party = memorandum.parties[0]
        account = make_user("signatory1@example.kz")
        assert memoranda.party_of(memorandum, account) is None
        memoranda.accept_invitation(party, account)
        memoranda.accept_invitation(party, account)  # opening the link twice changes nothing
        assert party.user_id == account.id and memoranda.party_of(memorandum, account) == party
        assert db.session.query(AuditEvent).filter_by(action="memorandum.invitation_accepted").count() == 1

    def test_not_with_another_account(self, forum, organizer):
        memorandum = memoranda.create(forum, organizer, memorandum_input())
        party = memorandum.parties[0]
        refused("wrong_account", 403, memoranda.accept_invitation, party, make_user("somebody@example.kz"))
        # Not even the signatory of the other party.
        refused("wrong_account", 403, memoranda.accept_invitation, party, make_user("signatory2@example.kz"))
        assert fresh(memorandum).parties[0].user_id is None

    def test_not_when_another_account_already_signs_for_the_party(self, forum, organizer):
        memorandum = memoranda.create(forum, organizer, memorandum_input())
        party = memorandum.parties[0]
        first = make_user("signatory1@example.kz")
        memoranda.accept_invitation(party, first)
        first.email = "gulnar.private@example.kz"  # the first account moved to another address...
        db.session.commit()
        second = make_user("signatory1@example.kz")  # ...and a new account took the invited one
        refused("taken", 409, memoranda.accept_invitation, party, second)
        assert fresh(memorandum).parties[0].user_id == first.id


# ---------------------------------------------------------------- what waits for me


class TestWaitingFor:
    def test_only_open_memoranda_my_party_has_not_signed(self, forum, organizer):
        waiting = make_memorandum(forum, organizer, open_it=True, title_ru="Ждёт подписи")
        signed_by_me = make_memorandum(forum, organizer, open_it=True, title_ru="Я подписала")
        draft = make_memorandum(forum, organizer, title_ru="Черновик")
        cancelled = make_memorandum(forum, organizer, open_it=True, title_ru="Отменён")
        finished = make_memorandum(forum, organizer, open_it=True, title_ru="Подписан всеми")
        me = waiting.parties[0].user
        assert all(m.parties[0].user_id == me.id for m in (signed_by_me, draft, cancelled, finished))
        sign_as(signed_by_me, signed_by_me.parties[0])
        memoranda.cancel(cancelled, organizer, "Отказ")
        for party in finished.parties:
            sign_as(finished, party)
        assert [(m.id, p.id) for m, p in memoranda.waiting_for(me)] == [(waiting.id, waiting.parties[0].id)]
        assert memoranda.waiting_for(make_user()) == []
        # The other party has signed none of them: both open ones wait for it.
        other = waiting.parties[1].user
        assert sorted(m.id for m, _ in memoranda.waiting_for(other)) == [waiting.id, signed_by_me.id]

    def test_a_new_version_waits_again(self, forum, organizer):
        memorandum = make_memorandum(forum, organizer, open_it=True)
        me = memorandum.parties[0].user
        sign_as(memorandum, memorandum.parties[0])
        assert memoranda.waiting_for(me) == []
        memoranda.update(memorandum, organizer, memorandum_input(city="Құлсары"))
        assert [m.id for m, _ in memoranda.waiting_for(me)] == [memorandum.id]

    def test_the_header_count_costs_the_same_few_queries_however_many_memoranda_wait(self, forum, organizer):
        """Every page of a signed-in user asks this (the "To sign (N)" link): no query per memorandum."""
        first = make_memorandum(forum, organizer, open_it=True)
        me = first.parties[0].user
        sign_as(first, first.parties[1])
        db.session.expire_all()
        with statements() as one:
            assert len(memoranda.waiting_for(me)) == 1
        for _ in range(4):
            other = make_memorandum(forum, organizer, open_it=True)
            sign_as(other, other.parties[1])
        db.session.expire_all()
        with statements() as five:
            assert len(memoranda.waiting_for(me)) == 5
        assert len(five) == len(one) <= 3


# ---------------------------------------------------------------- the fair project behind it


class TestTheFairProject:
    @pytest.mark.parametrize("status", ["supported", "funded"])
    def test_a_backed_project_becomes_memorandum_signed(self, forum, organizer, status):
        project = make_project(forum, status=status)
        memorandum = make_memorandum(forum, organizer, open_it=True, project_id=project.id)
        sign_as(memorandum, memorandum.parties[0])
        assert db.session.get(FairProject, project.id).status == ProjectStatus(status)  # not yet
        sign_as(memorandum, memorandum.parties[1])
        db.session.expire_all()
        assert db.session.get(FairProject, project.id).status == ProjectStatus.memorandum_signed
        [event] = db.session.query(AuditEvent).filter_by(action="project.memorandum_signed").all()
        assert event.subject_id == project.id
        assert event.details == {"previous": status, "memorandum": memorandum.number}

    def test_a_project_not_yet_backed_keeps_its_status(self, forum, organizer):
        project = make_project(forum, status="approved")
        memorandum = make_memorandum(forum, organizer, open_it=True, project_id=project.id)
        for party in memorandum.parties:
            sign_as(memorandum, party)
        db.session.expire_all()
        assert db.session.get(FairProject, project.id).status == ProjectStatus.approved

    def test_only_a_project_of_this_forums_fair(self, forum, organizer, count):
        elsewhere = make_project(make_forum(), status="supported")
        for project_id in (elsewhere.id, 999999, "abc"):
            error = refused("invalid", 422, memoranda.create, forum, organizer,
                            memorandum_input(project_id=project_id))
            assert error.field == "project_id"
        assert count(Memorandum) == 0
