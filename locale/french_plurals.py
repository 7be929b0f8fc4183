"""Writes locale/fr/LC_MESSAGES/django.po: the French plural rule for every plural string.

The interface is written in French, so French needs no translation, but gettext picks a
plural form with a catalogue's own rule and, for a string in no catalogue, with the
English one (n == 1): "0 messages", where French writes "0 message" (plural from 2 on).
This catalogue holds each plural string of the English catalogues as its own French
"translation", under the French rule. `make messages` writes and compiles it.
"""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", "var", "staticfiles", "node_modules"}


def main() -> None:
    catalogue = polib.POFile(wrapwidth=79)
    catalogue.metadata = {
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Language": "fr",
        "Plural-Forms": "nplurals=2; plural=(n > 1);",
    }
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
    catalogue.sort(key=lambda e: (e.msgctxt or "", e.msgid))
    target = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"
    target.parent.mkdir(parents=True, exist_ok=True)
    catalogue.save(str(target))
    print(f"{target.relative_to(ROOT)}: {len(catalogue)} plural strings", file=sys.stderr)


if __name__ == "__main__":
    main()
