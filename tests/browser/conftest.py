"""Browser tests: a live Asar server on a random port, and Debian's Chromium driven by Playwright.

* Every test in this folder is marked `browser` (deselect with `-m "not browser"`).
* The folder is skipped when Chromium is missing. It is looked for at /usr/bin/chromium,
  or wherever the ASAR_CHROMIUM environment variable points. Playwright never downloads
  a browser of its own: do not run `playwright install`.
* The server runs with CSRF protection ON, as a real user meets it, on a SQLite file
  under the test's tmp_path, so the server thread and the test see the same data.
* The fixtures are named `live_app`, `live_server`, `chromium_browser`, `chromium_page` and
  `new_chromium_page` (a second person: a page in a context of its own, cookies not shared),
  so they clash neither with the project's `browser` fixture (a test-client helper in
  tests/conftest.py) nor with pytest-playwright's `browser`/`context`/`page`.
* Every page listens for Content-Security-Policy violations (the console's "Content Security
  Policy" errors and `securitypolicyviolation` events); a test whose pages broke the policy fails
  at teardown, so a page that works only with inline scripts or styles is caught.
* When a test fails, a full-page screenshot and the page's HTML are saved to
  test-results/browser/ (git-ignored).
"""
import os
import re
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from app import create_app, demo
from app.extensions import db
from app.models import seed_regions
from config import TestConfig

HERE = Path(__file__).resolve().parent
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM = os.environ.get("ASAR_CHROMIUM") or DEFAULT_CHROMIUM
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT = {"width": 1280, "height": 900}
TIMEOUT_MS = 10_000
RESULTS_DIR = "test-results"

_REPORTS = pytest.StashKey[dict]()


def _why_not_runnable() -> str | None:
    """None when the browser tests can run; otherwise the reason to skip them."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return f"Chromium not found at {CHROMIUM}; install Debian's chromium package to run browser tests"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is missing; install the project with its [test] extra"
    return None


def _in_this_folder(item: pytest.Item) -> bool:
    try:
        return Path(item.path).resolve().is_relative_to(HERE)
    except (OSError, ValueError):
        return False


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    # This hook sees the whole session's items, not only this folder's. It runs before
    # pytest's own `-m` deselection, so `-m "not browser"` sees the marker added here.
    reason = _why_not_runnable()
    for item in items:
        if not _in_this_folder(item):
            continue
        item.add_marker(pytest.mark.browser)
        if reason:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so fixtures can tell whether the test failed."""
    outcome = yield
    report = outcome.get_result()
    item.stash.setdefault(_REPORTS, {})[report.when] = report


# --- the application ---------------------------------------------------------------------------

@contextmanager
def demo_app(folder: Path):
    """The Flask app with the demo forum loaded, on a SQLite file of its own in `folder`."""
    settings = {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'asar-browser.db'}",
        "WTF_CSRF_ENABLED": True,
        "RATELIMIT_ENABLED": False,
        "TESTING": True,
    }
    app = create_app(type("BrowserTestConfig", (TestConfig,), settings))
    with app.app_context():
        db.create_all()
        seed_regions()
        demo.load()
        db.session.remove()
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@contextmanager
def serving(app):
    """Serve `app` on 127.0.0.1 (a free port) in a daemon thread; yields the base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                              name="asar-live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture
def live_app(tmp_path):
    """The Flask app with the demo forum loaded, on a SQLite file of its own.

    The test may read the database through it: `with live_app.app_context(): ...`.
    """
    with demo_app(tmp_path) as app:
        yield app


@pytest.fixture
def live_server(live_app):
    """Serve `live_app` on 127.0.0.1 (a free port) in a daemon thread; yields the base URL."""
    with serving(live_app) as base_url:
        yield base_url


# --- the browser -------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def chromium_browser():
    """One headless Chromium for the whole session; each test gets a fresh context."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _new_page(chromium_browser, live_server, locale: str = "ru-RU"):
    """A page in a fresh context (no cookies), with relative URLs resolved against the live server."""
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context = chromium_browser.new_context(
        base_url=live_server,
        viewport=VIEWPORT,
        locale=locale,
        timezone_id="Asia/Almaty",
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    page.csp_violations = []
    page.on("console", lambda message: _record_csp_console(page, message))
    return page


# Reported through the console, so one listener (page.on("console")) hears both kinds of report.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", function (event) {
  console.error("Content Security Policy violation event: " + event.violatedDirective +
                " blocked " + (event.blockedURI || "inline") + " at " + event.sourceFile + ":" + event.lineNumber);
});
"""


def _record_csp_console(page, message) -> None:
    try:
        text = message.text
    except Exception:  # a message from a page already closing
        return
    if "Content Security Policy" in text:
        page.csp_violations.append(f"{page.url}: {text}")


def _assert_no_csp_violations(pages) -> None:
    violations = [text for page in pages for text in getattr(page, "csp_violations", [])]
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)


def _test_failed(request) -> bool:
    reports = request.node.stash.get(_REPORTS, {})
    return any(report.failed for report in reports.values())


@pytest.fixture
def chromium_page(chromium_browser, live_server, request):
    """A page in a fresh context (no cookies), with relative URLs resolved against the live server.

    The browser asks for Russian first, as most readers' browsers in Kazakhstan do.
    """
    page = _new_page(chromium_browser, live_server)
    try:
        yield page
    finally:
        try:
            if _test_failed(request):
                _save_evidence(page, request)
        finally:
            page.context.close()
    _assert_no_csp_violations([page])


@pytest.fixture
def new_chromium_page(chromium_browser, live_server, request):
    """Opens a page for another person: `new_chromium_page()` (or `new_chromium_page(locale="kk-KZ")`).

    Each call makes a fresh context (cookies of its own), set up as `chromium_page`'s. When the
    test fails, every page opened this way is saved too (suffixed -page2, -page3, …).
    """
    pages = []

    def open_page(locale: str = "ru-RU"):
        page = _new_page(chromium_browser, live_server, locale)
        pages.append(page)
        return page

    try:
        yield open_page
    finally:
        failed = _test_failed(request)
        for number, page in enumerate(pages, start=2):
            try:
                if failed:
                    _save_evidence(page, request, suffix=f"-page{number}")
            finally:
                page.context.close()
    _assert_no_csp_violations(pages)


def _save_evidence(page, request, suffix: str = "") -> None:
    folder = Path(request.config.rootpath) / RESULTS_DIR / "browser"
    folder.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^\w.-]+", "_", request.node.nodeid).strip("_")[:150] + suffix
    try:
        page.screenshot(path=str(folder / f"{stem}.png"), full_page=True)
        (folder / f"{stem}.html").write_text(page.content(), encoding="utf-8")
    except Exception as exc:  # a dead page must not hide the test's own failure
        print(f"could not save the failed page: {exc!r}")
    else:
        print(f"failed page saved: {folder / stem}.png (.html) at {page.url}")
