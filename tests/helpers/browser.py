"""Small steps the browser journeys share: the demo's logins and logging in through the form."""
import re

from app.demo import DEMO_LOGINS

# The first demo login of each role: {"organizer": (email, password), "ngo": …, "business": …}
LOGINS = {}
for _role, _email, _password in DEMO_LOGINS:
    LOGINS.setdefault(_role, (_email, _password))


def log_in(page, email: str, password: str) -> None:
    """Log in through the form, as a person would, and wait until the app has let them in."""
    from playwright.sync_api import expect

    page.goto("/auth/login")
    form = page.locator('main form[method="post"]')
    form.locator("#email").fill(email)
    form.locator("#password").fill(password)
    form.locator("#submit").click()
    expect(page).not_to_have_url(re.compile(r"/auth/login"))
