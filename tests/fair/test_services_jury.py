"""The jury: named by organizers, blind until they score, never judging their own, ranked by averages."""
import pytest
import sqlalchemy as sa

from app.extensions import db
from app.fair import services as fair
from app.fair.services import FairError
from app.models import AuditEvent, FairProject, JuryCriterion, Juror, JuryScore
from tests.factories import (make_fair_delegate, make_forum, make_organization, make_organizer, make_project,
                             make_user)


@pytest.fixture
def forum(app):
    return make_forum(slug="asar")


@pytest.fixture
def organizer(forum):
    return make_organizer(forum)


@pytest.fixture
def criteria(forum):
    return fair.criteria(forum)


def juror(forum, organizer, **user_kwargs) -> Juror:
    return fair.name_juror(forum, organizer, make_user(**user_kwargs).email)


def all_scores(criteria, value) -> dict:
    return {c.id: value for c in criteria}


def refused(code, status, call, *args, **kwargs) -> FairError:
    with pytest.raises(FairError) as caught:
        call(*args, **kwargs)
    assert (caught.value.code, caught.value.status) == (code, status), caught.value.message
    return caught.value


# ---------------------------------------------------------------- naming the jury


class TestNaming:
    def test_a_forum_gets_the_four_usual_criteria_once(self, forum, count):
        first = fair.criteria(forum)
        assert [c.name_en for c in first] == ["Social impact", "Feasibility", "Sustainability", "Budget realism"]
        assert first[0].name_kk == "Әлеуметтік әсері"
        assert fair.criteria(forum) == first and count(JuryCriterion) == 4

    def test_organizers_name_jurors_by_their_accounts_email(self, forum, organizer):
        user = make_user("Professor@Example.kz", full_name="Меруерт Шәкен")
        named = fair.name_juror(forum, organizer, " professor@example.kz ")
        assert named.user_id == user.id and fair.juror_for(user, forum) == named
        assert fair.jurors(forum) == [named]
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "jury.juror_named"))
        assert event.actor_id == organizer.id

    def test_a_juror_who_is_a_delegate_brings_their_organization(self, forum, organizer):
        delegate = make_fair_delegate(forum, sector="academia")
        named = fair.name_juror(forum, organizer, delegate.email)
        assert named.organization_id == delegate.organization_id

    def test_only_organizers_name_once_and_only_known_accounts(self, forum, organizer, count):
        user = make_user()
        refused("forbidden", 403, fair.name_juror, forum, make_user(), user.email)
        refused("forbidden", 403, fair.name_juror, forum, make_organizer(make_forum()), user.email)
        refused("unknown_user", 404, fair.name_juror, forum, organizer, "nobody@example.kz")
        fair.name_juror(forum, organizer, user.email)
        refused("already_juror", 409, fair.name_juror, forum, organizer, user.email)
        assert count(Juror) == 1

    def test_a_juror_who_scored_stays(self, forum, organizer, criteria):
        member = juror(forum, organizer)
        fair.submit_scores(member, make_project(forum), all_scores(criteria, 7))
        refused("has_scores", 409, fair.remove_juror, member, organizer)
        idle = juror(forum, organizer)
        refused("forbidden", 403, fair.remove_juror, idle, make_user())
        fair.remove_juror(idle, organizer)
        assert fair.jurors(forum) == [member]


# ---------------------------------------------------------------- conflicts of interest


class TestConflicts:
    def test_not_a_project_of_the_organization_named_with_the_juror(self, forum, organizer, criteria, count):
        ngo = make_fair_delegate(forum, sector="ngo")
        project = make_project(forum, ngo)
        member = juror(forum, organizer)
        member.organization_id = ngo.organization_id  # named "from" that NGO
        db.session.commit()
        assert fair.has_conflict(member, project)
        refused("conflict_of_interest", 403, fair.submit_scores, member, project, all_scores(criteria, 10))
        assert count(JuryScore) == 0

    def test_not_a_project_of_the_organization_they_registered_with(self, forum, organizer, criteria, count):
        """Named before registering (so no organization on the juror), then registered for the NGO: still barred."""
        foundation = make_organization("«Мейірім» қоғамдық қоры")
        project = make_project(forum, make_fair_delegate(forum, sector="ngo", organization=foundation))
        user = make_user()
        member = fair.name_juror(forum, organizer, user.email)
        assert member.organization_id is None
        registration = make_fair_delegate(forum, sector="ngo", organization=foundation)
        registration.user_id = user.id
        db.session.commit()
        assert fair.has_conflict(member, project)
        refused("conflict_of_interest", 403, fair.submit_scores, member, project, all_scores(criteria, 9))
        assert count(JuryScore) == 0

    def test_not_a_project_they_submitted_themselves(self, forum, organizer):
        ngo = make_fair_delegate(forum, sector="ngo")
        project = make_project(forum, ngo)
        project.organization_id = None  # even without an organization on the project
        db.session.commit()
        member = fair.name_juror(forum, organizer, ngo.email)
        assert fair.has_conflict(member, project)

    def test_other_projects_are_fine(self, forum, organizer, criteria):
        own = make_fair_delegate(forum, sector="academia")
        member = fair.name_juror(forum, organizer, own.email)
        project = make_project(forum)
        assert not fair.has_conflict(member, project)
        assert len(fair.submit_scores(member, project, all_scores(criteria, 6))) == 4


# ---------------------------------------------------------------- scoring


class TestScoring:
    def test_scores_are_hidden_until_one_scores(self, forum, organizer, criteria):
        project = make_project(forum)
        first, second = juror(forum, organizer), juror(forum, organizer)
        fair.submit_scores(first, project, all_scores(criteria, 8))
        assert not fair.scores_visible(second.user, project)
        assert fair.scores_visible(first.user, project)
        fair.submit_scores(second, project, all_scores(criteria, 4))
        assert fair.scores_visible(second.user, project)
        # Organizers always see them; the NGO, businesses, strangers and the anonymous never do.
        assert fair.scores_visible(organizer, project)
        for user in (project.delegate.user, make_fair_delegate(forum, sector="business").user, make_user(), None):
            assert not fair.scores_visible(user, project)
        # Having scored one project shows nothing of another.
        assert not fair.scores_visible(first.user, make_project(forum))

    @pytest.mark.parametrize("bad", [0, 11, -1, 5.5, "abc", "", None, True, "7.0"])
    def test_each_criterion_takes_a_whole_score_from_1_to_10(self, forum, organizer, criteria, count, bad):
        member = juror(forum, organizer)
        scores = all_scores(criteria, 7)
        scores[criteria[2].id] = bad
        error = refused("invalid", 422, fair.submit_scores, member, make_project(forum), scores)
        assert error.field == f"criterion_{criteria[2].id}"
        assert count(JuryScore) == 0

    def test_a_missing_criterion_is_refused(self, forum, organizer, criteria, count):
        scores = all_scores(criteria, 7)
        del scores[criteria[-1].id]
        refused("invalid", 422, fair.submit_scores, juror(forum, organizer), make_project(forum), scores)
        assert count(JuryScore) == 0

    def test_form_values_and_the_edges_are_accepted(self, forum, organizer, criteria):
        scores = {str(c.id): value for c, value in zip(criteria, ["1", "10", 1, 10])}
        rows = fair.submit_scores(juror(forum, organizer), make_project(forum), scores, "Жақсы жоба")
        assert sorted(r.score for r in rows) == [1, 1, 10, 10] and {r.comment for r in rows} == {"Жақсы жоба"}

    def test_scores_are_final(self, forum, organizer, criteria, count):
        member, project = juror(forum, organizer), make_project(forum)
        fair.submit_scores(member, project, all_scores(criteria, 5))
        refused("already_scored", 409, fair.submit_scores, member, project, all_scores(criteria, 10))
        assert count(JuryScore) == 4 and {s.score for s in db.session.scalars(sa.select(JuryScore))} == {5}

    @pytest.mark.parametrize("status", ["submitted", "returned", "rejected"])
    def test_only_public_projects_of_the_jurors_forum(self, forum, organizer, criteria, status):
        member = juror(forum, organizer)
        refused("not_scorable", 409, fair.submit_scores, member, make_project(forum, status=status),
                all_scores(criteria, 5))
        refused("not_scorable", 409, fair.submit_scores, member, make_project(make_forum()),
                all_scores(criteria, 5))


# ---------------------------------------------------------------- ranking and winners


def test_ranking_by_average_with_unscored_projects_last(forum, organizer, criteria):
    strong, middle, unscored, weak = (make_project(forum, title=t) for t in ("Күшті", "Орташа", "Бағаланбаған",
                                                                              "Әлсіз"))
    make_project(forum, status="submitted")  # not in the ranking
    first, second = juror(forum, organizer), juror(forum, organizer)
    fair.submit_scores(first, strong, {c.id: s for c, s in zip(criteria, [10, 9, 8, 9])})
    fair.submit_scores(second, strong, {c.id: s for c, s in zip(criteria, [9, 9, 9, 8])})
    fair.submit_scores(first, middle, all_scores(criteria, 6))
    fair.submit_scores(second, middle, {c.id: s for c, s in zip(criteria, [7, 7, 6, 6])})
    fair.submit_scores(first, weak, all_scores(criteria, 3))

    rows = fair.ranking(forum)
    assert [r.project.id for r in rows] == [strong.id, middle.id, weak.id, unscored.id]
    assert [r.average for r in rows] == [8.88, 6.25, 3.0, None]  # 71/8 = 8.875, rounded to two places
    assert [r.jurors for r in rows] == [2, 2, 1, 0]
    assert rows[0].by_criterion == {criteria[0].id: 9.5, criteria[1].id: 9.0, criteria[2].id: 8.5,
                                    criteria[3].id: 8.5}
    assert rows[3].by_criterion == {c.id: None for c in criteria}


def test_the_organizer_marks_exactly_the_winners(forum, organizer, count):
    projects = [make_project(forum) for _ in range(4)]
    waiting = make_project(forum, status="submitted")
    refused("forbidden", 403, fair.mark_winners, forum, projects[0].delegate.user, [projects[0].id])
    assert fair.mark_winners(forum, organizer, [projects[0].id, projects[1].id, waiting.id, 999999]) == 2
    db.session.expire_all()
    winners = set(db.session.scalars(sa.select(FairProject.id).where(FairProject.is_winner)))
    assert winners == {projects[0].id, projects[1].id}  # the unapproved one and the unknown id are ignored
    assert fair.mark_winners(forum, organizer, [projects[1].id, projects[2].id]) == 2  # one out, one in
    db.session.expire_all()
    assert set(db.session.scalars(sa.select(FairProject.id).where(FairProject.is_winner))) == {projects[1].id,
                                                                                              projects[2].id}
    assert count(AuditEvent, AuditEvent.action == "project.winner") == 3
    assert count(AuditEvent, AuditEvent.action == "project.winner_removed") == 1
    assert fair.mark_winners(forum, organizer, [projects[1].id, projects[2].id]) == 0
