"""Database helpers for the few bulk paths where Django's cursor is the bottleneck."""

from django.db import connection


def binary_parameters_query(sql: str, params) -> list[tuple]:
    """Rows of `sql` (PostgreSQL only), whose `%b` placeholders send their values in binary.

    Django's cursors bind parameters on the client, as text: a list of 10,000 strings
    costs about 9 ms to quote (a regular expression per element), against 3 ms in binary,
    which an import of a million rows pays a few hundred times. The query runs in the
    current transaction; like COPY, it does not appear in Django's query log.
    """
    import psycopg  # noqa: PLC0415 - only with PostgreSQL

    # What Django does before each of its own cursors, and its error translation.
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
