"""Who a kit is for: units covering theirs, job functions, publication window."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import JobFunction
from content import workflow
from content.models import Kit
from content.selectors import audience_for_kit, kits_live_for
from tests.accounts.factories import make_ambassador
from tests.content.factories import make_kit

S = Kit.Status


@pytest.fixture
def bretagne_agent(org, charter):
    return make_ambassador(unit=org["a-bre-1"], charter=charter)


@pytest.fixture
def occitanie_agent(org, charter):
    return make_ambassador(unit=org["a-occ-1"], charter=charter)


def test_kit_for_everyone_reaches_everyone(bretagne_agent, occitanie_agent):
    kit = make_kit(status=S.PUBLISHED)
    assert list(kits_live_for(user=bretagne_agent)) == [kit]
    assert set(audience_for_kit(kit=kit)) == {bretagne_agent, occitanie_agent}


def test_region_covers_its_agencies_only(org, bretagne_agent, occitanie_agent):
    kit = make_kit(status=S.PUBLISHED, target_units=[org["dr-bre"]])
    assert list(kits_live_for(user=bretagne_agent)) == [kit]
    assert list(kits_live_for(user=occitanie_agent)) == []
    assert list(audience_for_kit(kit=kit)) == [bretagne_agent]


def test_job_function_targeting(bretagne_agent, occitanie_agent):
    occitanie_agent.job_function = JobFunction.EMPLOYER_COUNSELLOR
    occitanie_agent.save()
    kit = make_kit(status=S.PUBLISHED, target_job_functions=[JobFunction.EMPLOYER_COUNSELLOR])
    assert list(kits_live_for(user=occitanie_agent)) == [kit]
    assert list(kits_live_for(user=bretagne_agent)) == []
    assert list(audience_for_kit(kit=kit)) == [occitanie_agent]


def test_unpublished_expired_and_retracted_kits_are_not_live(bretagne_agent, moderator):
    make_kit(status=S.DRAFT)
    make_kit(status=S.SUBMITTED)
    make_kit(status=S.EXPIRED)
    make_kit(status=S.RETRACTED)
    past_due = make_kit(status=S.PUBLISHED, expires_at=timezone.now() + timedelta(hours=1))
    assert list(kits_live_for(user=bretagne_agent)) == [past_due]
    assert list(kits_live_for(user=bretagne_agent, at=timezone.now() + timedelta(hours=2))) == []


def test_people_who_left_are_not_in_the_audience(bretagne_agent, occitanie_agent):
    from accounts.services import programme_leave

    kit = make_kit(status=S.PUBLISHED)
    programme_leave(user=occitanie_agent)
    assert list(audience_for_kit(kit=kit)) == [bretagne_agent]


def test_live_kits_query_count_is_constant(bretagne_agent, django_assert_num_queries, org):
    for _ in range(3):
        make_kit(status=S.PUBLISHED, target_units=[org["dt-bre"]])
    with django_assert_num_queries(1):
        assert len(list(kits_live_for(user=bretagne_agent))) == 3
    workflow.publish_due_kits()
