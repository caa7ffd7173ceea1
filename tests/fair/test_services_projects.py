"""A project's way through the fair, and who may move it: submit, edit, review, booth, support, memorandum."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.fair import services as fair
from app.fair.services import FairError, ProjectInput
from app.models import AuditEvent, DelegateStatus, FairProject, ProjectStatus, utcnow
from tests.factories import (make_fair_delegate, make_forum, make_organizer, make_pledge, make_project, make_user,
                             region)


@pytest.fixture
def forum(app):
    return make_forum(slug="asar")


@pytest.fixture
def organizer(forum):
    return make_organizer(forum)


@pytest.fixture
def ngo(forum):
    return make_fair_delegate(forum, sector="ngo", full_name="Гүлнар Ыбырайқызы")


def project_input(**overrides) -> ProjectInput:
    values = dict(title_kk="Есту қабілеті бұзылған жастарды жұмыспен қамту",
                  title_ru="Трудоустройство молодёжи с нарушениями слуха",
                  summary_kk="Саңырау жастарға кәсіп үйрету", summary_ru="Обучение профессиям",
                  category="inclusion", region_id=region("KZ-23").id, settlement="Атырау",
                  beneficiaries="Есту қабілеті бұзылған жастар", beneficiaries_count="40",
                  budget_kzt="2 000 000", duration_months=12)
    values.update(overrides)
    return ProjectInput(**values)


def events(project, action=None):
    query = sa.select(AuditEvent).where(AuditEvent.subject_type == "fairproject", AuditEvent.subject_id == project.id)
    if action:
        query = query.where(AuditEvent.action == action)
    return list(db.session.scalars(query.order_by(AuditEvent.id)))


def refused(code, status, call, *args, **kwargs) -> FairError:
    with pytest.raises(FairError) as caught:
        call(*args, **kwargs)
    assert (caught.value.code, caught.value.status) == (code, status), caught.value.message
    return caught.value


# ---------------------------------------------------------------- submitting


class TestSubmit:
    def test_a_confirmed_ngo_delegate_submits_and_it_is_recorded(self, forum, ngo):
        before = utcnow()
        project = fair.submit_project(forum, ngo.user, project_input())
        assert project.status == ProjectStatus.submitted
        assert project.delegate_id == ngo.id and project.organization_id == ngo.organization_id
        assert project.budget_kzt == 2_000_000 and project.beneficiaries_count == 40  # "2 000 000" as typed
        assert project.contact_email == ngo.email and project.contact_name == ngo.full_name
        assert "саңырау" in project.search_text and ngo.organization.name.casefold() in project.search_text
        [event] = events(project)
        assert event.action == "project.submitted" and event.actor_id == ngo.user_id
        assert event.at >= before - timedelta(seconds=1)

    @pytest.mark.parametrize("who", ["business", "state", "pending_ngo", "other_forum_ngo", "stranger",
                                     "organizer"])
    def test_nobody_else_submits(self, forum, count, who):
        if who in ("business", "state"):
            user = make_fair_delegate(forum, sector=who).user
        elif who == "pending_ngo":
            delegate = make_fair_delegate(forum, sector="ngo")
            delegate.status = DelegateStatus.pending
            db.session.commit()
            user = delegate.user
        elif who == "other_forum_ngo":
            user = make_fair_delegate(make_forum(), sector="ngo").user
        elif who == "organizer":
            user = make_organizer(forum)
        else:
            user = make_user()
        refused("not_ngo_delegate", 403, fair.submit_project, forum, user, project_input())
        assert count(FairProject) == 0

    @pytest.mark.parametrize("changes, field", [
        ({"title_kk": "", "title_ru": "  "}, "title_ru"),
        ({"summary_kk": None, "summary_ru": ""}, "summary_ru"),
        ({"category": "sports"}, "category"),
        ({"category": None}, "category"),
        ({"region_id": 99999}, "region_id"),
        ({"region_id": "Атырау"}, "region_id"),
        ({"budget_kzt": 0}, "budget_kzt"),
        ({"budget_kzt": -5}, "budget_kzt"),
        ({"budget_kzt": None}, "budget_kzt"),
        ({"budget_kzt": "1.5"}, "budget_kzt"),
        ({"budget_kzt": 2.5}, "budget_kzt"),
        ({"budget_kzt": True}, "budget_kzt"),
        ({"budget_kzt": 10**12 + 1}, "budget_kzt"),
        ({"beneficiaries_count": -1}, "beneficiaries_count"),
        ({"duration_months": 0}, "duration_months"),
        ({"duration_months": 121}, "duration_months"),
        ({"contact_email": "not-an-email"}, "contact_email"),
    ])
    def test_bad_input_names_its_field_and_writes_nothing(self, forum, ngo, count, changes, field):
        error = refused("invalid", 422, fair.submit_project, forum, ngo.user, project_input(**changes))
        assert error.field == field
        assert count(FairProject) == 0 and count(AuditEvent, AuditEvent.subject_type == "fairproject") == 0

    def test_one_language_is_enough_and_control_characters_are_dropped(self, forum, ngo):
        project = fair.submit_project(forum, ngo.user, project_input(title_ru=None, summary_ru=None,
                                                                     title_kk="Ауыл\x00 кітапханасы"))
        assert project.title_kk == "Ауыл кітапханасы" and project.title_ru is None


# ---------------------------------------------------------------- editing


class TestEdit:
    def test_the_owner_edits_while_under_review_and_the_fields_are_recorded(self, forum, ngo):
        project = make_project(forum, ngo, status="submitted")
        fair.update_project(project, ngo.user, project_input(budget_kzt=2_500_000, settlement="Құлсары"))
        assert (project.budget_kzt, project.settlement) == (2_500_000, "Құлсары")
        [edited] = events(project, "project.edited")
        assert edited.actor_id == ngo.user_id and {"budget_kzt", "settlement"} <= set(edited.details["fields"])

    def test_a_colleague_from_the_same_ngo_or_an_organizer_cannot_edit(self, forum, ngo, organizer):
        project = make_project(forum, ngo, status="submitted")
        colleague = make_fair_delegate(forum, sector="ngo", organization=ngo.organization)
        for user in (colleague.user, organizer, make_user()):
            refused("forbidden", 403, fair.update_project, project, user, project_input(budget_kzt=1))
        assert db.session.get(FairProject, project.id).budget_kzt == 2_000_000

    @pytest.mark.parametrize("status", ["approved", "presented", "supported", "funded", "rejected",
                                        "memorandum_signed"])
    def test_no_edits_once_approved_or_rejected(self, forum, ngo, status):
        project = make_project(forum, ngo, status=status)
        refused("not_editable", 409, fair.update_project, project, ngo.user, project_input(budget_kzt=1_000))
        assert db.session.get(FairProject, project.id).budget_kzt == 2_000_000

    def test_a_returned_project_can_be_edited_and_sent_again(self, forum, ngo, organizer):
        project = make_project(forum, ngo, status="submitted")
        fair.review(project, organizer, "return", "Бюджетті толығырақ жазыңыз")
        assert project.status == ProjectStatus.returned and project.review_comment == "Бюджетті толығырақ жазыңыз"
        fair.update_project(project, ngo.user, project_input(budget_breakdown="Жалақы 1 200 000 ₸, жабдық 800 000 ₸"))
        fair.resubmit(project, ngo.user)
        assert project.status == ProjectStatus.submitted
        fair.review(project, organizer, "approve")
        assert project.status == ProjectStatus.approved and project.review_comment is None
        assert [e.action for e in events(project)] == ["project.submitted", "project.returned", "project.edited",
                                                       "project.submitted", "project.approved"]

    def test_only_the_owner_resubmits_and_only_a_returned_project(self, forum, ngo, organizer):
        project = make_project(forum, ngo, status="submitted")
        refused("invalid_transition", 409, fair.resubmit, project, ngo.user)
        fair.review(project, organizer, "return", "Толықтырыңыз")
        refused("forbidden", 403, fair.resubmit, project, organizer)
        assert project.status == ProjectStatus.returned


# ---------------------------------------------------------------- review


class TestReview:
    @pytest.mark.parametrize("action, status", [("approve", ProjectStatus.approved),
                                                ("reject", ProjectStatus.rejected)])
    def test_organizers_approve_or_reject_submitted_projects(self, forum, ngo, organizer, action, status):
        project = make_project(forum, ngo, status="submitted")
        fair.review(project, organizer, action)
        assert project.status == status
        assert (project.approved_at is not None) == (action == "approve")
        [event] = events(project, f"project.{status.value}")
        assert event.actor_id == organizer.id and event.details["previous"] == "submitted"

    def test_only_the_forums_organizers_review(self, forum, ngo):
        project = make_project(forum, ngo, status="submitted")
        other_forums_organizer = make_organizer(make_forum())
        for user in (ngo.user, make_fair_delegate(forum, sector="business").user, other_forums_organizer,
                     make_user()):
            refused("forbidden", 403, fair.review, project, user, "approve")
        assert project.status == ProjectStatus.submitted and events(project, "project.approved") == []

    @pytest.mark.parametrize("status", ["approved", "returned", "rejected", "presented", "funded"])
    def test_only_from_submitted(self, forum, ngo, organizer, status):
        project = make_project(forum, ngo, status=status)
        refused("invalid_transition", 409, fair.review, project, organizer, "approve")
        assert project.status == ProjectStatus(status)

    def test_returning_needs_a_comment(self, forum, ngo, organizer):
        project = make_project(forum, ngo, status="submitted")
        error = refused("invalid", 422, fair.review, project, organizer, "return", "   ")
        assert error.field == "comment" and project.status == ProjectStatus.submitted

    def test_an_unknown_action_is_refused(self, forum, ngo, organizer):
        project = make_project(forum, ngo, status="submitted")
        refused("invalid_action", 422, fair.review, project, organizer, "publish")

    def test_a_rejected_project_is_closed_to_pledges_and_not_public(self, forum, ngo, organizer, count):
        project = make_project(forum, ngo, status="submitted")
        fair.review(project, organizer, "reject", "Форум тақырыбына сай емес")
        business = make_fair_delegate(forum, sector="business")
        refused("not_open", 409, fair.make_pledge, project, business.user, fair.PledgeInput(amount_kzt=100_000))
        assert not fair.can_view(business.user, project) and not fair.can_view(None, project)
        assert fair.can_view(ngo.user, project) and fair.can_view(organizer, project)
        assert fair.catalogue(forum, fair.CatalogueQuery()) == ([], 0)


# ---------------------------------------------------------------- booth, support, funding, memorandum


class TestTheWayToFunding:
    def test_a_booth_presents_the_project_and_removing_it_goes_back(self, forum, ngo, organizer):
        project = make_project(forum, ngo)
        fair.assign_booth(project, organizer, " A-12 ")
        assert (project.booth, project.status) == ("A-12", ProjectStatus.presented)
        fair.assign_booth(project, organizer, "")
        assert (project.booth, project.status) == (None, ProjectStatus.approved)
        assert [e.action for e in events(project)][-4:] == ["project.booth", "project.presented", "project.booth",
                                                            "project.approved"]

    def test_a_booth_belongs_to_one_project_per_forum(self, forum, organizer):
        first, second = make_project(forum), make_project(forum)
        fair.assign_booth(first, organizer, "B-1")
        error = refused("booth_taken", 409, fair.assign_booth, second, organizer, "B-1")
        assert error.field == "booth" and db.session.get(FairProject, second.id).booth is None
        other_forum = make_forum()
        fair.assign_booth(make_project(other_forum), make_organizer(other_forum), "B-1")  # elsewhere it is free

    def test_booths_only_by_organizers_and_only_for_approved_projects(self, forum, ngo, organizer):
        project = make_project(forum, ngo)
        refused("forbidden", 403, fair.assign_booth, project, ngo.user, "C-3")
        waiting = make_project(forum, status="submitted")
        refused("invalid_transition", 409, fair.assign_booth, waiting, organizer, "C-3")

    def test_a_confirmed_pledge_supports_and_a_covered_budget_funds(self, forum, ngo, organizer):
        project = make_project(forum, ngo, budget=2_000_000)
        fair.assign_booth(project, organizer, "A-1")
        first = make_pledge(project, amount=500_000)
        assert project.status == ProjectStatus.presented  # pending support changes nothing
        fair.confirm_pledge(first, ngo.user)
        assert project.status == ProjectStatus.supported
        make_pledge(project, amount=1_000_000, in_kind="Ғимаратты жалға беру", in_kind_value=500_000, confirm=True)
        project = db.session.get(FairProject, project.id)
        assert (project.confirmed_kzt, project.confirmed_in_kind_kzt, project.covered_kzt) == (
            1_500_000, 500_000, 2_000_000)
        assert project.status == ProjectStatus.funded and project.booth == "A-1"
        assert [e.action for e in events(project) if e.action in ("project.supported", "project.funded")] == [
            "project.supported", "project.funded"]

    def test_the_memorandum_follows_support_only(self, forum, ngo, organizer):
        project = make_project(forum, ngo)
        refused("invalid_transition", 409, fair.mark_memorandum_signed, project, organizer)
        make_pledge(project, amount=100_000, confirm=True)
        refused("forbidden", 403, fair.mark_memorandum_signed, project, ngo.user)
        fair.mark_memorandum_signed(project, organizer)
        assert project.status == ProjectStatus.memorandum_signed
        [event] = events(project, "project.memorandum_signed")
        assert event.actor_id == organizer.id and event.details["previous"] == "supported"
        # Still public, but closed to new pledges; the status never falls back on a recount.
        assert fair.can_view(None, project)
        refused("not_open", 409, fair.make_pledge, project, make_fair_delegate(forum, sector="business").user,
                fair.PledgeInput(amount_kzt=5))
        fair.recount(project)
        assert project.status == ProjectStatus.memorandum_signed

    def test_winners_are_marked_by_organizers_on_public_projects(self, forum, ngo, organizer):
        project = make_project(forum, ngo)
        refused("forbidden", 403, fair.set_winner, project, ngo.user, True)
        fair.set_winner(project, organizer, True)
        assert project.is_winner and events(project, "project.winner")[0].actor_id == organizer.id
        refused("invalid_transition", 409, fair.set_winner, make_project(forum, status="submitted"), organizer, True)


def test_history_records_who_did_what_and_when_in_order(forum, ngo, organizer):
    project = make_project(forum, ngo, status="submitted")
    fair.review(project, organizer, "approve")
    business = make_fair_delegate(forum, sector="business")
    pledge = make_pledge(project, business, amount=2_000_000)
    fair.confirm_pledge(pledge, ngo.user, "Рақмет")
    steps = [(event.action, event.actor.email if event.actor else None) for event in fair.history(project)]
    assert steps == [
        ("project.submitted", ngo.user.email),
        ("project.approved", organizer.email),
        ("pledge.made", business.user.email),
        ("pledge.confirmed", ngo.user.email),
        ("project.funded", ngo.user.email),
    ]
    times = [event.at for event in fair.history(project)]
    assert times == sorted(times) and all(t.tzinfo is not None for t in times)
