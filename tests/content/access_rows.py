"""Role × URL rows of the content app (see tests/test_access.py).

Each part of the app keeps its rows in its own module, gathered here."""

from tests.content import access_rows_community, access_rows_kits

ROWS = [*access_rows_community.ROWS, *access_rows_kits.ROWS]


def build_context(ctx):
    access_rows_community.build_context(ctx)
    access_rows_kits.build_context(ctx)
