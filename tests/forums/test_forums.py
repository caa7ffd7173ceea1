"""Organizers set up a forum and its halls; the public sees it once published."""
from datetime import date, datetime, timezone

import pytest

from app.forums import services
from app.models import Forum, ForumRole, ForumStatus, GlobalRole, Hall
from tests.factories import make_forum, make_organizer, make_user, region

FORUM_FORM = {
    "title_kk": "Азаматтық форум — Шымкент", "title_ru": "Гражданский форум — Шымкент", "title_en": "",
    "slug": "civic-shymkent", "city": "Шымкент", "venue": "Дворец молодёжи", "region_id": "",
    "starts_on": "2030-03-10", "ends_on": "2030-03-11", "timezone": "Asia/Almaty",
    "registration_opens_at": "2030-02-01T09:00", "registration_closes_at": "2030-03-09T18:00",
    "description_kk": "", "description_ru": "Трёхстороннее сотрудничество", "description_en": "",
}


def test_organizer_creates_a_forum_and_runs_it(client, login, db):
    organizer = login(make_organizer())
    form = dict(FORUM_FORM, region_id=str(region("KZ-79").id))
    response = client.post("/forums/new", data=form)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/forums/civic-shymkent/edit")
    forum = db.session.scalar(db.select(Forum).where(Forum.slug == "civic-shymkent"))
    assert forum.title_kk == "Азаматтық форум — Шымкент"
    assert forum.status == ForumStatus.draft
    assert forum.region.code == "KZ-79"
    assert organizer.has_forum_role(forum, ForumRole.organizer)
    # 09:00 in Kazakhstan (UTC+5) is 04:00 UTC.
    assert forum.registration_opens_at == datetime(2030, 2, 1, 4, 0, tzinfo=timezone.utc)
    # The edit form shows the forum's wall-clock time again.
    assert 'value="2030-02-01T09:00"' in client.get("/forums/civic-shymkent/edit").get_data(as_text=True)


@pytest.mark.parametrize("changes, field, message", [
    ({"title_kk": "", "title_ru": ""}, "title_ru", "Kazakh or Russian"),
    ({"slug": "Has Spaces"}, "slug", "lowercase Latin letters"),
    ({"slug": "ab"}, "slug", "lowercase Latin letters"),
    ({"ends_on": "2030-03-09"}, "ends_on", "cannot be before the first day"),
    ({"starts_on": "not-a-date"}, "starts_on", "Not a valid date value"),
    ({"registration_closes_at": "2030-01-01T10:00"}, "registration_closes_at", "close after it opens"),
    ({"registration_closes_at": "2030-03-12T10:00"}, "registration_closes_at", "after the forum has ended"),
    ({"region_id": "99999"}, "region_id", "Choose a region"),
    ({"region_id": "abc"}, "region_id", ""),
    ({"city": ""}, "city", "This field is required"),
    ({"timezone": "Mars/Olympus"}, "timezone", ""),
])
def test_bad_forum_input_is_explained_and_nothing_is_saved(client, login, count, changes, field, message):
    login(make_organizer())
    response = client.post("/forums/new", data=dict(FORUM_FORM, **changes))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-error"' in html
    assert message in html
    assert count(Forum) == 0


def test_a_slug_is_unique(client, login, count):
    login(make_organizer())
    make_forum(slug="civic-shymkent")
    response = client.post("/forums/new", data=FORUM_FORM)
    assert response.status_code == 422
    assert "already uses this address" in response.get_data(as_text=True)
    assert count(Forum) == 1


def test_organizer_edits_a_forum(client, login, db):
    organizer = make_organizer()
    forum = make_forum(organizer=organizer, slug="old-address")
    login(organizer)
    response = client.post("/forums/old-address/edit", data=dict(FORUM_FORM, slug="new-address"))
    assert response.status_code == 302
    db.session.refresh(forum)
    assert forum.slug == "new-address" and forum.city == "Шымкент"


def test_halls_are_added_edited_and_removed(client, login, db, count):
    organizer = make_organizer()
    forum = make_forum(organizer=organizer, halls=0, slug="halls-forum")
    login(organizer)
    added = client.post("/forums/halls-forum/halls", data={"name": "Зал «Жайық»", "capacity": "120", "floor": "2",
                                                           "stream_url": "https://stream.example.kz/live"})
    assert added.status_code == 302
    hall = db.session.scalar(db.select(Hall).where(Hall.forum_id == forum.id))
    assert (hall.name, hall.capacity, hall.floor) == ("Зал «Жайық»", 120, "2")

    duplicate = client.post("/forums/halls-forum/halls", data={"name": "зал «жайық»"})
    assert duplicate.status_code == 422 and "already has a hall" in duplicate.get_data(as_text=True)

    bad = client.post("/forums/halls-forum/halls", data={"name": "Зал", "capacity": "-3",
                                                         "stream_url": "javascript:alert(1)"})
    assert bad.status_code == 422
    assert count(Hall) == 1

    edited = client.post(f"/forums/halls-forum/halls/{hall.id}", data={"name": "Зал «Каспий»", "capacity": "80", "floor": "", "stream_url": ""})
    assert edited.status_code == 302
    db.session.refresh(hall)
    assert hall.name == "Зал «Каспий»" and hall.capacity == 80 and hall.stream_url is None

    assert client.post(f"/forums/halls-forum/halls/{hall.id}/delete").status_code == 302
    assert count(Hall) == 0


def test_a_hall_of_another_forum_is_not_reachable(client, login):
    organizer = make_organizer()
    make_forum(organizer=organizer, slug="mine")
    other = make_forum(slug="theirs")
    login(organizer)
    foreign_hall = other.halls[0]
    assert client.get(f"/forums/mine/halls/{foreign_hall.id}").status_code == 404
    assert client.post(f"/forums/mine/halls/{foreign_hall.id}/delete").status_code == 404


def test_publishing_needs_a_hall(client, login, db):
    organizer = make_organizer()
    forum = make_forum(organizer=organizer, status=ForumStatus.draft, halls=0, slug="empty")
    login(organizer)
    response = client.post("/forums/empty/status", data={"status": "published"}, follow_redirects=True)
    assert "Add at least one hall" in response.get_data(as_text=True)
    db.session.refresh(forum)
    assert forum.status == ForumStatus.draft


def test_publish_then_close(client, login, db):
    organizer = make_organizer()
    forum = make_forum(organizer=organizer, status=ForumStatus.draft, slug="to-publish")
    login(organizer)
    client.post("/forums/to-publish/status", data={"status": "published"})
    db.session.refresh(forum)
    assert forum.status == ForumStatus.published
    client.post("/forums/to-publish/status", data={"status": "closed"})
    db.session.refresh(forum)
    assert forum.status == ForumStatus.closed
    assert client.post("/forums/to-publish/status", data={"status": "bogus"}).status_code == 400


def test_public_page_and_home_list_only_published_forums(client):
    make_forum(slug="visible", title_en="Visible forum", status=ForumStatus.published)
    make_forum(slug="hidden", title_en="Hidden forum", status=ForumStatus.draft)
    home = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Visible forum" in home and "Hidden forum" not in home
    assert client.get("/forums/visible").status_code == 200
    assert client.get("/forums/hidden").status_code == 404
    assert client.get("/forums/no-such-forum").status_code == 404


def test_organizer_sees_their_draft(client, login):
    organizer = make_organizer()
    make_forum(slug="draft", status=ForumStatus.draft, organizer=organizer)
    login(organizer)
    assert client.get("/forums/draft").status_code == 200


def test_registration_window(app):
    forum = make_forum(registration_opens_at=datetime(2030, 1, 1, tzinfo=timezone.utc),
                       registration_closes_at=datetime(2030, 2, 1, tzinfo=timezone.utc))
    assert not forum.registration_open(datetime(2029, 12, 31, tzinfo=timezone.utc))
    assert forum.registration_open(datetime(2030, 1, 15, tzinfo=timezone.utc))
    assert not forum.registration_open(datetime(2030, 2, 1, tzinfo=timezone.utc))
    forum.status = ForumStatus.draft
    assert not forum.registration_open(datetime(2030, 1, 15, tzinfo=timezone.utc))


def test_only_organizers_create_forums_through_the_service(app):
    delegate = make_user(role=GlobalRole.delegate)
    with pytest.raises(services.ForumError):
        services.create_forum(delegate, dict(FORUM_FORM, starts_on=date(2030, 3, 10), ends_on=date(2030, 3, 11)))
