"""Pledges and their money: who pledges, who answers, and totals that add up to the tenge."""
import random
import threading

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.fair import services as fair
from app.fair.services import FairError, PledgeInput
from app.models import AuditEvent, DelegateStatus, FairProject, Pledge, PledgeStatus, ProjectStatus
from tests.factories import (make_fair_delegate, make_forum, make_organization, make_organizer, make_pledge,
                             make_project, make_user)


@pytest.fixture
def forum(app):
    return make_forum(slug="asar")


@pytest.fixture
def ngo(forum):
    return make_fair_delegate(forum, sector="ngo")


@pytest.fixture
def business(forum):
    return make_fair_delegate(forum, sector="business")


@pytest.fixture
def project(forum, ngo):
    return make_project(forum, ngo, budget=2_000_000)


def refused(code, status, call, *args, **kwargs) -> FairError:
    with pytest.raises(FairError) as caught:
        call(*args, **kwargs)
    assert (caught.value.code, caught.value.status) == (code, status), caught.value.message
    return caught.value


def fresh(project) -> FairProject:
    db.session.expire_all()
    return db.session.get(FairProject, project.id)


# ---------------------------------------------------------------- who pledges


class TestWhoPledges:
    def test_a_business_pledge_is_pending_and_counts_only_as_pending(self, project, business, outbox):
        pledge = fair.make_pledge(project, business.user, PledgeInput(amount_kzt=2_000_000, comment="Қолдаймыз"))
        assert pledge.status == PledgeStatus.pending and pledge.organization_id == business.organization_id
        project = fresh(project)
        assert (project.pending_kzt, project.confirmed_kzt, project.covered_kzt, project.progress_percent) == (
            2_000_000, 0, 0, 0)
        assert project.status == ProjectStatus.approved and project.backers_count == 0
        assert outbox[0].recipients == [project.delegate.email]

    @pytest.mark.parametrize("who", ["ngo", "state", "media", "pending_business", "declined_business",
                                     "other_forum_business", "organizer", "stranger"])
    def test_only_confirmed_business_delegates_of_this_forum(self, forum, project, count, who):
        if who in ("ngo", "state", "media"):
            user = make_fair_delegate(forum, sector=who).user
        elif who in ("pending_business", "declined_business"):
            delegate = make_fair_delegate(forum, sector="business")
            delegate.status = DelegateStatus.pending if who == "pending_business" else DelegateStatus.declined
            db.session.commit()
            user = delegate.user
        elif who == "other_forum_business":
            user = make_fair_delegate(make_forum(), sector="business").user
        elif who == "organizer":
            user = make_organizer(forum)
        else:
            user = make_user()
        refused("not_business_delegate", 403, fair.make_pledge, project, user, PledgeInput(amount_kzt=100))
        assert count(Pledge) == 0

    def test_not_to_a_project_of_ones_own_organization(self, forum, count):
        group = make_organization("«Атырау Газ Сервис» ЖШС қоры", sector=fair.Sector.business)
        business = make_fair_delegate(forum, sector="business", organization=group)
        project = make_project(forum)
        project.organization_id = group.id
        db.session.commit()
        refused("own_project", 409, fair.make_pledge, project, business.user, PledgeInput(amount_kzt=100))
        assert count(Pledge) == 0

    @pytest.mark.parametrize("status", ["submitted", "returned", "rejected", "memorandum_signed"])
    def test_only_open_projects(self, forum, business, status, count):
        project = make_project(forum, status=status)
        refused("not_open", 409, fair.make_pledge, project, business.user, PledgeInput(amount_kzt=100))
        assert count(Pledge) == 0

    @pytest.mark.parametrize("status", ["approved", "presented", "supported", "funded"])
    def test_open_projects_take_pledges_even_once_funded(self, forum, business, status):
        project = make_project(forum, status=status)
        assert fair.make_pledge(project, business.user, PledgeInput(amount_kzt=100)).status == PledgeStatus.pending

    def test_one_pending_pledge_at_a_time_per_delegate(self, project, business, ngo):
        first = fair.make_pledge(project, business.user, PledgeInput(amount_kzt=100_000))
        refused("pledge_pending", 409, fair.make_pledge, project, business.user, PledgeInput(amount_kzt=5))
        fair.decline_pledge(first, ngo.user, "Бізге ақшадан гөрі жабдық керек")
        second = fair.make_pledge(project, business.user,
                                  PledgeInput(in_kind="Компьютерлер", in_kind_value_kzt=900_000))
        assert second.status == PledgeStatus.pending
        # A colleague from the same company pledges for themselves.
        colleague = make_fair_delegate(project.forum, sector="business", organization=business.organization)
        fair.make_pledge(project, colleague.user, PledgeInput(amount_kzt=50_000))

    @pytest.mark.parametrize("data, field", [
        (PledgeInput(), "amount_kzt"),
        (PledgeInput(comment="тек пікір"), "amount_kzt"),
        (PledgeInput(amount_kzt=0), "amount_kzt"),
        (PledgeInput(amount_kzt=-100), "amount_kzt"),
        (PledgeInput(amount_kzt=10**12 + 1), "amount_kzt"),
        (PledgeInput(amount_kzt=1.5), "amount_kzt"),
        (PledgeInput(amount_kzt=100.0), "amount_kzt"),
        (PledgeInput(amount_kzt="1e6"), "amount_kzt"),
        (PledgeInput(amount_kzt=True), "amount_kzt"),
        (PledgeInput(in_kind="Автобус"), "in_kind_value_kzt"),
        (PledgeInput(in_kind_value_kzt=300_000), "in_kind"),
        (PledgeInput(in_kind="Автобус", in_kind_value_kzt=0), "in_kind_value_kzt"),
        (PledgeInput(in_kind="Автобус", in_kind_value_kzt=2.5), "in_kind_value_kzt"),
    ])
    def test_bad_amounts_are_refused_and_nothing_is_written(self, project, business, count, data, field):
        error = refused(refused_code(data), 422, fair.make_pledge, project, business.user, data)
        assert error.field == field
        assert count(Pledge) == 0 and count(AuditEvent, AuditEvent.subject_type == "pledge") == 0
        assert fresh(project).pending_kzt == 0

    def test_typed_amounts_with_spaces_are_whole_tenge(self, project, business):
        pledge = fair.make_pledge(project, business.user, PledgeInput(amount_kzt="1 500 000"))
        assert pledge.amount_kzt == 1_500_000 and type(pledge.amount_kzt) is int


def refused_code(data) -> str:
    return "empty_pledge" if data.amount_kzt is None and not data.in_kind and data.in_kind_value_kzt is None \
        else "invalid"


# ---------------------------------------------------------------- answers


class TestAnswers:
    def test_only_the_projects_ngo_confirms_or_declines(self, forum, project, business, ngo):
        pledge = make_pledge(project, business, amount=300_000)
        colleague = make_fair_delegate(forum, sector="ngo", organization=ngo.organization)
        for user in (business.user, make_organizer(forum), colleague.user, make_user()):
            refused("forbidden", 403, fair.confirm_pledge, pledge, user)
            refused("forbidden", 403, fair.decline_pledge, pledge, user)
        assert db.session.get(Pledge, pledge.id).status == PledgeStatus.pending

    def test_an_answer_is_given_once(self, project, business, ngo):
        pledge = make_pledge(project, business, amount=300_000)
        fair.confirm_pledge(pledge, ngo.user, "Рақмет!")
        assert (pledge.status, pledge.decided_by_id, pledge.decision_note) == (
            PledgeStatus.confirmed, ngo.user_id, "Рақмет!")
        refused("already_decided", 409, fair.confirm_pledge, pledge, ngo.user)
        refused("already_decided", 409, fair.decline_pledge, pledge, ngo.user)
        assert fresh(project).confirmed_kzt == 300_000  # not 600 000: the second confirm changed nothing

    def test_a_declined_pledge_cannot_be_confirmed_later(self, project, business, ngo):
        pledge = make_pledge(project, business, amount=300_000)
        fair.decline_pledge(pledge, ngo.user)
        refused("already_decided", 409, fair.confirm_pledge, pledge, ngo.user)
        assert (fresh(project).confirmed_kzt, fresh(project).pending_kzt) == (0, 0)

    def test_the_business_withdraws_only_while_pending(self, project, business, ngo):
        pending = make_pledge(project, business, amount=300_000)
        refused("forbidden", 403, fair.withdraw_pledge, pending, ngo.user)
        fair.withdraw_pledge(pending, business.user)
        assert pending.status == PledgeStatus.withdrawn and fresh(project).pending_kzt == 0
        refused("already_decided", 409, fair.withdraw_pledge, pending, business.user)
        refused("already_decided", 409, fair.confirm_pledge, pending, ngo.user)  # too late to confirm it

        confirmed = make_pledge(project, business, amount=200_000, confirm=True)
        refused("already_decided", 409, fair.withdraw_pledge, confirmed, business.user)
        declined = make_pledge(project, business, amount=100_000)
        fair.decline_pledge(declined, ngo.user)
        refused("already_decided", 409, fair.withdraw_pledge, declined, business.user)
        assert fresh(project).confirmed_kzt == 200_000

    def test_each_answer_is_recorded_with_who(self, project, business, ngo):
        pledge = make_pledge(project, business, amount=300_000)
        fair.confirm_pledge(pledge, ngo.user)
        made, confirmed = db.session.scalars(sa.select(AuditEvent).where(
            AuditEvent.subject_type == "pledge", AuditEvent.subject_id == pledge.id).order_by(AuditEvent.id))
        assert (made.action, made.actor_id) == ("pledge.made", business.user_id)
        assert (confirmed.action, confirmed.actor_id, confirmed.details["amount_kzt"]) == (
            "pledge.confirmed", ngo.user_id, 300_000)

    def test_who_sees_which_pledges(self, forum, project, business, ngo):
        mine = make_pledge(project, business, amount=100)
        theirs = make_pledge(project, amount=200)
        assert fair.pledges_of(project, ngo.user) == [mine, theirs]
        assert fair.pledges_of(project, make_organizer(forum)) == [mine, theirs]
        assert fair.pledges_of(project, business.user) == [mine]
        assert fair.pledges_of(project, make_user()) == [] and fair.pledges_of(project, None) == []
        assert fair.confirmed_backers(project) == []
        fair.confirm_pledge(theirs, ngo.user)
        assert fair.confirmed_backers(project) == [theirs]


# ---------------------------------------------------------------- money


class TestMoney:
    def test_pending_pledges_are_never_funding(self, forum, project, business):
        make_pledge(project, business, amount=5_000_000)
        make_pledge(project, amount=1_000_000, in_kind="Көлік", in_kind_value=1_000_000)
        project = fresh(project)
        assert project.status == ProjectStatus.approved and project.covered_kzt == 0
        assert project.pending_kzt == 6_000_000  # money only: in-kind is not money waiting
        totals = fair.totals(forum)
        assert (totals.funded, totals.supported, totals.confirmed_kzt, totals.pledges) == (0, 0, 0, 0)
        assert fair.catalogue(forum, fair.CatalogueQuery(funding="seeking"))[1] == 1

    def test_progress_rounds_down_never_showing_100_too_early(self, project, business, ngo):
        make_pledge(project, business, amount=1_999_999, confirm=True)
        project = fresh(project)
        assert project.progress_percent == 99 and project.status == ProjectStatus.supported
        assert project.needed_kzt == 1
        make_pledge(project, amount=1, confirm=True)
        project = fresh(project)
        assert project.progress_percent == 100 and project.status == ProjectStatus.funded and project.needed_kzt == 0

    def test_in_kind_counts_toward_the_budget(self, project):
        make_pledge(project, amount=None, in_kind="Оқу сыныбы, 12 ай", in_kind_value=2_000_000, confirm=True)
        project = fresh(project)
        assert (project.confirmed_kzt, project.confirmed_in_kind_kzt) == (0, 2_000_000)
        assert project.status == ProjectStatus.funded and project.progress_percent == 100

    def test_overfunding_is_recorded_as_confirmed_and_progress_stops_at_100(self, project):
        make_pledge(project, amount=1_500_000, confirm=True)
        make_pledge(project, amount=1_500_000, confirm=True)
        project = fresh(project)
        assert project.covered_kzt == 3_000_000 and project.progress_percent == 100 and project.needed_kzt == 0

    def test_amounts_near_a_trillion_add_up_exactly_in_whole_tenge(self, forum, ngo):
        big = make_project(forum, ngo, budget=10**12)
        other = make_project(forum, budget=10**12 - 1)
        make_pledge(big, amount=999_999_999_999, confirm=True)
        make_pledge(big, amount=1, confirm=True)
        make_pledge(other, amount=999_999_999_998, confirm=True)
        make_pledge(other, amount=10**12 - 3)  # pending, almost a trillion
        big, other = fresh(big), fresh(other)
        assert big.confirmed_kzt == 10**12 and big.status == ProjectStatus.funded
        assert other.progress_percent == 99 and other.needed_kzt == 1  # 0.9999999999… is not 100 %
        totals = fair.totals(forum)
        assert totals.confirmed_kzt == 1_999_999_999_998 and type(totals.confirmed_kzt) is int
        assert totals.budget_kzt == 1_999_999_999_999 and totals.pending_kzt == 999_999_999_997
        region = next(r for r in fair.totals_by_region(forum) if r["region"].code == "KZ-23")
        assert region["confirmed_kzt"] == 1_999_999_999_998 and type(region["confirmed_kzt"]) is int

    def test_totals_by_project_business_and_region_equal_the_direct_sums(self, forum):
        """Forty pledges in every state over six projects in three regions: every total is the plain sum."""
        rng = random.Random(5)
        projects = [make_project(forum, budget=rng.choice([800_000, 2_000_000, 5_000_000]),
                                 region_code=code, category=category)
                    for code, category in (("KZ-23", "youth"), ("KZ-23", "inclusion"), ("KZ-75", "ecology"),
                                           ("KZ-75", "health"), ("KZ-71", "culture"), ("KZ-71", "youth"))]
        make_project(forum, budget=7_000_000, status="submitted")  # not public: in no sum
        businesses = [make_fair_delegate(forum, sector="business") for _ in range(5)]
        for n in range(40):
            project, business = rng.choice(projects), businesses[n % 5]
            if db.session.scalar(sa.select(Pledge.id).where(Pledge.delegate_id == business.id,
                                                            Pledge.project_id == project.id,
                                                            Pledge.status == PledgeStatus.pending)):
                continue
            in_kind = rng.random() < 0.3
            pledge = fair.make_pledge(project, business.user, PledgeInput(
                amount_kzt=rng.randrange(1, 900_000) if not in_kind or rng.random() < 0.5 else None,
                in_kind="Жабдық" if in_kind else None,
                in_kind_value_kzt=rng.randrange(1, 400_000) if in_kind else None))
            fate = rng.choice(["confirm", "confirm", "decline", "withdraw", "pending"])
            if fate == "confirm":
                fair.confirm_pledge(pledge, project.delegate.user)
            elif fate == "decline":
                fair.decline_pledge(pledge, project.delegate.user)
            elif fate == "withdraw":
                fair.withdraw_pledge(pledge, business.user)

        db.session.expire_all()
        pledges = list(db.session.scalars(sa.select(Pledge)))
        assert {p.status for p in pledges} == set(PledgeStatus)  # every state really occurs
        confirmed = [p for p in pledges if p.status == PledgeStatus.confirmed]
        pending = [p for p in pledges if p.status == PledgeStatus.pending]
        for project in projects:
            project = db.session.get(FairProject, project.id)
            assert project.confirmed_kzt == sum(p.amount_kzt or 0 for p in confirmed if p.project_id == project.id)
            assert project.confirmed_in_kind_kzt == sum(p.in_kind_value_kzt or 0 for p in confirmed
                                                        if p.project_id == project.id)
            assert project.pending_kzt == sum(p.amount_kzt or 0 for p in pending if p.project_id == project.id)
            assert project.backers_count == len({p.organization_id for p in confirmed if p.project_id == project.id})
            expected = (ProjectStatus.funded if project.covered_kzt >= project.budget_kzt else
                        ProjectStatus.supported if project.backers_count else ProjectStatus.approved)
            assert project.status == expected

        totals = fair.totals(forum)
        public = [db.session.get(FairProject, p.id) for p in projects]
        assert totals.projects == 6 and totals.budget_kzt == sum(p.budget_kzt for p in public)
        assert totals.confirmed_kzt == sum(p.amount_kzt or 0 for p in confirmed)
        assert totals.confirmed_in_kind_kzt == sum(p.in_kind_value_kzt or 0 for p in confirmed)
        assert totals.pending_kzt == sum(p.amount_kzt or 0 for p in pending)
        assert totals.pledges == len(confirmed) and totals.backers == len({p.organization_id for p in confirmed})
        assert totals.funded == sum(p.covered_kzt >= p.budget_kzt for p in public)
        assert totals.by_status["submitted"] == 1

        for row in fair.totals_by_business(forum):
            org_id = row["organization"].id
            assert row["confirmed_kzt"] == sum(p.amount_kzt or 0 for p in confirmed if p.organization_id == org_id)
            assert row["in_kind_kzt"] == sum(p.in_kind_value_kzt or 0 for p in confirmed if p.organization_id == org_id)
            assert row["pending_kzt"] == sum(p.amount_kzt or 0 for p in pending if p.organization_id == org_id)
        ranked = [r["confirmed_kzt"] + r["in_kind_kzt"] for r in fair.totals_by_business(forum)]
        assert ranked == sorted(ranked, reverse=True)

        regions = {r["region"].code: r for r in fair.totals_by_region(forum)}
        assert len(regions) == 20
        for code in ("KZ-23", "KZ-75", "KZ-71"):
            mine = [p for p in public if p.region.code == code]
            assert regions[code]["projects"] == 2
            assert regions[code]["budget_kzt"] == sum(p.budget_kzt for p in mine)
            assert regions[code]["confirmed_kzt"] == sum(p.confirmed_kzt for p in mine)
            assert regions[code]["in_kind_kzt"] == sum(p.confirmed_in_kind_kzt for p in mine)
        assert sum(r["confirmed_kzt"] for r in regions.values()) == totals.confirmed_kzt
        assert regions["KZ-10"]["projects"] == 0

    def test_recount_repairs_totals_from_the_pledges(self, project):
        make_pledge(project, amount=700_000, confirm=True)
        project = fresh(project)
        project.confirmed_kzt = 123  # drift, as after a bulk import
        fair.recount(project)
        db.session.commit()
        assert fresh(project).confirmed_kzt == 700_000


def test_two_ngo_staff_confirming_at_once_keep_the_totals_exact(app, forum, ngo, count):
    """On PostgreSQL, real parallel transactions: ten confirms of different pledges, one project, exact sums."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL's row locks (runs in CI's PostgreSQL pass)")
    project = make_project(forum, ngo, budget=10_000_000)
    pledge_ids = [make_pledge(project, amount=1_000_000 + n).id for n in range(10)]
    user_id, barrier, errors = ngo.user_id, threading.Barrier(10), []

    def confirm(pledge_id):
        barrier.wait()
        with app.app_context():
            try:
                from app.models import User

                fair.confirm_pledge(db.session.get(Pledge, pledge_id), db.session.get(User, user_id))
            except Exception as exc:  # noqa: BLE001 - collected and asserted below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=confirm, args=(pledge_id,)) for pledge_id in pledge_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    project = fresh(project)
    assert project.confirmed_kzt == sum(1_000_000 + n for n in range(10)) and project.pending_kzt == 0
    assert project.backers_count == 10 and project.status == ProjectStatus.funded
    assert count(AuditEvent, AuditEvent.action == "project.funded", AuditEvent.subject_id == project.id) == 1
