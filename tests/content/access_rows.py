"""Role × URL rows of the content app (see tests/test_access.py).

Each part of the app keeps its rows in its own module, gathered here: the curators' and
moderators' workspace (kits) and the guidelines, stories and discussions (community)."""

import importlib
import importlib.util

PARTS = [
    importlib.import_module(f"tests.content.{name}")
    for name in ("access_rows_kits", "access_rows_community")
    if importlib.util.find_spec(f"tests.content.{name}") is not None
]
ROWS = [row for part in PARTS for row in part.ROWS]


def build_context(ctx):
    for part in PARTS:
        part.build_context(ctx)
