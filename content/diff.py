"""The difference between two saved versions of a kit, word by word, for reviewers.

Each changed field comes back as segments ("equal", "insert", "delete") that the page
renders with <ins> and <del> plus words for screen readers, never colour alone.
"""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

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
_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class FieldDiff:
    name: str
    label: str
    segments: list[tuple[str, str]]


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


def text_segments(old: str, new: str) -> list[tuple[str, str]]:
    """Word-level segments turning `old` into `new`."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    segments: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            segments.append(("equal", "".join(a[i1:i2])))
        if op in ("delete", "replace"):
            segments.append(("delete", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            segments.append(("insert", "".join(b[j1:j2])))
    return segments


def version_diff(old: dict, new: dict) -> list[FieldDiff]:
    """The fields that differ between two snapshots, in the order of the kit's form."""
    diffs = []
    for name, label in FIELD_LABELS.items():
        before, after = _as_text(name, old.get(name)), _as_text(name, new.get(name))
        if before != after:
            diffs.append(FieldDiff(name=name, label=str(label), segments=text_segments(before, after)))
    return diffs
