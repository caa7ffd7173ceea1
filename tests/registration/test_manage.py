"""The organizer's delegate list: find, filter, page, act in bulk, correct, export and print badges."""
import csv
import io
import re
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app.auth.services import grant_forum_role
from app.models import (AuditEvent, CheckIn, ConfirmationMode, Delegate, DelegateStatus, ForumRole, GlobalRole,
                        Organization, Participation, Sector)
from app.registration import listing, services
from app.registration.services import RegistrationInput
from tests.factories import make_forum, make_organizer, make_user, region

KAZAKH_NAME = "Әбдіқалықова Гүлшара"
KAZAKH_ORG = "Қазақ саңыраулар қоғамы"
_n = iter(range(1, 10**6))


def add(forum, full_name="Delegate", *, email=None, sector=Sector.ngo, status=DelegateStatus.confirmed,
        organization=None, region_code=None, participation=Participation.in_person, checked_in_at=None,
        created_at=None, commit=True, **kwargs):
    """A delegate row inserted directly (fast); search_text kept right as the services keep it."""
    from app.extensions import db

    n = next(_n)
    now = created_at or datetime(2026, 11, 1, 6, 0, tzinfo=timezone.utc) + timedelta(minutes=n)
    if isinstance(organization, str):
        organization = Organization(name=organization, sector=sector)
    delegate = Delegate(forum=forum, full_name=full_name, email=email or f"d{n}@example.kz", sector=sector,
                        status=status, organization=organization, participation=participation,
                        region=region(region_code) if region_code else None, consent_given_at=now,
                        status_changed_at=now, created_at=now, language=kwargs.pop("language", "kk"), **kwargs)
    delegate.refresh_search_text()
    db.session.add(delegate)
    if checked_in_at is not None:
        db.session.add(CheckIn(delegate=delegate, forum_id=forum.id, checked_in_at=checked_in_at))
    if commit:
        db.session.commit()
    return delegate


def shown_ids(response) -> list[int]:
    """The delegates listed on a page, in order (by their bulk-action checkboxes)."""
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return [int(i) for i in re.findall(r'name="ids" value="(\d+)"', response.get_data(as_text=True))]


@pytest.fixture
def forum(app):
    return make_forum(slug="asar", title_en="Civil Forum", confirmation=ConfirmationMode.approval)


@pytest.fixture
def organizer(forum, login):
    return login(make_organizer(forum, full_name="Айгүл Организатор"))


# --- search ---------------------------------------------------------------------------------------

def test_search_is_cyrillic_aware_case_insensitive_and_literal(client, forum, organizer):
    gulshara = add(forum, KAZAKH_NAME, email="gulshara@example.kz", organization=KAZAKH_ORG, position="Төрайым")
    other = add(forum, "Иванов Пётр", email="petr@example.kz", organization="ТОО «Жайық»", phone="+7 701 555 12 34")
    percent = add(forum, "Процент 100% Ltd", email="percent@example.kz")
    underscore = add(forum, "Under_score", email="under@example.kz")

    def search(q):
        return set(shown_ids(client.get("/forums/asar/delegates", query_string={"q": q})))

    assert search("ӘБДІҚАЛЫҚ") == {gulshara.id}
    assert search("гүлшара") == {gulshara.id}
    assert search("  Гүлшара  ") == {gulshara.id}
    assert search("САҢЫРАУЛАР") == {gulshara.id}          # by organization
    assert search("GULSHARA@EXAMPLE") == {gulshara.id}   # by email
    assert search("төрайым") == {gulshara.id}            # by position
    assert search("жайық") == {other.id}
    assert search("555 12") == {other.id}                # by phone
    assert search("%") == {percent.id}                   # % and _ are literal, not wildcards
    assert search("_") == {underscore.id}
    assert search("unde_") == set() and search("der%sc") == set()  # would match as wildcards
    assert search("") == {gulshara.id, other.id, percent.id, underscore.id}
    page = client.get("/forums/asar/delegates", query_string={"q": "nobody-like-this"}).get_data(as_text=True)
    assert "No delegate matches these filters." in page


# --- filters and counts ---------------------------------------------------------------------------

def test_each_filter_narrows_and_counts_cover_the_whole_forum(client, forum, organizer):
    t = datetime(2026, 12, 20, 4, 12, tzinfo=timezone.utc)
    ngo = add(forum, "НҚҰ", sector=Sector.ngo, region_code="KZ-23", checked_in_at=t)
    business = add(forum, "Бизнес", sector=Sector.business, region_code="KZ-75", participation=Participation.online)
    state = add(forum, "Мемлекет", sector=Sector.state, status=DelegateStatus.pending)
    declined = add(forum, "Бас тартылған", sector=Sector.ngo, status=DelegateStatus.declined, region_code="KZ-23")
    elsewhere = add(make_forum(), "Басқа форум", sector=Sector.ngo)

    def listed(**args):
        return set(shown_ids(client.get("/forums/asar/delegates", query_string=args)))

    everyone = {ngo.id, business.id, state.id, declined.id}
    assert listed() == everyone and elsewhere.id not in listed()
    assert listed(sector="ngo") == {ngo.id, declined.id}
    assert listed(sector="business") == {business.id}
    assert listed(region=str(region("KZ-23").id)) == {ngo.id, declined.id}
    assert listed(status="pending") == {state.id}
    assert listed(status="declined", sector="ngo") == {declined.id}
    assert listed(participation="online") == {business.id}
    assert listed(participation="in_person") == everyone - {business.id}
    assert listed(checked_in="yes") == {ngo.id}
    assert listed(checked_in="no") == everyone - {ngo.id}
    assert listed(sector="aliens", status="lost", region="abc", checked_in="maybe") == everyone  # ignored, no 500

    page = client.get("/forums/asar/delegates?sector=business").get_data(as_text=True)
    assert "Registered: 4" in page and "checked in: 1" in page  # the whole forum, not the filtered rows
    assert "Showing 1–1 of 1" in page
    assert "20 Dec, 09:12" in client.get("/forums/asar/delegates?checked_in=yes").get_data(as_text=True)  # UTC+5

    counts = listing.counts(forum)
    assert counts.total == 4 and counts.checked_in == 1
    assert counts.by_status == {"pending": 1, "confirmed": 2, "declined": 1, "cancelled": 0}
    assert counts.by_sector["ngo"] == 2 and counts.by_sector["business"] == 1 and counts.by_sector["media"] == 0


def test_the_filters_are_labelled_and_kept_in_the_links(client, forum, organizer):
    add(forum, KAZAKH_NAME)
    html = client.get("/forums/asar/delegates?sector=ngo&q=%D3%99&order=name").get_data(as_text=True)
    for name in ("q", "sector", "region", "status", "participation", "checked-in", "order"):
        assert f'<label for="filter-{name}">' in html
    assert 'value="ngo" selected' in html and 'value="name" selected' in html
    assert "<caption>" in html
    assert f'class="visually-hidden">Select {KAZAKH_NAME}</label>' in html
    bulk_action = re.search(r'<form method="post" id="bulk-form"[^>]*action="([^"]+)"', html, re.S).group(1)
    assert bulk_action.startswith("/forums/asar/delegates/bulk?") and "sector=ngo" in bulk_action
    assert "/delegates/export.csv?" in html and "/delegates/export.xlsx?" in html
    assert "<script>" not in html  # no inline scripts; select-all lives in static/js/delegates.js
    assert "js/delegates.js" in html


# --- pagination -----------------------------------------------------------------------------------

def test_120_delegates_make_3_pages_and_bad_page_numbers_do_not_break(client, forum, organizer, db):
    delegates = [add(forum, f"Делегат {i:03d}", commit=False) for i in range(120)]
    db.session.commit()
    newest_first = [d.id for d in reversed(delegates)]

    first = client.get("/forums/asar/delegates")
    assert shown_ids(first) == newest_first[:50]
    html = first.get_data(as_text=True)
    assert "Showing 1–50 of 120" in html
    assert 'href="/forums/asar/delegates?page=3"' in html and "?page=4" not in html
    assert shown_ids(client.get("/forums/asar/delegates?page=2")) == newest_first[50:100]
    assert shown_ids(client.get("/forums/asar/delegates?page=3")) == newest_first[100:]
    by_name = shown_ids(client.get("/forums/asar/delegates?page=2&order=name"))
    assert by_name == [d.id for d in delegates[50:100]]
    for bad in ("0", "-1", "abc", "999", "1e3", "99999999999999999999", ""):
        assert client.get("/forums/asar/delegates", query_string={"page": bad}).status_code == 200
    assert shown_ids(client.get("/forums/asar/delegates?page=999")) == newest_first[100:]  # the last page

    filtered = client.get("/forums/asar/delegates?q=%D0%B4%D0%B5%D0%BB%D0%B5%D0%B3%D0%B0%D1%82&page=2")
    assert "page=3&amp;q=" in filtered.get_data(as_text=True)  # the search is kept in the page links


# --- bulk actions ---------------------------------------------------------------------------------

def test_bulk_confirm_confirms_mails_and_audits_but_leaves_other_forums_alone(client, forum, organizer, db, outbox):
    pending = [services.register(forum, RegistrationInput(full_name=f"Күтуші {i}", email=f"wait{i}@example.kz",
                                                          sector="ngo", consent=True))[0] for i in range(3)]
    other_forum = make_forum(confirmation=ConfirmationMode.approval)
    stranger, _ = services.register(other_forum, RegistrationInput(full_name="Бөтен", email="x@example.kz",
                                                                   sector="ngo", consent=True))
    assert all(d.status == DelegateStatus.pending for d in pending)
    outbox.clear()

    response = client.post("/forums/asar/delegates/bulk?status=pending&page=1",
                           data={"action": "confirm", "ids": [str(d.id) for d in pending] + [str(stranger.id)]})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/forums/asar/delegates?status=pending")
    assert "3 registrations updated." in client.get(response.headers["Location"]).get_data(as_text=True)

    for delegate in pending:
        db.session.refresh(delegate)
        assert delegate.status == DelegateStatus.confirmed
    db.session.refresh(stranger)
    assert stranger.status == DelegateStatus.pending
    assert sorted(m.recipients[0] for m in outbox) == ["wait0@example.kz", "wait1@example.kz", "wait2@example.kz"]
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "delegate.confirmed")).all()
    assert sorted(e.subject_id for e in events) == sorted(d.id for d in pending)
    assert {e.actor_id for e in events} == {organizer.id}


def test_bulk_refuses_unknown_actions_and_reports_skipped_ones(client, forum, organizer, db):
    confirmed = add(forum, "Расталған")
    assert client.post("/forums/asar/delegates/bulk", data={"action": "delete", "ids": [str(confirmed.id)]}).status_code == 400
    assert client.post("/forums/asar/delegates/bulk", data={"ids": [str(confirmed.id)]}).status_code == 400

    response = client.post("/forums/asar/delegates/bulk", data={"action": "decline", "ids": [str(confirmed.id)]},
                           follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "0 registrations updated." in html and "left as it was" in html
    response = client.post("/forums/asar/delegates/bulk", data={"action": "cancel", "ids": ["abc", "-5"]},
                           follow_redirects=True)
    assert "Select at least one registration first." in response.get_data(as_text=True)
    db.session.refresh(confirmed)
    assert confirmed.status == DelegateStatus.confirmed


class TestCsrf:
    @pytest.fixture
    def config(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_bulk_actions_need_the_token(self, client, browser, forum, db):
        user = make_organizer(forum)
        pending = add(forum, "Күтуші", status=DelegateStatus.pending)
        token = browser.csrf_token("/auth/login")
        client.post("/auth/login", data={"email": user.email, "password": "correct-horse-7", "csrf_token": token})
        assert client.post("/forums/asar/delegates/bulk",
                           data={"action": "confirm", "ids": [str(pending.id)]}).status_code == 400
        token = browser.csrf_token("/forums/asar/delegates")
        response = client.post("/forums/asar/delegates/bulk",
                               data={"action": "confirm", "ids": [str(pending.id)], "csrf_token": token})
        assert response.status_code == 302
        db.session.refresh(pending)
        assert pending.status == DelegateStatus.confirmed


# --- editing one registration ---------------------------------------------------------------------

def edit_form(delegate, **changes):
    data = {"full_name": delegate.full_name, "email": delegate.email, "phone": delegate.phone or "",
            "position": delegate.position or "", "sector": delegate.sector.value,
            "region_id": str(delegate.region_id or ""), "participation": delegate.participation.value,
            "language": delegate.language, "accessibility_needs": delegate.accessibility_needs or ""}
    data.update(changes)
    return data


def test_editing_the_name_updates_the_search(client, forum, organizer, db):
    delegate = add(forum, "Старое Имя", email="name@example.kz")
    page = client.get(f"/forums/asar/delegates/{delegate.id}")
    assert page.status_code == 200 and 'value="Старое Имя"' in page.get_data(as_text=True)

    response = client.post(f"/forums/asar/delegates/{delegate.id}",
                           data=edit_form(delegate, full_name=KAZAKH_NAME, region_id=str(region("KZ-79").id),
                                          participation="online"))
    assert response.status_code == 302
    db.session.refresh(delegate)
    assert delegate.full_name == KAZAKH_NAME and delegate.region.code == "KZ-79"
    assert delegate.participation == Participation.online
    assert shown_ids(client.get("/forums/asar/delegates?q=ӘБДІҚАЛЫҚОВА")) == [delegate.id]
    assert shown_ids(client.get("/forums/asar/delegates?q=старое")) == []

    history = client.get(f"/forums/asar/delegates/{delegate.id}").get_data(as_text=True)
    assert "Registration corrected" in history and "Айгүл Организатор" in history and "Full name" in history


def test_a_duplicate_email_is_explained_beside_the_field_and_nothing_changes(client, forum, organizer, db):
    add(forum, "Бірінші", email="taken@example.kz")
    delegate = add(forum, "Екінші", email="second@example.kz")
    response = client.post(f"/forums/asar/delegates/{delegate.id}",
                           data=edit_form(delegate, full_name="Жаңа есім", email="TAKEN@example.kz"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    error = re.search(r'<p class="error" id="email-error">([^<]*)</p>', html)
    assert error and "already uses this email" in error.group(1)
    db.session.refresh(delegate)
    assert delegate.full_name == "Екінші" and delegate.email == "second@example.kz"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "delegate.edited")) == 0


@pytest.mark.parametrize("changes, field", [
    ({"sector": "aliens"}, "sector"),
    ({"sector": ""}, "sector"),
    ({"participation": "telepathy"}, "participation"),
    ({"region_id": "abc"}, "region_id"),
    ({"region_id": "99999"}, "region_id"),
    ({"email": "nope"}, "email"),
    ({"full_name": "  "}, "full_name"),
    ({"language": "de"}, "language"),
])
def test_invalid_values_are_refused_not_crashed_on(client, forum, organizer, db, changes, field):
    delegate = add(forum, "Делегат", email="valid@example.kz")
    response = client.post(f"/forums/asar/delegates/{delegate.id}", data=edit_form(delegate, **changes))
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    db.session.refresh(delegate)
    assert delegate.sector == Sector.ngo and delegate.email == "valid@example.kz"


def test_status_buttons_change_the_status_and_refuse_impossible_changes(client, forum, organizer, db, outbox):
    delegate = add(forum, KAZAKH_NAME, status=DelegateStatus.pending, email="pending@example.kz")
    page = client.get(f"/forums/asar/delegates/{delegate.id}").get_data(as_text=True)
    assert 'name="action" value="confirm"' in page and 'name="action" value="decline"' in page
    assert "Consent to the processing of personal data given at" in page
    assert "1 November 2026" in page  # the consent time, on the forum's clock

    response = client.post(f"/forums/asar/delegates/{delegate.id}/status", data={"action": "confirm"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/delegates/{delegate.id}")
    db.session.refresh(delegate)
    assert delegate.status == DelegateStatus.confirmed
    assert [m.recipients for m in outbox] == [["pending@example.kz"]]

    refused = client.post(f"/forums/asar/delegates/{delegate.id}/status", data={"action": "decline"},
                          follow_redirects=True)
    assert refused.status_code == 200
    assert "cannot be changed that way now" in refused.get_data(as_text=True)
    db.session.refresh(delegate)
    assert delegate.status == DelegateStatus.confirmed
    assert client.post(f"/forums/asar/delegates/{delegate.id}/status", data={"action": "explode"}).status_code == 400

    history = client.get(f"/forums/asar/delegates/{delegate.id}").get_data(as_text=True)
    assert "Confirmed" in history and "Айгүл Организатор" in history


# --- exports --------------------------------------------------------------------------------------

@pytest.fixture
def export_world(forum):
    checked = datetime(2026, 12, 20, 4, 12, tzinfo=timezone.utc)  # 09:12 in Kazakhstan
    org = Organization(name=KAZAKH_ORG, sector=Sector.ngo, bin="180340021791")
    gulshara = add(forum, KAZAKH_NAME, email="gulshara@example.kz", organization=org, region_code="KZ-23",
                   phone="+7 701 123 45 67", position="Төрайым", accessibility_needs="Ымдау тілінің аудармашысы",
                   checked_in_at=checked, created_at=datetime(2026, 11, 30, 19, 30, tzinfo=timezone.utc))
    evil = add(forum, '=HYPERLINK("http://evil.example","click")', email="evil@example.kz", sector=Sector.business,
               position="@SUM(A1:A2)", status=DelegateStatus.pending)
    return gulshara, evil


def test_csv_export_keeps_kazakh_letters_applies_filters_and_defuses_formulas(client, forum, organizer, export_world):
    gulshara, evil = export_world
    response = client.get("/forums/asar/delegates/export.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="delegates-asar-')
    assert response.data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[:4] == ["ID", "Full name", "Email", "Phone"] and header[-1] == "Checked in at"
    by_email = {row[2]: dict(zip(header, row)) for row in body}
    row = by_email["gulshara@example.kz"]
    assert row["Full name"] == KAZAKH_NAME and row["Organization"] == KAZAKH_ORG and row["BIN"] == "180340021791"
    assert row["Sector"] == "NGO" and row["Region"] == "Atyrau Region" and row["Format"] == "In person"
    assert row["Accessibility needs"] == "Ымдау тілінің аудармашысы" and row["Status"] == "Confirmed"
    assert row["Phone"] == "'+7 701 123 45 67"
    assert row["Registered at"] == "2026-12-01 00:30" and row["Checked in at"] == "2026-12-20 09:12"
    bad = by_email["evil@example.kz"]
    assert bad["Full name"] == '\'=HYPERLINK("http://evil.example","click")' and bad["Position"] == "'@SUM(A1:A2)"
    assert bad["Checked in at"] == ""

    only_ngo = client.get("/forums/asar/delegates/export.csv?sector=ngo").data.decode("utf-8-sig")
    assert KAZAKH_NAME in only_ngo and "HYPERLINK" not in only_ngo
    found = client.get("/forums/asar/delegates/export.csv", query_string={"q": "гүлшара"}).data.decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(found)))) == 2


def test_the_export_speaks_the_readers_language(client, forum, organizer, export_world):
    client.post("/language", data={"lang": "kk", "next": "/"})
    rows = list(csv.reader(io.StringIO(client.get("/forums/asar/delegates/export.csv").data.decode("utf-8-sig"))))
    atyrau = [row for row in rows if row[2] == "gulshara@example.kz"][0]
    assert "Атырау облысы" in atyrau


def test_xlsx_export_reads_back_with_kazakh_letters_filters_and_no_formulas(client, forum, organizer, export_world):
    gulshara, evil = export_world
    response = client.get("/forums/asar/delegates/export.xlsx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response.headers["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.data)).active
    header = [c.value for c in sheet[1]]
    assert header[1] == "Full name" and all(c.font.b for c in sheet[1])
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:P3"
    assert sheet.column_dimensions["B"].width >= 20
    rows = {row[2]: dict(zip(header, row)) for row in sheet.iter_rows(min_row=2, values_only=True)}
    row = rows["gulshara@example.kz"]
    assert row["ID"] == gulshara.id and row["Full name"] == KAZAKH_NAME and row["Organization"] == KAZAKH_ORG
    assert row["Checked in at"] == datetime(2026, 12, 20, 9, 12)
    bad = rows["evil@example.kz"]
    assert bad["Full name"] == '\'=HYPERLINK("http://evil.example","click")'
    assert all(cell.data_type != "f" for r in sheet.iter_rows() for cell in r)

    only_business = load_workbook(io.BytesIO(client.get("/forums/asar/delegates/export.xlsx?sector=business").data)).active
    assert [r[2] for r in only_business.iter_rows(min_row=2, values_only=True)] == ["evil@example.kz"]


# --- badge sheets ---------------------------------------------------------------------------------

def test_badge_sheets_with_no_confirmed_match_explain_and_go_back(client, forum, organizer):
    add(forum, "Күтуші", status=DelegateStatus.pending)
    response = client.get("/forums/asar/delegates/badges.pdf?sector=ngo")
    assert response.status_code == 302 and response.headers["Location"].endswith("/forums/asar/delegates?sector=ngo")
    assert "no badges to print" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert client.get("/forums/asar/delegates/badges.pdf?status=declined").status_code == 302


def test_badge_sheets_are_a_pdf_of_the_confirmed_delegates(client, forum, organizer):
    pdf = pytest.importorskip("app.pdf")
    if not hasattr(pdf, "render_badge_sheets"):
        pytest.skip("app.pdf is still being written")
    for i in range(5):
        add(forum, f"{KAZAKH_NAME} {i}", organization=KAZAKH_ORG)
    add(forum, "Күтуші", status=DelegateStatus.pending)
    response = client.get("/forums/asar/delegates/badges.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")
    assert response.headers["Content-Disposition"] == 'attachment; filename="badges-asar.pdf"'


# --- who may open it ------------------------------------------------------------------------------

ROUTES = [("GET", "/forums/asar/delegates"), ("GET", "/forums/asar/delegates/export.csv"),
          ("GET", "/forums/asar/delegates/export.xlsx"), ("GET", "/forums/asar/delegates/badges.pdf"),
          ("GET", "/forums/asar/delegates/{id}"), ("POST", "/forums/asar/delegates/bulk"),
          ("POST", "/forums/asar/delegates/{id}/status")]


@pytest.mark.parametrize("method, path", ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
@pytest.mark.parametrize("who, expected", [
    ("anonymous", "login"), ("delegate", 403), ("checkin_here", 403), ("global_checkin", 403),
    ("organizer_elsewhere", 403), ("organizer", "ok"), ("admin", "ok"),
])
def test_only_the_forums_organizers_and_admins_get_in(client, login, forum, db, method, path, who, expected):
    delegate = add(forum, "Делегат", status=DelegateStatus.declined)
    users = {
        "delegate": lambda: make_user(),
        "checkin_here": lambda: make_user(),
        "global_checkin": lambda: make_user(role=GlobalRole.checkin),
        "organizer_elsewhere": lambda: make_organizer(make_forum()),
        "organizer": lambda: make_organizer(forum),
        "admin": lambda: make_user(role=GlobalRole.admin),
    }
    if who != "anonymous":
        user = users[who]()
        if who == "checkin_here":
            grant_forum_role(user, forum, ForumRole.checkin)
        login(user)
    response = client.open(path.format(id=delegate.id), method=method,
                           data={"action": "confirm", "ids": [str(delegate.id)]} if method == "POST" else None)
    if expected == "login":
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    elif expected == 403:
        assert response.status_code == 403
    else:
        assert response.status_code in (200, 302)  # badges (none confirmed) and POSTs redirect back
    db.session.refresh(delegate)
    assert delegate.status == (DelegateStatus.confirmed if expected == "ok" and method == "POST"
                               else DelegateStatus.declined)


def test_a_delegate_of_another_forum_is_not_found_here(client, forum, organizer, db):
    other = add(make_forum(), "Бөтен", status=DelegateStatus.pending)
    assert client.get(f"/forums/asar/delegates/{other.id}").status_code == 404
    assert client.post(f"/forums/asar/delegates/{other.id}", data=edit_form(other, full_name="X")).status_code == 404
    assert client.post(f"/forums/asar/delegates/{other.id}/status", data={"action": "confirm"}).status_code == 404
    assert client.get("/forums/asar/delegates/999999").status_code == 404
    assert client.get("/forums/no-such-forum/delegates").status_code == 404
    db.session.refresh(other)
    assert other.full_name == "Бөтен" and other.status == DelegateStatus.pending


# --- a fixed number of queries --------------------------------------------------------------------

def count_queries(db, fn):
    from sqlalchemy import event

    statements = []

    def before(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        response = fn()
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
    assert response.status_code == 200
    return statements


def fill(forum, db, how_many):
    for i in range(how_many):
        add(forum, f"Делегат {i}", organization=f"Ұйым {forum.id}-{i}", region_code=("KZ-23", "KZ-75")[i % 2],
            checked_in_at=datetime(2026, 12, 20, 4, i % 60, tzinfo=timezone.utc) if i % 3 == 0 else None,
            commit=False)
    db.session.commit()


def test_the_list_runs_the_same_number_of_queries_for_10_and_200_delegates(client, organizer, forum, db):
    small = make_forum(slug="small")
    grant_forum_role(organizer, small, ForumRole.organizer)
    fill(small, db, 10)
    fill(forum, db, 200)
    for query in ("", "?q=%D0%B4%D0%B5%D0%BB&sector=ngo&checked_in=no&order=name&page=2"):
        for_10 = count_queries(db, lambda: client.get(f"/forums/small/delegates{query}"))
        for_200 = count_queries(db, lambda: client.get(f"/forums/asar/delegates{query}"))
        assert len(for_10) == len(for_200), (for_10, for_200)
        assert len(for_200) <= 12
    csv_10 = count_queries(db, lambda: client.get("/forums/small/delegates/export.csv"))
    csv_200 = count_queries(db, lambda: client.get("/forums/asar/delegates/export.csv"))
    assert len(csv_10) == len(csv_200)
