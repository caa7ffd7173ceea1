"""Accessibility: axe-core (from npm, see package.json) checks the pages people meet most.

Home, the forum and its registration form, the programme, the fair (catalogue, a project, the map,
the jury's list), the memoranda (the public registry, the verification page, a signatory's memorandum
and its signing form), an error page, and the check-in desk on a phone, before and after a scan; in
Russian, Kazakh and English. No axe violation of impact "serious" or "critical" is allowed; milder
findings are printed (run with `-rP` to read them) but do not fail the test.

axe is evaluated in the page through the DevTools protocol (`page.evaluate`), which the page's
Content-Security-Policy does not govern: the policy stays on, and the conftest's watcher still
fails a test on any violation (an injected <script> tag would be inline code, and blocked).

`make install` fetches axe-core into node_modules/ (`npm ci`); without it these tests fail and say
so. The demo forum is loaded once for the whole module, and each role logs in once: the pages
checked here only read (the desk's scan adds a check-in nobody else looks at).
"""
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.demo import DEMO_SLUG
from app.extensions import db
from app.fair.services import PUBLIC_STATES
from app.models import CheckIn, Delegate, DelegateStatus, FairProject, Memorandum, MemorandumStatus, Party
from app.registration.tokens import badge_token
from tests.browser.conftest import (_assert_no_csp_violations, _new_page, _save_evidence, _test_failed, demo_app,
                                    serving)
from tests.helpers.browser import LOGINS, log_in

sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is missing")
expect = sync_api.expect

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
FAILING_IMPACTS = ("serious", "critical")
PHONE = {"width": 390, "height": 844}
FORUM = f"/forums/{DEMO_SLUG}"

# Every rule axe has on by default: WCAG 2.0–2.2 A and AA, and its best practices.
RUN_AXE = """async () => {
    const results = await axe.run(document, {resultTypes: ["violations"]});
    return results.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
        nodes: v.nodes.map(n => ({target: n.target.map(String).join(" "), summary: n.failureSummary || ""})),
    }));
}"""


@dataclass(frozen=True)
class Check:
    """A page to check: its URL (may name `{project}`, `{memorandum}`, `{public_id}`), who looks, and how."""

    name: str
    path: str
    login: str | None = None  # a role of tests.helpers.browser.LOGINS
    locale: str = "ru-RU"     # the browser's language
    lang: str = "ru"          # the <html lang> the page answers in (the demo's accounts read Kazakh)
    viewport: dict = field(default_factory=dict)
    status: int = 200


CHECKS = [
    Check("home", "/"),
    Check("forum", FORUM),
    Check("register", f"{FORUM}/register"),
    Check("register-kk", f"{FORUM}/register", locale="kk-KZ", lang="kk"),
    Check("login", "/auth/login"),
    Check("programme", f"{FORUM}/programme"),
    Check("fair-catalogue", f"{FORUM}/fair"),
    Check("fair-map", f"{FORUM}/fair/map"),
    Check("fair-project-en", f"{FORUM}/fair/projects/{{project}}", locale="en-US", lang="en"),
    Check("fair-project-business", f"{FORUM}/fair/projects/{{project}}", login="business", lang="kk"),
    Check("fair-jury-projects", f"{FORUM}/fair/jury/projects", login="juror", lang="kk"),
    Check("memoranda-registry", f"{FORUM}/memoranda"),
    Check("memorandum-verify", "/verify/{public_id}"),
    Check("memorandum-signatory", f"{FORUM}/memoranda/{{memorandum}}", login="ngo", lang="kk"),
    Check("memorandum-sign", f"{FORUM}/memoranda/{{memorandum}}/sign", login="ngo", lang="kk"),
    Check("not-found", "/no-such-page", status=404),
]  # and the check-in desk, on a phone, below


# --- fixtures: one server, one login per role, pages watched as the conftest's are ------------------------

@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE_JS.is_file():
        pytest.fail(f"{AXE_JS.relative_to(ROOT)} is missing: run `make install` (it runs `npm ci` for axe-core)")
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def a11y_server(tmp_path_factory):
    """The demo forum served once for the module: (base URL, ids the checks' URLs name, the app)."""
    with demo_app(tmp_path_factory.mktemp("a11y")) as app, serving(app) as base_url:
        with app.app_context():
            project = db.session.scalar(
                sa.select(FairProject.id).where(FairProject.status.in_(PUBLIC_STATES)).order_by(FairProject.id))
            published = db.session.scalar(
                sa.select(Memorandum.public_id).where(Memorandum.status == MemorandumStatus.published)
                .order_by(Memorandum.id))
            # The memorandum waiting for the NGO's signature: its page offers to sign.
            to_sign = db.session.scalar(
                sa.select(Memorandum.id).join(Party).where(Party.signatory_email == LOGINS["ngo"][0],
                                                           Memorandum.status == MemorandumStatus.open)
                .order_by(Memorandum.id))
            db.session.remove()
        ids = {"project": project, "public_id": published, "memorandum": to_sign}
        assert all(ids.values()), f"the demo lacks a page to check: {ids}"
        yield base_url, ids, app


@pytest.fixture(scope="module")
def open_pages(a11y_server, chromium_browser):
    """One page per way of looking (browser language, role, viewport), reused by the module's tests."""
    pages = {}
    yield pages
    for page in pages.values():
        page.context.close()


@pytest.fixture
def a11y_page(a11y_server, open_pages, chromium_browser, request):
    """A page on the module's server: `a11y_page(locale, login=role, viewport=size)`.

    Each way of looking gets a context of its own, logged in once, kept for the module. As with the
    conftest's pages, a test whose pages broke the Content-Security-Policy fails, and a failed test's
    pages are saved to test-results/browser/.
    """
    base_url = a11y_server[0]
    used = []

    def get_page(locale: str = "ru-RU", login: str | None = None, viewport: dict | None = None):
        key = (locale, login, tuple(sorted((viewport or {}).items())))
        if key not in open_pages:
            page = _new_page(chromium_browser, base_url, locale)
            if viewport:
                page.set_viewport_size(viewport)
            if login:
                log_in(page, *LOGINS[login])
            open_pages[key] = page
        page = open_pages[key]
        page.csp_violations.clear()
        used.append(page)
        return page

    yield get_page
    if _test_failed(request):
        for number, page in enumerate(used, start=1):
            _save_evidence(page, request, suffix=f"-page{number}" if number > 1 else "")
    _assert_no_csp_violations(used)


# --- running axe ------------------------------------------------------------------------------------------

def _report(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}  <{violation['helpUrl']}>")
        for node in violation["nodes"]:
            lines.append(f"    at {node['target']}")
            for hint in node["summary"].splitlines()[1:3]:  # its first line only says "Fix any of the following"
                lines.append(f"       {hint.strip()}")
    return "\n".join(lines)


# Transitions and animations that end (the desk's answer flashes in) have ended: colours caught
# mid-fade are no real contrast problem.
SETTLED = """() => document.getAnimations().every(animation =>
    animation.playState !== "running" || animation.effect.getComputedTiming().endTime === Infinity)"""


def axe_violations(page, axe_source: str) -> list[dict]:
    """axe's violations on the page as it is now (axe is loaded into the page once)."""
    page.wait_for_function(SETTLED)
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source)  # not a <script> tag: the CSP would block it (and the conftest would fail us)
    return page.evaluate(RUN_AXE)


def assert_accessible(page, axe_source: str, what: str) -> None:
    violations = axe_violations(page, axe_source)
    failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    milder = [v for v in violations if v["impact"] not in FAILING_IMPACTS]
    if milder:
        print(f"axe, milder findings on {what} (not failing):\n{_report(milder)}")
    assert not failing, (f"axe found {len(failing)} serious or critical violation(s) on {what} "
                         f"({page.viewport_size['width']}px wide):\n{_report(failing)}")


# --- the tests --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("check", CHECKS, ids=[check.name for check in CHECKS])
def test_page_has_no_serious_accessibility_violations(check, a11y_server, a11y_page, axe_source):
    ids = a11y_server[1]
    page = a11y_page(check.locale, login=check.login, viewport=check.viewport)
    url = check.path.format(**ids)
    response = page.goto(url)
    assert response is not None and response.status == check.status, f"{url} answered {response and response.status}"
    expect(page).to_have_url(re.compile(re.escape(url) + "$"))
    expect(page.locator("html")).to_have_attribute("lang", check.lang)
    assert_accessible(page, axe_source, f"{url} (browser in {check.locale}, page in {check.lang})")


def test_checkin_desk_on_a_phone_before_and_after_a_scan(a11y_server, a11y_page, axe_source):
    """The desk as check-in staff see it on a phone; then what its script adds: a scan's answer, the
    recent scans, a search's matches."""
    app = a11y_server[2]
    with app.app_context():
        delegate = db.session.scalar(
            sa.select(Delegate).where(Delegate.status == DelegateStatus.confirmed,
                                      ~sa.exists().where(CheckIn.delegate_id == Delegate.id))
            .order_by(Delegate.id))
        token, surname = badge_token(delegate), delegate.full_name.split()[0]
        db.session.remove()
    page = a11y_page(login="checkin", viewport=PHONE)
    page.goto(f"{FORUM}/checkin")
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    assert_accessible(page, axe_source, f"{FORUM}/checkin")

    field = page.locator("#scan-token")
    field.fill(token)
    field.press("Enter")
    expect(page.locator("#result .door-result")).to_have_attribute("data-result", "checked_in")
    expect(page.locator("#recent")).to_be_visible()
    assert_accessible(page, axe_source, "the check-in desk after a scan")

    page.locator("#search-q").fill(surname)
    page.locator("#search-q").press("Enter")
    expect(page.locator("#search-results li").first).to_be_visible()
    assert_accessible(page, axe_source, "the check-in desk's search results")


def test_axe_does_find_a_violation(a11y_page, axe_source):
    """The check itself works: an image without a text alternative is caught."""
    page = a11y_page()
    page.goto("/")
    page.evaluate("""() => {
        const image = document.createElement("img");
        image.src = "/static/img/logo.svg";
        document.querySelector("main").appendChild(image);
    }""")
    assert "image-alt" in [violation["id"] for violation in axe_violations(page, axe_source)]
