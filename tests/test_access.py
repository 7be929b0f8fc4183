"""Every role against every URL: allowed roles get through, others are turned away.

The table lives in tests/<app>/access_rows.py. A URL of ours without a row fails
`test_every_url_has_a_row`, so a new page cannot ship without its access decided.
"""

import importlib
import pkgutil
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

import tests
from tests.access import PRIVILEGED, ROLES, Row

# URL names that belong to libraries and are guarded by them (allauth's own sign-in
# flow, which must be reachable signed out; the Django admin, guarded by has_permission
# which the access layer provides; the OpenAPI schema and docs, public by design).
THIRD_PARTY_PREFIXES = (
    "account_", "socialaccount_", "mfa_", "usersessions_", "openid_connect_", "headless_",
    "admin:", "api_schema", "api_docs", "django.", "rest_framework:",
)  # fmt: skip


def _row_modules():
    # Every tests/<app>/access_rows*.py, so two engineers of one app can each own a file
    # (reach: access_rows.py for collection, access_rows_reports.py for the reports).
    root = Path(tests.__file__).parent
    for info in pkgutil.iter_modules([str(root)]):
        if info.ispkg:
            for path in sorted((root / info.name).glob("access_rows*.py")):
                yield importlib.import_module(f"tests.{info.name}.{path.stem}")


MODULES = list(_row_modules())
ROWS: list[Row] = [row for module in MODULES for row in module.ROWS]


def _url_names(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{pattern.namespace}:" if pattern.namespace else ""
            yield from _url_names(pattern.url_patterns, prefix + namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield prefix + pattern.name, pattern.callback


def test_every_url_has_a_row():
    covered = {row.name for row in ROWS}
    missing = sorted(
        name
        for name, _cb in _url_names(get_resolver().url_patterns)
        if name not in covered and not name.startswith(THIRD_PARTY_PREFIXES)
    )
    assert not missing, f"URLs without a row in tests/<app>/access_rows.py: {missing}"


def test_every_view_of_ours_declares_an_access_rule():
    undeclared = []
    for name, callback in _url_names(get_resolver().url_patterns):
        if name.startswith(THIRD_PARTY_PREFIXES):
            continue
        view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
        if getattr(callback, "access_rule", None) is None and getattr(view_class, "access_rule", None) is None:
            undeclared.append(name)
    assert not undeclared, f"views without an access rule: {undeclared}"


@pytest.fixture
def ctx(db, org, charter, people):
    context = {"org": org, "charter": charter, "people": people}
    for module in MODULES:
        if hasattr(module, "build_context"):
            module.build_context(context)
    return context


def _request(client, row, url, data):
    method = getattr(client, row.method)
    if row.api:
        return method(url, data=data, format="json") if row.method != "get" else method(url, data)
    if row.method == "get":
        return method(url, data, follow=row.follow)
    return method(url, data or {}, follow=row.follow)


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.method}:{r.name}")
def test_role_access(row, ctx):
    from rest_framework.test import APIClient

    url, data = row.resolve(ctx)
    for role in ROLES:
        client = APIClient()
        user = ctx["people"][role]
        if user is not None:
            client.force_login(user)
        response = _request(client, row, url, data)
        status = response.status_code
        location = response.get("Location", "")
        if row.follow and getattr(response, "redirect_chain", None):
            location = " ".join(hop for hop, _code in response.redirect_chain)
            status = 302 if status == 200 and "/compte/login/" in location else status
        where = f"{role} {row.method.upper()} {url} -> {status} {location}"
        if role in row.allowed:
            assert status not in (401, 403), where
            assert "/compte/login/" not in location and "double-authentification" not in location, where
        elif role == "anonymous":
            if row.api:
                assert status == 401, where
            else:
                assert status == 302 and "/compte/login/" in location, where
        else:
            assert status == 403, where


PRIVILEGED_ONLY = [row for row in ROWS if row.allowed and row.allowed <= PRIVILEGED]


@pytest.mark.parametrize("row", PRIVILEGED_ONLY, ids=lambda r: f"{r.method}:{r.name}")
def test_privileged_pages_need_mfa(row, ctx, org):
    """Curators, moderators and admins without MFA reach no privileged page or endpoint."""
    from rest_framework.test import APIClient

    from tests.accounts.factories import UserFactory

    url, data = row.resolve(ctx)
    for role in sorted(row.allowed):
        trait = {"curator": "curator", "moderator": "moderator", "admin": "admin"}[role]
        user = UserFactory(unit=org["dg"], with_mfa=False, **{trait: True})
        client = APIClient()
        client.force_login(user)
        response = _request(client, row, url, data)
        where = f"{role} without MFA {row.method.upper()} {url} -> {response.status_code}"
        if row.api:
            assert response.status_code == 403, where
            assert response.json()["error"]["code"] == "mfa_required", where
        elif row.follow:
            hops = " ".join(hop for hop, _code in response.redirect_chain)
            assert "/securite/double-authentification/" in hops, where
        else:
            assert response.status_code == 302, where
            assert response["Location"] == "/securite/double-authentification/", where


def test_menu_marks_only_the_most_specific_entry_as_current(client, curator):
    client.force_login(curator)
    page = client.get("/contenus/calendrier/").content.decode()
    current = [line for line in page.splitlines() if 'aria-current="page"' in line and "fr-nav__link" in line]
    assert len(current) == 1
    assert "/contenus/calendrier/" in current[0]
