"""The organizer's dashboard page and its live figures (issue 7).

Айгүл runs a forum: a few delegates from three sectors (two already in the hall), a master class that is
full with a waitlist, a fair project with a confirmed pledge, a memorandum in draft. Her dashboard shows
exactly what `forum_stats` counts; `stats.json` hands the same figures to the page's script with their
labels; nobody but the forum's organizers (and admins) sees either.
"""
import html
import re

import pytest

from app.auth.services import grant_forum_role
from app.checkin.services import check_in_delegate
from app.dashboard.display import count_text
from app.dashboard.services import forum_stats
from app.i18n import format_kzt
from app.models import ForumRole, GlobalRole
from tests.factories import (make_delegate, make_forum, make_memorandum, make_organizer, make_pledge, make_project,
                             make_session, make_user)

DASHBOARD = "/forums/asar/dashboard"
STATS = "/forums/asar/dashboard/stats.json"


@pytest.fixture
def forum(app):
    return make_forum(slug="asar")


@pytest.fixture
def organizer(forum):
    return make_organizer(forum, full_name="Айгүл Ұйымдастырушы")


@pytest.fixture
def busy_forum(forum, organizer):
    """Delegates of three sectors, two checked in; a full master class with a waitlist; the fair; a memorandum."""
    staff = make_user("door@example.kz", full_name="Дәурен")
    grant_forum_role(staff, forum, ForumRole.checkin)
    delegates = [make_delegate(forum, sector=sector, full_name=f"Делегат {n}")
                 for n, sector in enumerate(["ngo", "ngo", "ngo", "business", "state"])]
    make_delegate(forum, sector="business", confirmed=False)
    check_in_delegate(delegates[0], staff)
    check_in_delegate(delegates[3], staff, method="manual")

    from app.schedule import services as schedule
    master_class = make_session(forum, kind="master_class", capacity=1, start=(14, 0), title="Әлеуметтік кәсіпкерлік")
    make_session(forum, kind="plenary", start=(10, 0), title="Пленарлық отырыс")
    schedule.enroll(master_class, delegates[1])
    schedule.enroll(master_class, delegates[2])

    project = make_project(forum, status="approved", budget=2_000_000)
    make_pledge(project, amount=600_000, confirm=True)
    make_memorandum(forum, organizer)
    return forum


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def shown(text: str, element_id: str) -> str:
    """The text of the element with this id (counters are plain text inside their element)."""
    match = re.search(rf'id="{re.escape(element_id)}"[^>]*>([^<]*)<', text)
    assert match, f"#{element_id} is not on the page"
    return html.unescape(match.group(1)).strip()


def row_keys(text: str, table_id: str) -> list[str]:
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', text, re.S)
    assert table, f"#{table_id} is not on the page"
    body = re.search(r"<tbody>(.*?)</tbody>", table.group(0), re.S).group(1)
    return re.findall(r'<tr data-key="([^"]+)"', body)


# --- the page ----------------------------------------------------------------------------------------------

def test_organizer_sees_the_forums_figures(client, busy_forum, organizer, login):
    login(organizer)
    text = page(client.get(DASHBOARD))
    stats = forum_stats(busy_forum)
    delegates = stats["delegates"]

    # Five delegates, one awaiting approval, the fair's NGO and business: eight registered, two in the hall.
    assert delegates["registered"] == 8 and delegates["pending"] == 1 and delegates["checked_in"] == 2
    assert shown(text, "stat-registered") == count_text(delegates["registered"])
    assert shown(text, "stat-confirmed") == count_text(delegates["confirmed"])
    assert shown(text, "stat-checked-in") == "2"
    assert shown(text, "stat-ngos") == count_text(delegates["organizations"]["by_sector"].get("ngo", 0))
    assert shown(text, "stat-businesses") == count_text(delegates["organizations"]["by_sector"].get("business", 0))
    assert shown(text, "stat-state-bodies") == count_text(delegates["organizations"]["by_sector"].get("state", 0))
    assert shown(text, "stat-sessions") == "2" == count_text(stats["sessions"]["published"])
    assert shown(text, "stat-projects") == count_text(stats["fair"]["public"]) == "1"
    assert shown(text, "stat-confirmed-kzt") == format_kzt(stats["fair"]["confirmed_kzt"]) == "600\u00a0000\u00a0₸"
    assert shown(text, "stat-memoranda-signed") == count_text(stats["memoranda"]["signed_total"])
    assert shown(text, "stat-waitlisted") == "1"
    assert shown(text, "stat-checkins-manual") == "1"

    # Every chart has its numbers beside it in a table, and is an image with a name for screen readers.
    assert row_keys(text, "table-by-sector") == [row["sector"] for row in delegates["by_sector"]]
    for chart in ("by-sector", "by-region", "by-format", "per-15-minutes", "fair-status", "fair-money",
                  "memoranda-status", "memoranda-level"):
        assert re.search(rf'<canvas id="chart-{chart}" role="img"\s+aria-label="[^"]+"', text), chart
        assert f'id="table-{chart}"' in text
    # Sessions by start time: the plenary at 10:00 before the master class at 14:00, which is full.
    assert row_keys(text, "table-sessions") == [str(item["id"]) for item in stats["sessions"]["items"]]
    assert [item["kind"] for item in stats["sessions"]["items"]] == ["plenary", "master_class"]
    assert '<meter min="0" max="100" low="70" high="95" optimum="50" value="100"' in text
    assert "Әлеуметтік кәсіпкерлік" in text


def test_the_page_is_live_without_inline_script(client, busy_forum, organizer, login):
    login(organizer)
    text = page(client.get(DASHBOARD))
    dashboard = re.search(r'<div class="dashboard" id="dashboard"[^>]*>', text).group(0)
    assert 'data-stats-url="/forums/asar/dashboard/stats.json"' in dashboard
    assert 'data-refresh-seconds="10"' in dashboard
    assert re.search(r'id="dashboard-updated" aria-live="polite"', text)
    # Chart.js and the page's script come from static/, never a CDN, and no script is written into the page.
    scripts = re.findall(r"<script\b[^>]*>", text)
    assert scripts == ['<script src="/static/vendor/chartjs/chart.umd.min.js" defer>',
                       '<script src="/static/js/dashboard.js" defer>']
    assert "://" not in " ".join(re.findall(r'(?:src|href)="([^"]+)"', text)).replace(
        "http://www.w3.org", "")  # every asset and link is on this site
    for asset in ("/static/vendor/chartjs/chart.umd.min.js", "/static/js/dashboard.js", "/static/css/dashboard.css"):
        assert client.get(asset).status_code == 200, asset


@pytest.mark.parametrize("asked, used", [("1", "1"), ("30", "30"), ("0", "1"), ("99999", "3600"), ("x", "10"),
                                         ("²", "10"), ("-5", "10")])
def test_a_wall_screen_may_poll_at_its_own_pace(client, forum, organizer, login, asked, used):
    login(organizer)
    text = page(client.get(f"{DASHBOARD}?refresh={asked}"))
    assert f'data-refresh-seconds="{used}"' in text


class TestRefreshSetting:
    @pytest.fixture
    def config(self):
        return {"DASHBOARD_REFRESH_SECONDS": 30}

    def test_the_default_interval_is_configurable(self, client, forum, organizer, login):
        login(organizer)
        assert 'data-refresh-seconds="30"' in page(client.get(DASHBOARD))


def test_an_empty_forum_shows_zeros_and_says_so(client, forum, organizer, login):
    login(organizer)
    text = page(client.get(DASHBOARD))
    assert shown(text, "stat-registered") == "0"
    assert shown(text, "stat-checked-in") == "0"
    assert shown(text, "stat-confirmed-kzt") == format_kzt(0)
    for figure in ("by-sector", "per-15-minutes", "sessions", "fair-status", "top-backers", "memoranda-level"):
        assert re.search(rf'id="figure-{figure}"\s+aria-labelledby="title-{figure}" data-empty>', text), figure


# --- the live figures --------------------------------------------------------------------------------------

def test_stats_json_is_forum_stats_with_the_labels_the_page_needs(client, busy_forum, organizer, login):
    login(organizer)
    response = client.get(STATS)
    assert response.status_code == 200 and response.is_json
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    labels = body.pop("labels")
    expected = forum_stats(busy_forum)
    assert body.pop("generated_at") and expected.pop("generated_at")
    assert body == expected

    counters = {counter["id"]: counter for counter in labels["counters"]}
    assert counters["checked-in"]["value"] == 2 and counters["checked-in"]["text"] == "2"
    assert counters["confirmed-kzt"]["text"] == "600\u00a0000\u00a0₸"
    assert re.fullmatch(r"\d\d:\d\d:\d\d", labels["updated_at"])
    assert labels["names"]["sectors"]["ngo"] == "NGO"
    sectors = labels["tables"]["by-sector"]
    assert [row["key"] for row in sectors["rows"]] == [row["sector"] for row in expected["delegates"]["by_sector"]]
    ngo = sectors["rows"][0]["cells"]
    assert [cell["text"] for cell in ngo] == ["NGO", "1", "4", "4", "1"]  # the fair's NGO has an organization
    assert labels["charts"]["by-sector"]["datasets"][2]["data"][0] == 1
    assert labels["tables"]["sessions"]["rows"][1]["cells"][3] == {"text": "100%", "meter": 100}


def test_stats_json_follows_the_page_after_a_check_in(client, busy_forum, organizer, login):
    login(organizer)
    before = client.get(STATS).get_json()["delegates"]["checked_in"]
    staff = make_user("door2@example.kz", role=GlobalRole.checkin)
    newcomer = make_delegate(busy_forum, sector="state")
    check_in_delegate(newcomer, staff)
    after = client.get(STATS).get_json()
    assert after["delegates"]["checked_in"] == before + 1
    assert {c["id"]: c["text"] for c in after["labels"]["counters"]}["checked-in"] == str(before + 1)


# --- who may look ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", [DASHBOARD, STATS])
def test_strangers_are_asked_to_log_in(client, forum, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("path", [DASHBOARD, STATS])
@pytest.mark.parametrize("who", ["delegate", "door staff", "organizer of another forum", "global organizer"])
def test_only_this_forums_organizers_may_look(client, forum, login, path, who):
    if who == "delegate":
        user = make_user("delegate@example.kz")
        make_delegate(forum, email="delegate@example.kz")
    elif who == "door staff":
        user = make_user("door@example.kz")
        grant_forum_role(user, forum, ForumRole.checkin)
    elif who == "organizer of another forum":
        user = make_organizer(make_forum(slug="other"))
    else:
        user = make_user("planner@example.kz", role=GlobalRole.organizer)
    login(user)
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", [DASHBOARD, STATS])
def test_admins_may_look(client, forum, login, path):
    login(make_user("admin@example.kz", role=GlobalRole.admin))
    assert client.get(path).status_code == 200


def test_an_unknown_forum_is_404(client, organizer, login):
    login(organizer)
    assert client.get("/forums/nowhere/dashboard").status_code == 404
    assert client.get("/forums/nowhere/dashboard/stats.json").status_code == 404


# --- languages and links -----------------------------------------------------------------------------------

def test_kazakh_labels(client, busy_forum, organizer, login):
    login(organizer)
    client.post("/language", data={"lang": "kk"})
    text = page(client.get(DASHBOARD))
    assert '<html lang="kk">' in text
    assert ">ҮЕҰ<" in text  # the sector, in the table beside its chart
    assert "Басқару тақтасы" in text  # "Dashboard"
    assert shown(text, "stat-checked-in") == "2"
    labels = client.get(STATS).get_json()["labels"]
    assert labels["names"]["sectors"]["ngo"] == "ҮЕҰ"
    assert {c["id"]: c["label"] for c in labels["counters"]}["checked-in"] == "Келді"
    assert labels["tables"]["by-sector"]["rows"][0]["cells"][0]["text"] == "ҮЕҰ"


def test_russian_labels(client, busy_forum, organizer, login):
    login(organizer)
    client.post("/language", data={"lang": "ru"})
    text = page(client.get(DASHBOARD))
    assert ">НПО<" in text
    assert "Панель организатора" in text


def test_organizers_find_the_dashboard_from_the_forum(client, forum, organizer, login):
    link = f'href="{DASHBOARD}"'
    assert link not in client.get("/forums/asar").get_data(as_text=True)
    login(organizer)
    assert link in page(client.get("/forums/asar"))
    assert link in page(client.get("/forums/asar/edit"))


def test_the_dashboard_links_the_results_pages_that_exist(app, client, forum, organizer, login):
    login(organizer)
    text = page(client.get(DASHBOARD))
    for name in ("report", "exports", "audit"):
        link = f'href="/forums/asar/{name}"'
        assert (link in text) == (f"dashboard.{name}" in app.view_functions), name
