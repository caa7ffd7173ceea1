"""The booth poster (PDF with a QR code to the project's page) and the map of social initiatives."""
import html
import io
import re

import pypdf
import pypdfium2 as pdfium
import pytest
import zxingcpp

from app.fair import map as fair_map
from app.models import REGIONS, ForumStatus
from tests.factories import make_fair_delegate, make_forum, make_organization, make_pledge, make_project, region


@pytest.fixture
def forum(app):
    return make_forum(slug="asar", title_kk="ASAR Атырау: әлеуметтік жобалар жәрмеңкесі",
                      title_en="ASAR Atyrau: the social ideas fair")


@pytest.fixture
def login(browser):
    def _login(user):
        browser.logout()
        response = browser.login(user.email)
        assert response.status_code == 302
        return user

    return _login


@pytest.fixture(autouse=True)
def english(client):
    client.set_cookie("asar_lang", "en")


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages).split())


def qr_codes(data: bytes) -> list[str]:
    document = pdfium.PdfDocument(data)
    try:
        image = document[0].render(scale=150 / 72).to_pil()
    finally:
        document.close()
    return [code.text for code in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


# --- the poster ----------------------------------------------------------------------------------------

def test_poster_has_the_project_its_booth_money_and_a_qr_to_its_page(client, forum):
    ngo = make_fair_delegate(forum, organization=make_organization("Атырау облыстық саңыраулар қоғамы"))
    project = make_project(forum, ngo, title="Саңырау жастарды жұмыспен қамту", budget=2_000_000, booth="B-14")
    make_pledge(project, amount=1_500_000, confirm=True)
    response = client.get(f"/forums/asar/fair/projects/{project.id}/poster.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert f"poster-asar-{project.id}.pdf" in response.headers["Content-Disposition"]
    reader = pypdf.PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 portrait
    text = pdf_text(response.data)
    for expected in ("ASAR Atyrau: the social ideas fair", "Booth", "B-14", "Саңырау жастарды жұмыспен қамту",
                     "Саңырау жастарды жұмыспен қамту (ru)", "Атырау облыстық саңыраулар қоғамы", "Youth",
                     "Atyrau Region, Атырау", "Кратко", "Budget requested: 2 000 000 ₸",
                     "1 500 000 ₸ of 2 000 000 ₸ (75%)", "Scan to support this project"):
        assert expected in text.replace("\u00a0", " "), expected
    assert set("ғқңұ") <= set(text)  # Kazakh letters are real, extractable text
    url = f"http://localhost/forums/asar/fair/projects/{project.id}"
    assert qr_codes(response.data) == [url]
    assert url in text


def test_poster_uses_the_public_address_when_configured(client, forum, app):
    app.config["PUBLIC_BASE_URL"] = "https://asar.example.kz"
    project = make_project(forum)
    response = client.get(f"/forums/asar/fair/projects/{project.id}/poster.pdf")
    assert qr_codes(response.data) == [f"https://asar.example.kz/forums/asar/fair/projects/{project.id}"]


def test_poster_follows_the_readers_language(client, forum):
    project = make_project(forum, title="Кітапхана")
    client.set_cookie("asar_lang", "ru")
    text = pdf_text(client.get(f"/forums/asar/fair/projects/{project.id}/poster.pdf").data)
    assert "Кітапхана (ru) Кітапхана" in text           # the Russian title first, big; the Kazakh one under it
    assert text.startswith(forum.title_ru)
    client.set_cookie("asar_lang", "kk")
    text = pdf_text(client.get(f"/forums/asar/fair/projects/{project.id}/poster.pdf").data)
    assert "Кітапхана Кітапхана (ru)" in text
    assert text.startswith("ASAR Атырау")


@pytest.mark.parametrize("status", ["submitted", "returned", "rejected"])
def test_no_poster_before_approval_even_for_the_owner(client, forum, login, status):
    ngo = make_fair_delegate(forum)
    project = make_project(forum, ngo, status=status)
    login(ngo.user)
    assert client.get(f"/forums/asar/fair/projects/{project.id}").status_code == 200
    assert client.get(f"/forums/asar/fair/projects/{project.id}/poster.pdf").status_code == 404


def test_no_poster_of_a_draft_forum_or_another_forums_project(client, forum, db):
    project = make_project(forum)
    other = make_forum(slug="other")
    assert client.get(f"/forums/other/fair/projects/{project.id}/poster.pdf").status_code == 404
    forum.status = ForumStatus.draft
    db.session.commit()
    assert client.get(f"/forums/asar/fair/projects/{project.id}/poster.pdf").status_code == 404
    assert other.slug == "other"


# --- the map ----------------------------------------------------------------------------------------------

def tiles_of(page: str) -> dict[str, tuple[str, int]]:
    """Region code → (link, count) of each tile of the map."""
    return {code: (html.unescape(href), int(count)) for href, code, count in re.findall(
        r'<a class="fair-map-tile level-\d" href="([^"]+)" data-region="([^"]+)" data-projects="(\d+)"', page)}


def test_map_has_every_region_linked_to_the_filtered_catalogue_with_counts(client, forum):
    atyrau = [make_project(forum, region_code="KZ-23", budget=1_000_000) for _ in range(3)]
    make_pledge(atyrau[0], amount=400_000, confirm=True)
    almaty = make_project(forum, region_code="KZ-75", budget=5_000_000)
    make_project(forum, region_code="KZ-75", status="submitted")        # not public: not counted
    make_project(make_forum(), region_code="KZ-75")                     # another forum's
    page = client.get("/forums/asar/fair/map").get_data(as_text=True)
    tiles = tiles_of(page)
    assert set(tiles) == {code for code, *_ in REGIONS}
    assert tiles["KZ-23"] == (f"/forums/asar/fair?region={region('KZ-23').id}", 3)
    assert tiles["KZ-75"] == (f"/forums/asar/fair?region={region('KZ-75').id}", 1)
    assert all(count == 0 for code, (_, count) in tiles.items() if code not in ("KZ-23", "KZ-75"))
    assert 'class="fair-map-tile level-5" href="/forums/asar/fair?region=' in page  # the busiest, darkest
    # Following a tile lists exactly that region's projects.
    listed = client.get(tiles["KZ-23"][0]).get_data(as_text=True)
    assert sorted(int(i) for i in re.findall(r'id="card-title-(\d+)"', listed)) == sorted(p.id for p in atyrau)
    assert almaty.id not in [int(i) for i in re.findall(r'id="card-title-(\d+)"', listed)]


def test_map_tiles_have_tooltips_and_the_table_beside_has_the_figures(client, forum):
    project = make_project(forum, region_code="KZ-23", budget=2_000_000)
    make_pledge(project, amount=500_000, confirm=True)
    make_pledge(project, amount=None, in_kind="Жабдық", in_kind_value=250_000, confirm=True)
    page = client.get("/forums/asar/fair/map").get_data(as_text=True).replace("\u00a0", " ")
    assert "<title>Atyrau Region: 1 project, budget 2 000 000 ₸, support confirmed 750 000 ₸</title>" in page
    row = re.search(r"<tr>\s*<th scope=\"row\"><a href=\"[^\"]+\">Atyrau Region</a></th>(.*?)</tr>", page, re.S)
    assert [c.strip() for c in re.findall(r"<td[^>]*>([^<]*)</td>", row.group(1))] == [
        "1", "2 000 000 ₸", "750 000 ₸"]
    assert "schematic" in page
    assert 'href="/forums/asar/fair"' in page and "<script" not in page.split("<main")[1]


def test_map_tiles_sit_roughly_where_the_regions_are():
    where = fair_map.TILE_POSITIONS
    assert len(where) == 20 and len(set(where.values())) == 20          # one tile each, no overlaps
    assert where["KZ-27"][0] == where["KZ-23"][0] == 0                   # West Kazakhstan and Atyrau: far west
    assert where["KZ-63"][0] == max(c for c, _ in where.values())        # East Kazakhstan: far east
    assert where["KZ-59"][1] == 0                                        # North Kazakhstan: on top
    assert where["KZ-79"][1] == max(r for _, r in where.values())        # Shymkent: at the bottom
    assert where["KZ-61"][1] > where["KZ-35"][1] > where["KZ-11"][1]     # Turkistan < Karaganda < Akmola


def test_tile_labels_are_short_and_never_ambiguous(app):
    from app.fair.services import totals_by_region
    from flask_babel import force_locale

    for language in ("kk", "ru", "en"):
        with app.test_request_context(), force_locale(language):
            forum = make_forum()
            tiles = fair_map.tiles(totals_by_region(forum), lambda r: "#", lambda row: "")
            labels = [tuple(t.label) for t in tiles]
            assert len(set(labels)) == 20, (language, labels)
            assert all(len(line) <= 16 for label in labels for line in label), labels


def test_shading_levels():
    assert fair_map.level(0, 10) == 0
    assert fair_map.level(1, 10) == 1
    assert fair_map.level(10, 10) == fair_map.LEVELS
    assert fair_map.level(3, 0) == 0
