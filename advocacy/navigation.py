"""The site's menu and home page tiles, contributed by each app and filtered by role.

Apps register their entries from AppConfig.ready(), so the base layout never needs to
know which features exist and a person only sees links to pages they may open.
"""

import functools
from dataclasses import dataclass

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

from accounts.access import Decision, Role, Rule, rule_for


@dataclass(frozen=True)
class Entry:
    label: str
    url_name: str
    rule: Rule
    order: int = 100
    description: str = ""
    icon: str = "fr-icon-arrow-right-line"
    in_menu: bool = True
    on_home: bool = True

    @property
    def url(self) -> str:
        return _url(self.url_name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


@functools.lru_cache(maxsize=256)
def _url(url_name: str, script_prefix: str, urlconf: str) -> str:
    """Menu addresses take no argument, so each is reversed once per process (and per
    URL configuration and prefix, which tests may change), not on every page."""
    return reverse(url_name, urlconf=urlconf)


ENTRIES: list[Entry] = []


def register(label, url_name, *, roles: tuple[Role, ...] | None = None, **kwargs) -> None:
    rule = rule_for(*roles) if roles else Rule()
    ENTRIES.append(Entry(label=label, url_name=url_name, rule=rule, **kwargs))


def entries_for(user, *, where: str) -> list[Entry]:
    allowed = []
    # Entries share a handful of rules: each is decided once.
    decisions = {}
    for entry in sorted(ENTRIES, key=lambda e: e.order):
        if (where == "menu" and not entry.in_menu) or (where == "home" and not entry.on_home):
            continue
        decision = decisions.get(entry.rule)
        if decision is None:
            decision = decisions[entry.rule] = entry.rule.decide(user)
        # Pages waiting for MFA are still shown: the page then explains how to turn it on.
        if decision in (Decision.ALLOW, Decision.SET_UP_MFA):
            allowed.append(entry)
    return allowed
