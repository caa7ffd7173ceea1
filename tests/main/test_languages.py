"""Three languages: chosen by the reader, remembered, with organizer content falling back sensibly."""
from datetime import date

import pytest

from app.models import User
from tests.factories import make_forum, make_user

# A phrase per language from the base layout, proving real translations are served.
LOG_IN = {"kk": "Кіру", "ru": "Войти", "en": "Log in"}


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_accept_language_picks_the_interface_language(client, lang):
    html = client.get("/", headers={"Accept-Language": f"{lang},en;q=0.5"}).get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    assert f">{LOG_IN[lang]}<" in html


class TestDefaultLanguage:
    @pytest.fixture
    def config(self):
        return {"BABEL_DEFAULT_LOCALE": "ru"}  # as in production; tests otherwise default to English

    def test_unknown_browser_language_falls_back_to_russian(self, client):
        html = client.get("/", headers={"Accept-Language": "de-DE"}).get_data(as_text=True)
        assert '<html lang="ru">' in html


def test_switching_language_is_remembered(client):
    response = client.post("/language", data={"lang": "kk", "next": "/forums/x?y=1"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/forums/x?y=1"
    assert "asar_lang=kk" in response.headers["Set-Cookie"]
    html = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="kk">' in html


def test_switching_language_refuses_unknown_codes_and_foreign_redirects(client):
    assert client.post("/language", data={"lang": "de"}).status_code == 400
    response = client.post("/language", data={"lang": "ru", "next": "//evil.example/"})
    assert response.headers["Location"] == "/"


def test_a_logged_in_user_keeps_the_language_in_the_account(client, login, db):
    user = login(make_user(language="ru"))
    client.post("/language", data={"lang": "en"})
    db.session.refresh(user)
    assert user.language == "en"


def test_account_language_is_used_on_a_new_device(app, login):
    user = make_user(language="kk")
    fresh = app.test_client()
    fresh.post("/auth/login", data={"email": user.email, "password": "correct-horse-7"})
    assert '<html lang="kk">' in fresh.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_forum_title_in_the_readers_language_with_fallback(client):
    make_forum(slug="both", title_kk="Қазақша атауы", title_ru="Русское название", title_en=None)
    make_forum(slug="ru-only", title_kk=None, title_ru="Только по-русски", title_en=None)

    def page(slug, lang):
        return client.get(f"/forums/{slug}", headers={"Accept-Language": lang}).get_data(as_text=True)

    assert "Қазақша атауы" in page("both", "kk")
    assert "Русское название" in page("both", "ru")
    assert "Русское название" in page("both", "en")  # no English title: Russian next
    assert "Только по-русски" in page("ru-only", "kk")  # no Kazakh title: Russian


def test_dates_are_formatted_per_language(client):
    make_forum(slug="dated", starts_on=date(2030, 9, 16), ends_on=date(2030, 9, 17))
    def page(lang):
        return client.get("/forums/dated", headers={"Accept-Language": lang}).get_data(as_text=True)

    assert "16–17 сентября 2030 г." in page("ru")
    assert "September 16–17, 2030" in page("en")
    assert "2030 ж. 16–17 қыркүйек" in page("kk")


@pytest.mark.parametrize("lang, text", [
    ("kk", "Бет табылмады"), ("ru", "Страница не найдена"), ("en", "Page not found"),
])
def test_error_pages_speak_the_readers_language(client, lang, text):
    response = client.get("/no/such/page", headers={"Accept-Language": lang})
    assert response.status_code == 404
    assert text in response.get_data(as_text=True)


def test_every_message_is_translated(app):
    """No empty or fuzzy entries in the kk and ru catalogues."""
    from pathlib import Path

    from babel.messages.pofile import read_po

    root = Path(app.root_path) / "translations"
    for lang in ("kk", "ru"):
        with open(root / lang / "LC_MESSAGES" / "messages.po", "rb") as fh:
            catalog = read_po(fh)
        missing = [m.id for m in catalog if m.id and (not all(m.string) if isinstance(m.string, tuple) else not m.string)]
        fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
        assert not missing, f"{lang}: untranslated {missing[:5]}"
        assert not fuzzy, f"{lang}: fuzzy {fuzzy[:5]}"


def test_catalogues_cover_every_string_in_the_code(app):
    """Every string marked for translation in the code is in the catalogues (run `make update-translations`)."""
    from pathlib import Path

    from babel.messages.extract import extract_from_dir
    from babel.messages.pofile import read_po

    root = Path(app.root_path).parent
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
    method_map = [("app/**.py", "python"), ("templates/**.html", "jinja2")]
    options = {"templates/**.html": {"extensions": "jinja2.ext.do"}}
    in_code = {msg[2] if isinstance(msg[2], str) else msg[2][0]
               for msg in extract_from_dir(str(root), method_map, options, keywords=keywords)}
    with open(root / "app" / "translations" / "ru" / "LC_MESSAGES" / "messages.po", "rb") as fh:
        catalogued = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}
    assert in_code - catalogued == set()
