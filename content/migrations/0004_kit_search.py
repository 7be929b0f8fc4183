"""A GIN index for the library's French full-text search, on PostgreSQL only.

The indexed expression is exactly the one `content.selectors.SEARCH_VECTOR`
compiles to, so the planner uses it. SQLite has no full-text dictionary: the library
falls back to a plain match there and this migration does nothing.
"""

from django.db import migrations

INDEX = "content_kit_search_french"
CREATE = (
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON content_kit USING gin "
    "(to_tsvector('french'::regconfig, COALESCE(title, '') || ' ' || COALESCE(brief, '')))"
)
DROP = f"DROP INDEX IF EXISTS {INDEX}"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("content", "0003_seed_guidelines")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
