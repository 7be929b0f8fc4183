"""The curators' and moderators' workspace in a real browser: the four-eyes path from a
draft to the calendar, and every page of the workspace on a desktop and a phone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from content import workflow
from content.models import GuidelineRule, Kit
from tests.accounts.factories import PASSWORD, TOTP_SECRET
from tests.content.factories import LINK, allow_default_domains, make_kit, topic

S = Kit.Status


def test_curator_drafts_fixes_a_blocking_term_and_a_moderator_schedules_it(browser, live_server, curator, moderator):
    allow_default_domains()
    # Seeded by a data migration, but a live-server test starts from flushed tables.
    GuidelineRule.objects.get_or_create(
        kind=GuidelineRule.Kind.TERM,
        pattern="préféré",
        defaults={
            "severity": GuidelineRule.Severity.BLOCKING,
            "explanation": "L’autocongratulation a déjà coûté cher (#TweeteCommePoleEmploi, 2013).",
            "suggestion": "Parlez de ce que le site permet de faire.",
        },
    )
    from tests.browser.conftest import DESKTOP, Page

    context = browser.new_context(viewport=DESKTOP, locale="fr-FR")
    page = Page(context.new_page(), live_server.url, "kits-four-eyes")
    page.sign_in(curator.email, PASSWORD, TOTP_SECRET)
    page.goto("/contenus/nouveau/")
    p = page.page
    p.fill("input[name=title]", "Le site de l’emploi")
    p.fill("input[name=link]", LINK)
    p.fill(
        "textarea[name=texts-0-body]", "Découvrez le site préféré des Français pour trouver un emploi #AvecPôleEmploi"
    )
    publish_at = timezone.localtime(timezone.now() + timedelta(days=7)).replace(hour=10, minute=0)
    p.fill("input[name=publish_at]", publish_at.strftime("%Y-%m-%dT%H:%M"))
    # The blocking finding shows while typing, before anything is saved.
    p.wait_for_selector("#kit-findings mark.app-mark--blocking")
    page.screenshot("1-draft-with-blocking-term")
    p.click("button[name=submit]")
    p.wait_for_load_state("networkidle")
    assert "préféré" in p.content() and "pas soumis" in p.content()
    page.screenshot("2-blocking-finding")
    kit = Kit.objects.get()
    assert kit.status == S.DRAFT

    p.fill("textarea[name=texts-0-body]", "Offres, ateliers, conseils : tout pour trouver un emploi #AvecPôleEmploi")
    p.click("button[name=submit]")
    p.wait_for_load_state("networkidle")
    assert "Kit enregistré et soumis à relecture." in p.content()
    kit.refresh_from_db()
    assert kit.status == S.SUBMITTED

    # The curator cannot approve: no approval button for them.
    assert p.locator("form[action$='/approuver/']").count() == 0
    page.screenshot("3-submitted-curator-view")
    context.close()

    context = browser.new_context(viewport=DESKTOP, locale="fr-FR")
    page = Page(context.new_page(), live_server.url, "kits-four-eyes")
    page.sign_in(moderator.email, PASSWORD, TOTP_SECRET)
    page.goto("/contenus/moderation/")
    p = page.page
    assert "Le site de l’emploi" in p.content()
    p.click("text=Le site de l’emploi")
    p.wait_for_load_state("networkidle")
    p.fill("textarea[name=approve-comment]", "Bien reformulé.")
    p.click("form[action$='/approuver/'] button")
    p.wait_for_load_state("networkidle")
    kit.refresh_from_db()
    assert kit.status == S.APPROVED and kit.approved_by == moderator
    page.goto(f"/contenus/calendrier/?mois={publish_at:%Y-%m}")
    assert "Le site de l’emploi" in p.content()
    assert p.locator("li:has-text('Le site de l’emploi') >> text=Programmé").count() == 1
    page.screenshot("4-calendar")
    context.close()


@pytest.fixture
def workspace(org, curator, moderator):
    """A library with kits in most statuses, and one kit with history and versions."""
    allow_default_domains()
    theme = topic("Emploi des jeunes")
    soon = timezone.now() + timedelta(days=3)
    kit = make_kit(
        author=curator,
        title="Semaine de l’emploi des jeunes en Bretagne",
        brief="<p>Une semaine d’ateliers et de rencontres.</p><ul><li>42 agences</li></ul>",
        topics=[theme],
        texts=[
            {"body": "Cette semaine, nos agences accueillent les jeunes. #AvecPôleEmploi", "networks": []},
            {"body": "Vous avez moins de 26 ans ? Venez ! #AvecPôleEmploi #EmploiJeunes", "networks": ["x", "bluesky"]},
        ],
        hashtags=["AvecPôleEmploi", "EmploiJeunes"],
        is_important=True,
    )
    workflow.kit_update(kit=kit, by=curator, title="Semaine de l’emploi des jeunes", target_units=[org["dr-bre"]])
    workflow.kit_submit(kit=kit, by=curator)
    workflow.kit_request_changes(kit=kit, by=moderator, comment="Précisez les dates, s’il vous plaît.")
    workflow.kit_update(kit=kit, by=curator, publish_at=soon)
    workflow.kit_submit(kit=kit, by=curator)
    for status in (S.DRAFT, S.SUBMITTED, S.PUBLISHED, S.RETRACTED):
        make_kit(author=curator, approver=moderator, status=status, title=f"Kit {Kit.Status(status).label.lower()}")
    make_kit(author=curator, approver=moderator, status=S.APPROVED, title="Kit programmé", publish_at=soon)
    return kit


def _signed_in(browser, live_server, name, viewport, user):
    from tests.browser.conftest import Page

    context = browser.new_context(viewport=viewport, locale="fr-FR")
    view = Page(context.new_page(), live_server.url, name)
    view.sign_in(user.email, PASSWORD, TOTP_SECRET)
    return view


def _close(view):
    view.page.context.close()
    csp = [e for e in view.console_errors if "Content Security Policy" in e]
    assert not csp, f"the page broke the content security policy: {csp}"


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_every_workspace_page_renders(browser, live_server, device, workspace, curator, moderator):
    from tests.browser.conftest import DESKTOP, PHONE

    viewport = DESKTOP if device == "desktop" else PHONE
    view = _signed_in(browser, live_server, "kits", viewport, moderator)
    for label, path in (
        ("library", "/contenus/"),
        ("queue", "/contenus/moderation/"),
        ("calendar", "/contenus/calendrier/"),
        ("kit", f"/contenus/{workspace.pk}/"),
        ("versions", f"/contenus/{workspace.pk}/versions/?de=1&a=2"),
    ):
        view.goto(path)
        assert view.page.locator("h1").count() == 1, label
        view.screenshot(f"{device}-{label}")
    _close(view)

    view = _signed_in(browser, live_server, "kits", viewport, curator)
    view.goto(f"/contenus/{workspace.pk}/modifier/")
    view.page.wait_for_selector(".app-network-card")
    view.screenshot(f"{device}-editor")
    view.goto("/contenus/nouveau/")
    # The preview follows the typing (htmx, keyup with a delay), card per network.
    view.page.type("textarea[name=texts-0-body]", "Venez nous voir #AvecPôleEmploi")
    view.page.wait_for_selector(".app-network-card--mastodon:has-text('Venez nous voir')")
    assert view.page.locator(".app-network-card").count() == 6
    # Adding a text clones an empty row without leaving the page.
    view.page.click("button[data-formset-add=texts]")
    assert view.page.locator("textarea[name=texts-1-body]").count() == 1
    view.page.fill("#id_target_units-filter", "occitanie")
    view.page.wait_for_timeout(200)
    assert view.page.locator("details[data-unit-region]:visible").count() == 1
    view.screenshot(f"{device}-new-kit-unit-filter")
    _close(view)
