"""French by default; the English catalogues are complete and up to date."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", "var", "staticfiles", "node_modules"}
CATALOGUES = sorted(
    p for p in ROOT.glob("**/locale/en/LC_MESSAGES/django.po") if not SKIP & set(p.relative_to(ROOT).parts)
)


def test_there_is_a_catalogue_per_app():
    found = {str(p.relative_to(ROOT)).split("/locale/")[0] for p in CATALOGUES}
    assert {
        "accounts",
        "content",
        "advocacy/sharing",
        "advocacy/reach",
        "advocacy/campaigns",
    } <= found
    assert (ROOT / "locale/en/LC_MESSAGES/django.po").exists()


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_english_catalogue_is_complete(path):
    po = polib.pofile(str(path))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"untranslated in {path}: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy in {path}: {fuzzy[:10]}"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_compiled_catalogue_matches_its_source(path):
    mo_path = path.with_suffix(".mo")
    assert mo_path.exists(), f"run `make messages` to compile {path}"
    po = {e.msgid: e.msgstr or e.msgstr_plural for e in polib.pofile(str(path)) if e.translated()}
    mo = {e.msgid: e.msgstr or e.msgstr_plural for e in polib.mofile(str(mo_path))}
    assert po == mo, f"{mo_path} is stale: run `make messages`"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_catalogues_hold_every_string_marked_for_translation(tmp_path):
    """Extract the strings again in a copy of the project: nothing new may appear."""
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT, copy, ignore=shutil.ignore_patterns(*SKIP, "__pycache__", "*.mo", ".git", "test-output", "*.sqlite3*")
    )
    (copy / "var").mkdir(exist_ok=True)
    python = Path(sys.executable)
    make = ["make", "-s", "messages", f"PY={python}", f"VENV={python.parent.parent}"]
    result = subprocess.run(make, cwd=copy, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    stale = []
    for original in CATALOGUES:
        fresh = copy / original.relative_to(ROOT)
        wanted = {e.msgid for e in polib.pofile(str(fresh))}
        have = {e.msgid for e in polib.pofile(str(original))}
        if wanted - have:
            stale.append((str(original.relative_to(ROOT)), sorted(wanted - have)[:5]))
    assert not stale, f"run `make messages` and translate: {stale}"


def test_pages_default_to_french(client, db):
    response = client.get("/")
    assert '<html lang="fr"' in response.content.decode()
    assert "Se connecter" in response.content.decode()


def test_pages_speak_english_when_asked(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert '<html lang="en"' in body
    assert "Sign in" in body and "Se connecter" not in body


def test_templates_never_print_a_title_cased_month():
    """Django's "M" prints "Déc" for décembre: French writes its months in lower case."""
    import re

    offenders = []
    for template in ROOT.glob("**/templates/**/*.html"):
        if SKIP & set(template.relative_to(ROOT).parts):
            continue
        for fmt in re.findall(r"""\|date:(?:"([^"]*)"|'([^']*)')""", template.read_text()):
            if "M" in "".join(fmt).replace("\\M", ""):
                offenders.append(f"{template.relative_to(ROOT)}: {''.join(fmt)}")
    assert not offenders, offenders


def test_the_french_catalogue_holds_every_plural_string_under_the_french_rule():
    """French writes "0 message": the plural starts at 2 (see locale/french_plurals.py)."""
    french = polib.pofile(str(ROOT / "locale/fr/LC_MESSAGES/django.po"))
    assert french.metadata["Plural-Forms"] == "nplurals=2; plural=(n > 1);"
    have = {(e.msgctxt, e.msgid) for e in french if e.translated()}
    wanted = {(e.msgctxt, e.msgid) for path in CATALOGUES for e in polib.pofile(str(path)) if e.msgid_plural}
    assert wanted and wanted <= have, f"run `make messages`: {sorted(wanted - have)[:5]}"
    mo = {e.msgid: e.msgstr_plural for e in polib.mofile(str(ROOT / "locale/fr/LC_MESSAGES/django.mo"))}
    assert mo == {e.msgid: e.msgstr_plural for e in french if e.translated()}, "run `make messages`"


@pytest.mark.parametrize(
    ("count", "french", "english"), [(0, "0 kit", "0 kits"), (1, "1 kit", "1 kit"), (2, "2 kits", "2 kits")]
)
def test_counts_agree_in_french_from_zero(count, french, english):
    from django.template import Context, Template
    from django.utils import translation

    template = Template(
        "{% load i18n %}{% blocktranslate count counter=n %}{{ counter }} kit{% plural %}"
        "{{ counter }} kits{% endblocktranslate %}"
    )
    with translation.override("fr"):
        assert template.render(Context({"n": count})) == french
    with translation.override("en"):
        assert template.render(Context({"n": count})) == english


def test_allauth_pages_write_the_sites_apostrophe(client, db):
    # django-allauth's French writes "n'avez"; the project catalogue corrects it
    # (locale/french_plurals.py).
    body = client.get(reverse("account_login")).content.decode()
    assert "Si vous n’avez pas encore créé de compte" in body
    assert "n'avez" not in body


def test_optional_fields_say_facultatif_in_french(client, ambassador):
    client.force_login(ambassador)
    body = client.get(reverse("guidelines_check")).content.decode()
    assert "Réseau\xa0(facultatif)" in body or "Réseau (facultatif)" in body
    assert "(Optionnel)" not in body and "(Optional)" not in body


def _french_plurals():
    sys.path.insert(0, str(ROOT / "locale"))
    try:
        import french_plurals
    finally:
        sys.path.remove(str(ROOT / "locale"))
    return french_plurals


def test_every_installed_apps_french_is_corrected():
    # An app added to INSTALLED_APPS with a French catalogue of its own (as Django's contrib
    # apps have) is read by locale/french_plurals.py too, else its apostrophes stay straight.
    from django.apps import apps

    read = {package for package, _ in _french_plurals().LIBRARY_CATALOGUES}
    french = {
        app.name
        for app in apps.get_app_configs()
        if list((Path(app.path) / "locale/fr/LC_MESSAGES").glob("django.*o"))
        and not Path(app.path).is_relative_to(ROOT)
    }
    assert french <= read, french - read


def test_the_admin_writes_the_sites_apostrophe(client, admin_user):
    client.force_login(admin_user)
    body = client.get(reverse("admin:accounts_orgunit_changelist")).content.decode()
    assert 'aria-label="Fil d’Ariane"' in body and "d'Ariane" not in body


def test_the_admins_scripts_write_the_sites_apostrophe(client, admin_user):
    # The admin's JavaScript catalogue (its calendar's « Aujourd’hui », the warnings of
    # its actions) comes from locale/fr/LC_MESSAGES/djangojs.po after the admin's own.
    client.force_login(admin_user)
    body = client.get(reverse("admin:jsi18n"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert r'"Today": "Aujourd\u2019hui"' in body  # JSON writes ’ escaped
    assert "n'avez" not in body and "l'heure" not in body and "Aujourd'hui" not in body


def test_the_libraries_french_writes_the_sites_apostrophe():
    # Every French message of Django's contrib apps (the admin's pages among them),
    # django-allauth, Django REST framework, django-filter, django-dsfr and Django's
    # validators (an API response's errors), as the site translates it
    # (locale/french_plurals.py).
    import re

    from django.utils import translation

    french_plurals = _french_plurals()
    straight = re.compile(r"(?<=\w)'(?=\w)")
    found = []
    with translation.override("fr"):
        for package, path in french_plurals.LIBRARY_CATALOGUES:
            for entry in french_plurals._catalogue(package, path):
                if entry.msgid_plural:
                    text = translation.ngettext(entry.msgid, entry.msgid_plural, 2)
                elif entry.msgctxt:
                    text = translation.pgettext(entry.msgctxt, entry.msgid)
                else:
                    text = translation.gettext(entry.msgid)
                if straight.search(re.sub(r"<[^>]*>", "", text)):
                    found.append(text)
    assert not found, found
