"""The Content-Security-Policy reaches the browser, and the conftest's watcher hears violations."""


def test_the_policy_blocks_inline_code_and_the_watcher_hears_it(chromium_page):
    page = chromium_page
    response = page.goto("/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.evaluate("""() => {
        const script = document.createElement("script");
        script.textContent = "window.inlineRan = true;";
        document.body.appendChild(script);
    }""")
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.inlineRan") is None  # the inline script never ran
    assert any("script-src" in text for text in page.csp_violations), page.csp_violations
    page.csp_violations.clear()  # heard as it should be: this test's own violation is not a failure
