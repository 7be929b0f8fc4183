"""The organisation tree and the scope of managers."""

import pytest

from accounts import services
from accounts.models import OrgUnit
from accounts.selectors import people_visible_to, units_in_subtree, units_visible_to
from advocacy.errors import DomainError
from tests.accounts.factories import UserFactory


def test_subtree_is_one_query_whatever_the_depth(org, django_assert_num_queries):
    with django_assert_num_queries(1):
        codes = sorted(u.code for u in units_in_subtree(org["dr-bre"]))
    assert codes == ["a-bre-1", "a-bre-2", "dr-bre", "dt-bre"]


def test_moving_a_unit_moves_its_subtree(org):
    services.org_unit_move(unit=org["dt-bre"], new_parent=org["dr-occ"])
    agency = OrgUnit.objects.get(code="a-bre-1")
    assert agency.path == "/dg/dr-occ/dt-bre/a-bre-1/"
    assert agency.depth == 3
    assert org["dr-occ"].covers(agency)
    assert not OrgUnit.objects.get(code="dr-bre").covers(agency)


def test_a_unit_cannot_move_under_itself(org):
    with pytest.raises(DomainError):
        services.org_unit_move(unit=org["dr-bre"], new_parent=org["a-bre-1"])


def test_manager_sees_their_subtree_and_nothing_of_another_region(org, manager):
    UserFactory(unit=org["a-bre-2"], email="breton@francetravail.example")
    UserFactory(unit=org["a-occ-1"], email="occitan@francetravail.example")
    visible_units = {u.code for u in units_visible_to(user=manager)}
    assert visible_units == {"dr-bre", "dt-bre", "a-bre-1", "a-bre-2"}
    emails = set(people_visible_to(user=manager).values_list("email", flat=True))
    assert "breton@francetravail.example" in emails
    assert "occitan@francetravail.example" not in emails


def test_an_ambassador_sees_no_unit_figures(ambassador):
    assert not units_visible_to(user=ambassador).exists()
    assert list(people_visible_to(user=ambassador)) == [ambassador]
