"""advocacy.db: binary parameters for the bulk paths (PostgreSQL only)."""

import pytest
from django.db import DatabaseError, connection

from advocacy.db import binary_parameters_query

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("binary parameters exist on PostgreSQL only")


def test_arrays_travel_in_binary_and_come_back_whole():
    values = ["plain", "with,comma", 'with "quotes"', "with\\backslash", "accentué ’", ""]
    rows = binary_parameters_query("SELECT * FROM unnest(%b::varchar[], %b::int[])", [values, list(range(6))])
    assert rows == list(zip(values, range(6), strict=True))


def test_errors_are_djangos():
    with pytest.raises(DatabaseError):
        binary_parameters_query("SELECT * FROM no_such_table WHERE x = %b", [1])
