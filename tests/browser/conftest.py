"""End-to-end tests in Debian's Chromium, driven by Playwright against a live server.

Screenshots land in test-output/ at the project root, kept with the test output.
Without /usr/bin/chromium the tests are skipped with a clear reason (`.ci/run` installs it).
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
OUTPUT = Path(__file__).resolve().parents[2] / "test-output"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.skip("Debian's chromium is not installed (apt install chromium)")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made
    # by the test itself are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        )  # fmt: skip
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


class Page:
    """A browser tab with the helpers our tests need."""

    def __init__(self, page, base_url, name):
        self.page = page
        self.base_url = base_url
        self.name = name
        self.console_errors = []
        page.on("console", lambda msg: self.console_errors.append(msg.text) if msg.type == "error" else None)

    def goto(self, path):
        self.page.goto(self.base_url + path)
        self.page.wait_for_load_state("networkidle")

    def screenshot(self, label):
        OUTPUT.mkdir(exist_ok=True)
        path = OUTPUT / f"{self.name}-{label}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def sign_in(self, email, password, totp_secret=None):
        self.goto("/compte/login/")
        self.page.fill("input[name=login]", email)
        self.page.fill("input[name=password]", password)
        self.page.click("form button[type=submit]")
        self.page.wait_for_load_state("networkidle")
        if totp_secret and "/2fa/" in self.page.url:
            import pyotp

            self.page.fill("input[name=code]", pyotp.TOTP(totp_secret).now())
            self.page.click("form button[type=submit]")
            self.page.wait_for_load_state("networkidle")


def _page(browser, live_server, request, viewport):
    context = browser.new_context(viewport=viewport, locale="fr-FR")
    page = Page(context.new_page(), live_server.url, request.node.name)
    yield page
    context.close()
    csp = [e for e in page.console_errors if "Content Security Policy" in e]
    assert not csp, f"the page broke the content security policy: {csp}"


@pytest.fixture
def desktop(browser, live_server, request):
    yield from _page(browser, live_server, request, DESKTOP)


@pytest.fixture
def phone(browser, live_server, request):
    yield from _page(browser, live_server, request, PHONE)
