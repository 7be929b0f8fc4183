"""Layout defects a walk through the site found: the page must show what its markup says."""

from tests.accounts.factories import PASSWORD, TOTP_SECRET
from tests.browser.conftest import DESKTOP, PHONE

# A design-system button with an icon shows its text only when its group says where the
# icon goes; otherwise the text is clipped away and the button is a bare icon.
CLIPPED_BUTTONS = """
() => [...document.querySelectorAll('main .fr-btn')]
  .filter(b => b.offsetParent !== null && b.textContent.trim() && b.scrollWidth > b.clientWidth + 1)
  .map(b => b.textContent.trim())
"""


def test_campaign_buttons_show_their_text(desktop, curator):
    # One sign-in: a second one would need a new two-factor code, 30 seconds later.
    desktop.sign_in(curator.email, PASSWORD, totp_secret=TOTP_SECRET)
    for viewport in (DESKTOP, PHONE):
        desktop.page.set_viewport_size(viewport)
        desktop.goto("/campagnes/")
        assert desktop.page.get_by_role("link", name="Nouvelle annonce").is_visible()
        assert desktop.page.evaluate(CLIPPED_BUTTONS) == []
        desktop.screenshot(f"campaigns-{viewport['width']}")
