"""Writes locale/fr/LC_MESSAGES/django.po: the French plural rule for every plural string,
and the few corrections the site makes to its libraries' French; and djangojs.po beside
it, the same corrections for the admin's scripts.

The interface is written in French, so French needs no translation, but gettext picks a
plural form with a catalogue's own rule and, for a string in no catalogue, with the
English one (n == 1): "0 messages", where French writes "0 message" (plural from 2 on).
This catalogue holds each plural string of the English catalogues as its own French
"translation", under the French rule. `make messages` writes and compiles it.

A project catalogue takes precedence over the libraries' own, so it also corrects them:
the French of Django's contrib apps (the admin, users and groups, content types,
sessions, humanize's dates), of django-allauth (sign-in, sign-up, password reset, MFA),
of Django REST framework, of django-filter and of Django's own validators (the API's
error messages) writes straight apostrophes where the site writes ’. Only the strings that need it are
written here, taken from the installed libraries, so an upgrade is followed by running
`make messages` again. (django-dsfr's « (Optionnel) » needs no correction: the project's
field snippets write their own « (facultatif) », templates/dsfr/form_field_snippets/.)
"""

import re
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", "var", "staticfiles", "node_modules"}

# Strings of other libraries the site words differently in French.
OVERRIDES = {
    # django-allauth's name for its two-factor app (the admin index's heading); the site
    # says « double authentification » everywhere else. Its models, named without
    # gettext, are named in accounts/apps.py.
    "MFA": "Double authentification",
    # Django REST framework's token errors (TokenAuthentication) speak of a « token » and
    # not of the header to fix; the site calls it a « jeton », created in the profile.
    "Invalid token header. No credentials provided.": (
        "En-tête Authorization incomplet : écrivez « Token », une espace, puis votre jeton."
    ),
    "Invalid token header. Token string should not contain spaces.": (
        "En-tête Authorization non valide : écrivez « Token », une espace, puis votre jeton, sans autre espace."
    ),
    "Invalid token header. Token string should not contain invalid characters.": (
        "En-tête Authorization non valide : un jeton ne contient que des lettres et des chiffres."
    ),
    "Invalid token.": "Jeton inconnu : il a peut-être été révoqué ou remplacé. Créez-en un dans votre profil.",
    "User inactive or deleted.": "Le compte de ce jeton est désactivé ou supprimé.",
}

# An apostrophe between two letters, outside an HTML tag (an attribute could be quoted
# with one).
_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
_TAG = re.compile(r"(<[^>]*>)")


def typographic(text: str) -> str:
    return "".join(part if part.startswith("<") else _APOSTROPHE.sub("\u2019", part) for part in _TAG.split(text))


# The libraries whose French the site shows, in the order Django reads their catalogues
# (INSTALLED_APPS, then Django's own): the first one to translate a string wins. Every
# installed app with a French catalogue is here (tests/test_i18n.py checks it). Django
# REST framework ships only its compiled catalogue.
LIBRARY_CATALOGUES = (
    ("django.contrib.admin", "locale/fr/LC_MESSAGES/django.po"),
    ("django.contrib.auth", "locale/fr/LC_MESSAGES/django.po"),
    ("django.contrib.contenttypes", "locale/fr/LC_MESSAGES/django.po"),
    ("django.contrib.sessions", "locale/fr/LC_MESSAGES/django.po"),
    ("django.contrib.humanize", "locale/fr/LC_MESSAGES/django.po"),
    ("allauth", "locale/fr/LC_MESSAGES/django.po"),
    ("rest_framework", "locale/fr/LC_MESSAGES/django.mo"),
    ("django_filters", "locale/fr/LC_MESSAGES/django.po"),
    ("dsfr", "locale/fr/LC_MESSAGES/django.po"),
    ("django", "conf/locale/fr/LC_MESSAGES/django.po"),
)
# The strings the admin's scripts show (its calendar's « Aujourd'hui », the warning about
# unsaved changes), served by its JavaScript catalogue: a djangojs catalogue of the
# project's, which Django reads after the admin's own, corrects them.
SCRIPT_CATALOGUES = (("django.contrib.admin", "locale/fr/LC_MESSAGES/djangojs.po"),)


def _catalogue(package: str, path: str):
    import importlib

    source = Path(importlib.import_module(package).__file__).parent / path
    return polib.mofile(str(source)) if path.endswith(".mo") else polib.pofile(str(source))


def library_corrections(seen: set, catalogues=LIBRARY_CATALOGUES) -> list:
    """The libraries' French entries written with straight apostrophes, rewritten with ’."""
    entries = []
    for package, path in catalogues:
        entries.extend(_corrections(_catalogue(package, path), seen))
    return entries


def _corrections(catalogue, seen: set) -> list:
    entries = []
    for entry in catalogue:
        key = (entry.msgctxt, entry.msgid)
        # A compiled catalogue holds only translated, current entries (and no flags).
        translated = entry.translated() if hasattr(entry, "translated") else bool(entry.msgstr or entry.msgstr_plural)
        if entry.obsolete or "fuzzy" in entry.flags or key in seen or not translated:
            continue
        if entry.msgid_plural:
            original = {int(k): v for k, v in entry.msgstr_plural.items()}
            plural = {k: typographic(v) for k, v in original.items()}
            if plural == original:
                continue
            fields = {"msgid_plural": entry.msgid_plural, "msgstr_plural": plural}
        else:
            if typographic(entry.msgstr) == entry.msgstr:
                continue
            fields = {"msgstr": typographic(entry.msgstr)}
        seen.add(key)
        entries.append(polib.POEntry(msgctxt=entry.msgctxt, msgid=entry.msgid, flags=list(entry.flags), **fields))
    return entries


def _new_catalogue() -> polib.POFile:
    catalogue = polib.POFile(wrapwidth=79)
    catalogue.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Language": "fr",
        "Plural-Forms": "nplurals=2; plural=(n > 1);",
    }
    return catalogue


def _save(catalogue: polib.POFile, name: str) -> None:
    catalogue.sort(key=lambda e: (e.msgctxt or "", e.msgid))
    target = ROOT / "locale" / "fr" / "LC_MESSAGES" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    catalogue.save(str(target))
    print(f"{target.relative_to(ROOT)}: {len(catalogue)} strings", file=sys.stderr)


def main() -> None:
    catalogue = _new_catalogue()
    seen = set()
    for path in sorted(ROOT.glob("**/locale/en/LC_MESSAGES/django.po")):
        if SKIP & set(path.relative_to(ROOT).parts):
            continue
        for entry in polib.pofile(str(path)):
            key = (entry.msgctxt, entry.msgid)
            if not entry.msgid_plural or entry.obsolete or key in seen:
                continue
            seen.add(key)
            catalogue.append(
                polib.POEntry(
                    msgctxt=entry.msgctxt,
                    msgid=entry.msgid,
                    msgid_plural=entry.msgid_plural,
                    msgstr_plural={0: entry.msgid, 1: entry.msgid_plural},
                    flags=[flag for flag in entry.flags if flag.endswith("-format")],
                )
            )
    for msgid, msgstr in OVERRIDES.items():
        seen.add((None, msgid))
        catalogue.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    catalogue.extend(library_corrections(seen))
    _save(catalogue, "django.po")
    scripts = _new_catalogue()
    # The admin's scripts' plural rule, which its plural strings are written for.
    scripts.metadata["Plural-Forms"] = _catalogue(*SCRIPT_CATALOGUES[0]).metadata["Plural-Forms"]
    scripts.extend(library_corrections(set(), SCRIPT_CATALOGUES))
    _save(scripts, "djangojs.po")


if __name__ == "__main__":
    main()
