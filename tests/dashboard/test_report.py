"""The final report: a page, a PDF and a workbook in Kazakh or Russian whose every figure is `forum_stats`' —
to the tenge — and whose tables add up to those figures."""
import io

import pytest
from openpyxl import load_workbook

from app.dashboard.report import report_data
from app.dashboard.services import forum_stats

from app.pdf.report import LABELS, SUMMARY_ROWS, number
from tests.factories import make_forum, make_organizer
from tests.helpers.pdf import flat, page_texts
from tests.helpers.results import IN_KIND, KAZAKH_BUSINESS, KAZAKH_NGO, KAZAKH_PROJECT, KAZAKH_SESSION, build_world
from tests.helpers.access import assert_access, get_as

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def forum(app):
    return make_forum(slug="asar", title_kk="«ASAR» үшжақты ынтымақтастық форумы",
                      title_ru="Форум трёхстороннего сотрудничества «ASAR»")


@pytest.fixture
def organizer(forum, login):
    return login(make_organizer(forum, full_name="Айгүл Ұйымдастырушы"))


@pytest.fixture
def world(forum, organizer):
    return build_world(forum, organizer)


@pytest.fixture
def stats(world, forum):
    return forum_stats(forum)


def sheet_rows(ws) -> list[tuple]:
    return list(ws.iter_rows(values_only=True))


def workbook(client, lang):
    response = client.get(f"/forums/asar/report.xlsx?lang={lang}")
    assert response.status_code == 200
    assert response.mimetype == XLSX
    assert response.headers["Content-Disposition"] == f'attachment; filename="report-asar-{lang}.xlsx"'
    return load_workbook(io.BytesIO(response.data))


def test_the_world_has_what_the_report_shows(stats):
    """The fixture's figures, so the checks below compare real numbers, not zeros."""
    assert stats["fair"]["confirmed_kzt"] == 1_250_000 and stats["fair"]["confirmed_in_kind_kzt"] == 300_000
    assert stats["fair"]["pending_kzt"] == 700_000 and stats["fair"]["supported"] == 1
    assert stats["memoranda"]["signed_total"] == 1 and stats["memoranda"]["total"] == 2
    assert stats["delegates"]["checked_in"] == 3 and stats["sessions"]["enrolled"] == 2
    assert stats["sessions"]["waitlisted"] == 1


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_workbook_summary_is_forum_stats_to_the_tenge(client, world, stats, lang):
    wb = workbook(client, lang)
    words = LABELS[lang]
    assert wb.sheetnames == [words[key] for key in ("sheet_summary", "sheet_sectors", "sheet_regions",
                                                    "sheet_programme", "sheet_fair", "sheet_memoranda")]
    summary = {row[0]: row[1] for row in sheet_rows(wb[words["sheet_summary"]]) if row and row[0]}
    delegates, fair, memoranda = stats["delegates"], stats["fair"], stats["memoranda"]
    expected = {
        "registered": delegates["registered"], "confirmed": delegates["confirmed"], "pending": delegates["pending"],
        "checked_in": delegates["checked_in"], "organizations": delegates["organizations"]["total"],
        "ngos": delegates["organizations"]["by_sector"]["ngo"], "checkins": stats["checkins"]["total"],
        "sessions": stats["sessions"]["published"], "enrolled": stats["sessions"]["enrolled"],
        "waitlisted": stats["sessions"]["waitlisted"], "projects_total": fair["projects_total"],
        "projects_public": fair["public"], "supported": fair["supported"], "funded": fair["funded"],
        "budget_kzt": fair["budget_kzt"], "confirmed_kzt": fair["confirmed_kzt"],
        "in_kind_kzt": fair["confirmed_in_kind_kzt"], "pending_kzt": fair["pending_kzt"],
        "memoranda_signed": memoranda["signed_total"], "memoranda_regional": memoranda["by_level"]["regional"],
        "memoranda_national": memoranda["by_level"]["national"], "memoranda_parties": memoranda["parties"],
    }
    by_key = {key: words[label] for label, key, _money in SUMMARY_ROWS}
    for key, value in expected.items():
        assert summary[by_key[key]] == value, key
        assert isinstance(summary[by_key[key]], int)
    assert summary[by_key["confirmed_kzt"]] == 1_250_000 and summary[by_key["in_kind_kzt"]] == 300_000
    notes = " ".join(str(row[0]) for row in sheet_rows(wb[words["sheet_summary"]]) if row and row[0])
    assert ("1 ынтымақтастық меморандумына қол қойылды." if lang == "kk" else "Подписан 1 меморандум") in notes


def test_the_workbook_tables_add_up_to_the_figures_and_keep_kazakh_text(client, world, stats):
    wb = workbook(client, "kk")
    words = LABELS["kk"]
    sectors = sheet_rows(wb[words["sheet_sectors"]])
    body, total = sectors[1:-1], sectors[-1]
    assert total[0] == words["total"]
    assert sum(row[2] for row in body) == total[2] == stats["delegates"]["registered"]
    assert sum(row[4] for row in body) == total[4] == stats["delegates"]["checked_in"]
    assert [row[0] for row in body][:2] == ["ҮЕҰ", "Бизнес"]

    regions = sheet_rows(wb[words["sheet_regions"]])
    assert sum(row[1] for row in regions[1:-1]) == regions[-1][1] == stats["delegates"]["registered"]
    assert "Атырау облысы" in [row[0] for row in regions] and words["region_unknown"] in [row[0] for row in regions]

    programme = sheet_rows(wb[words["sheet_programme"]])
    master = next(row for row in programme if row[1] == KAZAKH_SESSION)
    assert master[4:] == (2, 2, 1, 100)
    assert programme[-1][5] == stats["sessions"]["enrolled"]

    fair = sheet_rows(wb[words["sheet_fair"]])
    body, total = fair[1:-1], fair[-1]
    assert [row[0] for row in body] == [KAZAKH_PROJECT]
    assert body[0][1] == KAZAKH_NGO and KAZAKH_BUSINESS in body[0][7]
    assert sum(row[4] for row in body) == total[4] == stats["fair"]["confirmed_kzt"]
    assert sum(row[5] for row in body) == total[5] == stats["fair"]["confirmed_in_kind_kzt"]
    assert wb[words["sheet_fair"]]["E2"].number_format == "#,##0"

    memoranda = sheet_rows(wb[words["sheet_memoranda"]])
    assert len(memoranda[1:-1]) == stats["memoranda"]["signed_total"]
    assert memoranda[1][0] == world.memorandum.number
    assert memoranda[1][1] == "Саңырау жастарды жұмыспен қамту туралы ынтымақтастық меморандумы"
    assert "Атырау облыстық саңыраулар қоғамы" in memoranda[1][4]
    assert all(cell.data_type != "f" for ws in wb for row in ws.iter_rows() for cell in row)


def test_report_data_rows_equal_the_figures(world, forum, stats, app):
    with app.test_request_context():
        data = report_data(forum, "ru", stats=stats)
    f = data.figures
    assert sum(r.registered for r in data.sectors) == f.registered
    assert sum(r.confirmed for r in data.sectors) == f.confirmed
    assert sum(r.checked_in for r in data.regions) == f.checked_in
    assert sum(r.organizations for r in data.sectors) == f.organizations
    assert sum(s.enrolled for s in data.sessions) == f.enrolled
    assert sum(p.confirmed_kzt for p in data.projects) == f.confirmed_kzt
    assert sum(p.in_kind_kzt for p in data.projects) == f.in_kind_kzt
    assert len(data.projects) == f.supported and len(data.memoranda) == f.memoranda_signed
    assert data.projects[0].title == f"{KAZAKH_PROJECT} (ru)" and data.projects[0].backers == (KAZAKH_BUSINESS,)
    assert data.sectors[0].sector == "НПО"


def test_the_pdf_in_kazakh_has_extractable_letters_and_the_headline_numbers(client, world, stats):
    response = client.get("/forums/asar/report.pdf?lang=kk")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == 'attachment; filename="report-asar-kk.pdf"'
    everything = " ".join(page_texts(response.data))
    assert set("әғқңөұүі") <= set(everything.lower())
    assert "«ASAR» үшжақты ынтымақтастық форумы" in everything and "Форумның қорытындылары" in everything
    fair = stats["fair"]
    ngos = stats["delegates"]["organizations"]["by_sector"]["ngo"]
    assert f"Форумға {ngos} ҮЕҰ өкілдері қатысты." in everything
    assert "1 ынтымақтастық меморандумына қол қойылды." in everything
    covered = flat(number(fair["confirmed_kzt"] + fair["confirmed_in_kind_kzt"]))
    assert f"1 әлеуметтік жоба бизнестің қолдауын тапты: барлығы {covered} теңге" in everything
    assert flat(number(fair["confirmed_kzt"])) in everything and flat(number(fair["budget_kzt"])) in everything
    for value in (KAZAKH_PROJECT, KAZAKH_NGO, KAZAKH_BUSINESS, KAZAKH_SESSION, "Атырау облысы", "Маңғыстау облысы"):
        assert flat(value) in everything, value


def test_the_pdf_in_russian(client, world, stats):
    everything = " ".join(page_texts(client.get("/forums/asar/report.pdf?lang=ru").data))
    assert "Форум трёхстороннего сотрудничества «ASAR»" in everything and "Итоги форума" in everything
    assert "Подписан 1 меморандум о сотрудничестве." in everything
    assert "1 проект нашёл поддержку бизнеса на сумму 1 550 000 тенге" in everything
    assert f"{KAZAKH_PROJECT} (ru)" in everything  # the project's Russian title
    assert IN_KIND not in everything  # in-kind support is counted in tenge, not described


def test_the_page_shows_the_figures_and_both_languages_downloads(client, world, stats):
    response = client.get("/forums/asar/report")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for lang in ("kk", "ru"):
        assert f"/forums/asar/report.pdf?lang={lang}" in html and f"/forums/asar/report.xlsx?lang={lang}" in html
    assert "В форуме приняли участие представители" in html and "ынтымақтастық меморандумына қол қойылды" in html
    assert "1\u00a0250\u00a0000\u00a0₸" in html
    assert "/forums/asar/exports" in html and "/forums/asar/audit" in html


def test_an_unknown_language_falls_back_instead_of_failing(client, world):
    for query in ("?lang=de", "?lang=", "?lang=KK", "?lang=kk&lang=ru", "?lang=" + "x" * 3000, ""):
        for path in ("/forums/asar/report.pdf", "/forums/asar/report.xlsx", "/forums/asar/report"):
            assert client.get(path + query).status_code == 200, path + query
    assert client.get("/forums/asar/report.pdf?lang=%00").status_code == 400  # the app's request guard
    client.post("/language", data={"lang": "kk", "next": "/"})
    assert client.get("/forums/asar/report.pdf").headers["Content-Disposition"].endswith('report-asar-kk.pdf"')


def test_an_empty_forum_has_a_report_too(client, forum, organizer):
    for path in ("/forums/asar/report", "/forums/asar/report.pdf?lang=ru", "/forums/asar/report.xlsx?lang=kk"):
        assert client.get(path).status_code == 200, path


ROUTES = ["/forums/asar/report", "/forums/asar/report.pdf?lang=kk", "/forums/asar/report.xlsx?lang=ru"]


@pytest.mark.parametrize("path", ROUTES)
@pytest.mark.parametrize("who, expected", [
    ("anonymous", "login"), ("delegate", 403), ("checkin_here", 403), ("organizer_elsewhere", 403),
    ("organizer", 200), ("admin", 200),
])
def test_only_the_forums_organizers_and_admins_get_the_report(client, login, forum, path, who, expected):
    response = get_as(client, login, forum, who, path)
    assert_access(response, expected)


def test_no_such_forum(client, organizer):
    assert client.get("/forums/nope/report.pdf").status_code == 404
