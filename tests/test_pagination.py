"""The site's one pagination: DSFR markup, accessible, filters kept, used by every list."""

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.core.paginator import Paginator
from django.template import Context, Template
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", "var", "staticfiles", "node_modules"}


def _render(rf, number, *, query="", anchor="", pages=10):
    page = Paginator(range(pages * 5), 5).get_page(number)
    template = Template("{% load app_tags %}{% pagination page anchor %}")
    html = template.render(Context({"request": rf.get(f"/liste/?{query}"), "page": page, "anchor": anchor}))
    return BeautifulSoup(html, "html.parser")


def test_the_pagination_is_a_dsfr_nav_that_names_itself(rf):
    nav = _render(rf, 3).select_one("nav")
    assert nav["class"] == ["fr-pagination", "fr-mt-3w"] and nav["aria-label"] == "Pagination"
    labels = [a.get_text(strip=True) for a in nav.select("a")]
    assert labels[:2] == ["Première page", "Page précédente"] and labels[-2:] == ["Page suivante", "Dernière page"]


def test_the_current_page_is_marked_and_is_not_a_link(rf):
    current = _render(rf, 3).select('[aria-current="page"]')
    assert len(current) == 1
    assert current[0].get_text() == "3" and current[0]["title"] == "Page 3" and not current[0].has_attr("href")


def test_on_the_first_page_first_and_previous_are_disabled(rf):
    soup = _render(rf, 1)
    for css in (".fr-pagination__link--first", ".fr-pagination__link--prev"):
        link = soup.select_one(css)
        assert not link.has_attr("href") and link["aria-disabled"] == "true" and link["role"] == "link"
    assert soup.select_one(".fr-pagination__link--last")["href"] == "?page=10"


def test_the_links_keep_the_filters_and_the_anchor(rf):
    soup = _render(rf, 2, query="statut=published&vue=mine&page=2", anchor="#liste")
    assert soup.select_one(".fr-pagination__link--next")["href"] == "?statut=published&vue=mine&page=3#liste"
    assert soup.select_one(".fr-pagination__link--first")["href"] == "?statut=published&vue=mine&page=1#liste"


def test_far_pages_are_elided_and_only_the_neighbours_shown_on_a_phone(rf):
    soup = _render(rf, 5, pages=20)
    items = [li.get_text(strip=True) for li in soup.select("li")][2:-2]
    assert items == ["1", "…", "4", "5", "6", "…", "20"]
    on_a_phone = [li.get_text(strip=True) for li in soup.select("li") if "fr-displayed-lg" not in li.get("class", [])]
    assert on_a_phone[2:-2] == ["4", "5", "6"]


def test_a_list_of_one_page_has_no_pagination(rf):
    assert _render(rf, 1, pages=1).select_one("nav") is None


def _templates():
    for path in sorted(ROOT.glob("**/templates/**/*.html")):
        if not SKIP & set(path.relative_to(ROOT).parts):
            yield path


@pytest.mark.parametrize("path", list(_templates()), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_list_uses_the_one_pagination(path):
    if path.relative_to(ROOT) == Path("templates/includes/pagination.html"):
        return
    text = path.read_text()
    assert "fr-pagination" not in text and "dsfr_pagination" not in text and "_pagination.html" not in text


def test_the_feed_keeps_its_theme_from_page_to_page(client, ambassador):
    from advocacy.sharing.views import FEED_PAGE_SIZE
    from tests.content.factories import topic
    from tests.sharing.factories import live_kit

    youth = topic("Jeunes")
    for n in range(FEED_PAGE_SIZE + 1):
        live_kit(title=f"Kit {n}", topics=[youth])
    client.force_login(ambassador)
    soup = BeautifulSoup(client.get(reverse("sharing:feed"), {"theme": youth.slug}).content, "html.parser")
    next_page = soup.select_one(".fr-pagination__link--next")["href"]
    assert next_page == f"?theme={youth.slug}&page=2"
    soup = BeautifulSoup(client.get(reverse("sharing:feed") + next_page).content, "html.parser")
    assert len(soup.select(".app-feed .fr-card")) == 1
    assert soup.select_one('.fr-pagination [aria-current="page"]').get_text() == "2"
