"""The demo forum's ideas fair: varied, consistent to the tenge, true to the seeds, and loaded once."""
import pytest
import sqlalchemy as sa

from app.auth.services import issue_token
from app.demo import DEMO_SLUG, FAIR_LOGINS
from app.extensions import db
from app.fair import services as fair
from app.models import (AuditEvent, Delegate, FairProject, Forum, JuryScore, Juror, Organization, Pledge,
                        PledgeStatus, ProjectCategory, ProjectStatus, User)

DEAF_YOUTH = "Есту қабілеті бұзылған жастарды жұмыспен қамту"


@pytest.fixture
def forum(runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    for _role, email, password in FAIR_LOGINS:
        assert email in result.output and password in result.output
    return db.session.scalar(sa.select(Forum).where(Forum.slug == DEMO_SLUG))


def projects(forum) -> list[FairProject]:
    return list(db.session.scalars(sa.select(FairProject).where(FairProject.forum_id == forum.id)))


def test_about_forty_projects_across_every_category_many_regions_and_states(forum):
    everything = projects(forum)
    public = [p for p in everything if p.status in fair.PUBLIC_STATES]
    assert 35 <= len(everything) <= 45
    assert {p.category for p in public} == set(ProjectCategory)
    assert len({p.region_id for p in public}) >= 12
    assert {p.status for p in everything} == set(ProjectStatus)  # each step of the way is on show
    progress = {p.progress_percent for p in public}
    assert 0 in progress and 100 in progress and len(progress) >= 10  # the catalogue shows varied progress
    assert {p.status for p in db.session.scalars(sa.select(Pledge))} == set(PledgeStatus)
    booths = [p.booth for p in everything if p.booth]
    assert len(booths) >= 5 and len(set(booths)) == len(booths)
    assert all(p.booth is None or p.status != ProjectStatus.approved for p in public)  # a booth presents


def test_the_deaf_youth_project_is_funded_with_two_million_by_the_gas_service_company(forum):
    project = db.session.scalar(sa.select(FairProject).where(FairProject.title_kk == DEAF_YOUTH))
    assert project.organization.name == "Қазақ саңыраулар қоғамының Атырау филиалы"
    # Funded, then its memorandum with the company was signed (tests/memoranda/test_demo_memoranda.py).
    assert project.status == ProjectStatus.memorandum_signed and project.region.code == "KZ-23"
    assert (project.budget_kzt, project.confirmed_kzt, project.covered_kzt, project.pending_kzt) == (
        2_000_000, 2_000_000, 2_000_000, 0)
    [pledge] = fair.confirmed_backers(project)
    assert pledge.amount_kzt == 2_000_000 and "ГазСервис" in pledge.organization.name
    actions = [e.action for e in fair.history(project)]
    assert actions[:6] == [
        "project.submitted", "project.approved", "project.booth", "pledge.made", "pledge.confirmed", "project.funded"]
    assert actions[-1] == "project.memorandum_signed"
    # The NGO's demo login owns it (and has a pledge waiting for its answer on another project).
    assert project.delegate.user.email == "ngo@asar.demo"
    waiting = [p for own in fair.projects_of(project.delegate.user, forum) for p in own.pledges
               if p.status == PledgeStatus.pending]
    assert waiting


def test_every_total_is_what_the_pledges_add_up_to(forum):
    for project in projects(forum):
        stored = (project.confirmed_kzt, project.confirmed_in_kind_kzt, project.pending_kzt,
                  project.backers_count, project.status)
        fair.recount(project)
        assert (project.confirmed_kzt, project.confirmed_in_kind_kzt, project.pending_kzt,
                project.backers_count, project.status) == stored, project.title
    db.session.rollback()
    confirmed = list(db.session.scalars(sa.select(Pledge).where(Pledge.status == PledgeStatus.confirmed)))
    totals = fair.totals(forum)
    assert totals.confirmed_kzt == sum(p.amount_kzt or 0 for p in confirmed)
    assert totals.confirmed_in_kind_kzt == sum(p.in_kind_value_kzt or 0 for p in confirmed)
    assert totals.backers >= 5 and totals.supported >= 10 and totals.funded >= 3


def test_pledges_come_from_business_delegates_and_follow_the_rules(forum):
    for pledge in db.session.scalars(sa.select(Pledge)):
        assert pledge.delegate.organization.sector.value == "business" and pledge.delegate.is_confirmed
        assert pledge.organization_id != pledge.project.organization_id
        assert pledge.project.status in fair.PUBLIC_STATES
        assert (pledge.decided_at is None) == (pledge.status == PledgeStatus.pending)
    for project in projects(forum):
        assert project.delegate.organization.sector.value == "ngo" and project.delegate.is_confirmed


def test_the_jury_scored_without_conflicts_and_named_winners(forum):
    jurors = fair.jurors(forum)
    assert len(jurors) == 3 and {j.user.email for j in jurors} >= {"juror@asar.demo"}
    criteria = fair.criteria(forum)
    for juror in jurors:
        scored = set(db.session.scalars(sa.select(JuryScore.project_id).where(JuryScore.juror_id == juror.id)))
        assert scored
        for project_id in scored:
            project = db.session.get(FairProject, project_id)
            assert not fair.has_conflict(juror, project)
            assert db.session.scalar(sa.select(sa.func.count()).select_from(JuryScore).where(
                JuryScore.juror_id == juror.id, JuryScore.project_id == project_id)) == len(criteria)
    assert any(fair.has_conflict(juror, project) for juror in jurors for project in projects(forum))
    ranking = fair.ranking(forum)
    winners = [row.project.id for row in ranking if row.project.is_winner]
    assert 3 <= len(winners) <= 10 and winners == [row.project.id for row in ranking[:len(winners)]]
    assert ranking[-1].average is None  # some still wait for the jury


def test_running_the_demo_again_changes_nothing(runner, forum):
    models = (FairProject, Pledge, Juror, JuryScore, AuditEvent, User, Delegate, Organization)

    def snapshot():
        counts = {m: db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in models}
        money = db.session.execute(sa.select(sa.func.sum(FairProject.confirmed_kzt),
                                             sa.func.sum(FairProject.pending_kzt))).one()
        return counts, tuple(money)

    before = snapshot()
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0 and "nothing changed" in result.output
    assert snapshot() == before


def test_the_demo_fair_through_the_api(client, forum):
    listing = client.get(f"/api/v1/forums/{DEMO_SLUG}/fair/projects?per_page=100", headers={"Accept-Language": "kk"})
    assert listing.status_code == 200
    assert int(listing.headers["X-Total-Count"]) == len(listing.get_json()) >= 35
    assert DEAF_YOUTH in {p["title"] for p in listing.get_json()}
    business = db.session.scalar(sa.select(User).where(User.email == "business@asar.demo"))
    open_project = next(p for p in listing.get_json() if p["status"] == "approved" and p["pending_kzt"] == 0)
    pledge = client.post(f"/api/v1/fair/projects/{open_project['id']}/pledges",
                         headers={"Authorization": f"Bearer {issue_token(business)}"}, json={"amount_kzt": 250_000})
    assert pledge.status_code == 201, pledge.get_json()
