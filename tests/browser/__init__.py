"""Browser tests: a real Chromium (Debian's, driven by Playwright) against a live Asar server."""
