"""An ambassador on a phone shares a kit to X, follows their own tracked link, and sees
the click in "Mon impact" once the buffer has drained."""

import contextlib
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError

from advocacy.sharing import buffer, services
from advocacy.sharing.models import Share
from tests.accounts.factories import PASSWORD
from tests.browser.conftest import PHONE, Page
from tests.sharing.factories import live_kit

# Headless Chromium says so in its user agent, which the click counter rightly files as a
# robot; this test plays a person on a phone.
PHONE_AGENT = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/129.0.0.0 Mobile Safari/537.36"
)


@pytest.fixture
def phone_person(browser, live_server, request, settings, tmp_path):
    settings.SITE_URL = live_server.url
    settings.CLICK_BUFFER = "file"
    settings.CLICK_BUFFER_DIR = str(tmp_path / "clicks")
    context = browser.new_context(viewport=PHONE, locale="fr-FR", user_agent=PHONE_AGENT)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    # The network is closed in tests, and Playwright cannot answer a request reached by a
    # redirect: every address the browser asks for is recorded instead, so the test reads
    # where each tab went even when the outside site does not answer.
    requested = []
    context.on("request", lambda req: requested.append(req.url))
    page = Page(context.new_page(), live_server.url, request.node.name)
    page.requested = requested
    yield page
    context.close()
    csp = [e for e in page.console_errors if "Content Security Policy" in e]
    assert not csp, f"the page broke the content security policy: {csp}"


def test_ambassador_shares_to_x_and_sees_the_click(phone_person, ambassador):
    kit = live_kit(
        title="Les jeunes trouvent un emploi à Rennes",
        texts=[{"body": "200 jeunes accompagnés vers l’emploi à Rennes cette année #AvecPôleEmploi", "networks": []}],
    )
    page = phone_person.page
    phone_person.sign_in(ambassador.email, PASSWORD)

    phone_person.goto("/partager/")
    phone_person.screenshot("1-feed")
    page.click(f"text={kit.title}")
    page.wait_for_load_state("networkidle")
    page.click("text=Partir de ce texte")
    page.fill("#share-text", "Fière de mon équipe : 200 jeunes accompagnés vers l’emploi à Rennes ! #AvecPôleEmploi")
    page.wait_for_selector("#checks .app-checks")
    phone_person.screenshot("2-share")

    with page.context.expect_page() as opened:
        page.click("button[value=x]")
    tab = opened.value
    tab.wait_for_event("requestfailed", predicate=lambda req: "x.com" in req.url, timeout=15000)
    share = Share.objects.get(ambassador=ambassador, channel="x")
    opened_url = next(url for url in phone_person.requested if url.startswith("https://x.com/"))
    parts = urlsplit(opened_url)
    assert (parts.netloc, parts.path) == ("x.com", "/intent/post")
    query = parse_qs(parts.query)
    assert query["url"] == [share.link.public_url]
    assert query["text"][0].startswith("Fière de mon équipe")
    tab.close()

    # LinkedIn takes the link only: the text goes to the clipboard first.
    with page.context.expect_page() as opened:
        page.click("button[value=linkedin]")
    opened.value.wait_for_event("requestfailed", predicate=lambda req: "linkedin.com" in req.url, timeout=15000)
    linkedin = Share.objects.get(ambassador=ambassador, channel="linkedin")
    assert f"https://www.linkedin.com/sharing/share-offsite/?url={quote(linkedin.link.public_url, safe='')}" in (
        phone_person.requested
    )
    assert page.evaluate("navigator.clipboard.readText()").startswith("Fière de mon équipe")
    opened.value.close()

    # The ambassador follows their own tracked link, as a reader of their post would.
    reader = page.context.new_page()
    with contextlib.suppress(PlaywrightError):  # the kit's site is out of reach in tests
        reader.goto(share.link.public_url)
    reader.close()
    destination = [url for url in phone_person.requested if url.startswith("https://www.francetravail.fr/")]
    assert destination == [
        f"https://www.francetravail.fr/actualites/un-article?utm_source=x&utm_medium=ambassadeur&utm_campaign={kit.slug}"
    ]
    assert buffer.drain(services.clicks_store) == 1

    phone_person.goto("/mon-impact/")
    assert page.inner_text("#figure-clicks") == "1"
    assert sorted(page.locator(".app-share-clicks").all_inner_texts()) == ["0", "1"]  # X, then LinkedIn
    phone_person.screenshot("3-impact")


def test_a_text_too_long_for_x_still_goes_to_linkedin(phone_person, ambassador):
    from content.models import GuidelineRule

    GuidelineRule.objects.create(
        kind=GuidelineRule.Kind.LENGTH, severity=GuidelineRule.Severity.BLOCKING, explanation="Trop long."
    )
    kit = live_kit(title="Un long récit d’agence")
    page = phone_person.page
    phone_person.sign_in(ambassador.email, PASSWORD)
    phone_person.goto(f"/partager/{kit.slug}/")
    page.fill("#share-text", "Une matinée de plus à l’agence avec les recruteurs du bassin. " * 6)
    page.wait_for_selector("#checks [data-blocked='x bluesky']")
    assert page.is_disabled("button[value=x]") and page.is_disabled("button[value=bluesky]")
    assert page.is_enabled("button[value=linkedin]") and page.is_enabled("button[value=email]")
    phone_person.screenshot("long-text")


def test_the_chosen_theme_looks_chosen(phone_person, ambassador):
    from tests.content.factories import topic

    youth = topic("Jeunes")
    live_kit(title="Kit jeunes", topics=[youth])
    topic("Formation")
    page = phone_person.page
    phone_person.sign_in(ambassador.email, PASSWORD)
    phone_person.goto(f"/partager/?theme={youth.slug}")
    background = "el => getComputedStyle(el).backgroundColor"
    chosen = page.locator(".fr-tag[aria-current=page]")
    assert chosen.inner_text() == "Jeunes"
    assert chosen.evaluate(background) != page.locator(".fr-tag", has_text="Formation").evaluate(background)
    phone_person.screenshot("theme")
