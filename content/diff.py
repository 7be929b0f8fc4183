"""Word-level differences: between two saved versions of a kit, for reviewers, and
between a story and the kits made from it, for its author.

Each change comes back as pieces ("equal", "insert", "delete") that pages render with
<ins> and <del> (plus words for screen readers), never colour alone.
"""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

from accounts.models import JobFunction

FIELD_LABELS = {
    "title": _("Titre"),
    "brief": _("Note aux ambassadeur·rices"),
    "link": _("Lien"),
    "language": _("Langue"),
    "hashtags": _("Hashtags"),
    "topics": _("Thèmes"),
    "target_units": _("Unités ciblées"),
    "target_job_functions": _("Fonctions ciblées"),
    "publish_at": _("Publication le"),
    "expires_at": _("Expiration le"),
    "is_important": _("Important"),
    "texts": _("Textes suggérés"),
    "visuals": _("Visuels"),
}
# A word with the spaces that follow it, so that a changed word does not also show its
# neighbouring spaces as changed.
_TOKENS = re.compile(r"\S+\s*|\s+")


class DiffPiece(NamedTuple):
    op: str  # "equal", "insert" or "delete"
    text: str


@dataclass(frozen=True)
class FieldDiff:
    name: str
    label: str
    segments: list[DiffPiece]


def _as_text(name: str, value) -> str:
    if value is None:
        return ""
    if name == "is_important":
        return str(_("oui") if value else _("non"))
    if name == "hashtags":
        return " ".join(f"#{tag}" for tag in value)
    if name == "target_job_functions":
        labels = dict(JobFunction.choices)
        return ", ".join(str(labels.get(v, v)) for v in value)
    if name == "texts":
        parts = []
        for i, text in enumerate(value, start=1):
            networks = ", ".join(text.get("networks") or []) or str(_("tous les réseaux"))
            parts.append(f"[{i}] ({networks}) {text.get('body', '')}")
        return "\n".join(parts)
    if name == "visuals":
        return "\n".join(
            f"{v.get('kind')}: {v.get('image') or v.get('video_url')} — {v.get('alt_text', '')}" for v in value
        )
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def word_diff(before: str, after: str) -> list[DiffPiece]:
    """The pieces turning `before` into `after`, word by word."""
    old, new = _TOKENS.findall(before or ""), _TOKENS.findall(after or "")
    pieces: list[DiffPiece] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(DiffPiece("equal", "".join(old[i1:i2])))
        if op in ("delete", "replace"):
            pieces.append(DiffPiece("delete", "".join(old[i1:i2])))
        if op in ("insert", "replace"):
            pieces.append(DiffPiece("insert", "".join(new[j1:j2])))
    return pieces


def version_diff(old: dict, new: dict) -> list[FieldDiff]:
    """The fields that differ between two snapshots, in the order of the kit's form."""
    diffs = []
    for name, label in FIELD_LABELS.items():
        before, after = _as_text(name, old.get(name)), _as_text(name, new.get(name))
        if before != after:
            diffs.append(FieldDiff(name=name, label=str(label), segments=word_diff(before, after)))
    return diffs
