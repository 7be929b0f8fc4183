"""The kit workflow: transitions, four eyes, versions, scheduling, hooks."""

from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advocacy.errors import Conflict, DomainError
from content import workflow
from content.models import Kit, KitTransition
from tests.accounts.factories import UserFactory
from tests.content.factories import LINK, allow_default_domains, make_kit

S = Kit.Status


@pytest.fixture
def curator2(org):
    return UserFactory(unit=org["dg"], curator=True)


def test_new_kit_is_a_draft_with_the_programme_hashtag(curator):
    kit = make_kit(author=curator)
    assert kit.status == S.DRAFT
    assert kit.hashtags == ["AvecPôleEmploi"]
    assert kit.version == 1
    assert list(kit.transitions.values_list("to_status", flat=True)) == [S.DRAFT]


def test_only_curators_create_kits(moderator):
    allow_default_domains()
    with pytest.raises(DomainError):
        workflow.kit_create(by=moderator, title="Titre", link=LINK)


@pytest.mark.parametrize(
    "link",
    ["http://www.francetravail.fr/x", "https://evil.example/x", "https://francetravail.fr.evil.example/", "nope"],
)
def test_link_must_be_https_on_an_allowed_domain(curator, link):
    allow_default_domains()
    with pytest.raises(DomainError) as error:
        workflow.kit_create(by=curator, title="Titre", link=link)
    assert error.value.field == "link"


def test_subdomain_of_an_allowed_domain_is_allowed(curator):
    kit = make_kit(author=curator, link="https://recrutement.francetravail.fr/offres")
    assert kit.link.startswith("https://recrutement.")


def test_author_cannot_approve_own_kit(org):
    both = UserFactory(unit=org["dg"], curator=True, moderator=True)
    kit = make_kit(author=both, status=S.SUBMITTED)
    with pytest.raises(DomainError) as error:
        workflow.kit_approve(kit=kit, by=both)
    assert error.value.code == "four_eyes"


def test_last_editor_cannot_approve(curator, org):
    editor = UserFactory(unit=org["dg"], curator=True, moderator=True)
    kit = make_kit(author=curator, status=S.SUBMITTED)
    workflow.kit_update(kit=kit, by=editor, title="Titre revu")
    with pytest.raises(DomainError):
        workflow.kit_approve(kit=kit, by=editor)


def test_approval_without_date_publishes_at_once(curator, moderator):
    kit = make_kit(author=curator, status=S.SUBMITTED)
    kit = workflow.kit_approve(kit=kit, by=moderator, comment="Parfait")
    assert kit.status == S.PUBLISHED
    assert kit.approved_by == moderator
    assert [t.to_status for t in kit.transitions.all()] == [S.DRAFT, S.SUBMITTED, S.APPROVED, S.PUBLISHED]


def test_scheduled_kit_is_published_by_the_task_at_its_time(curator, moderator):
    kit = make_kit(author=curator, status=S.APPROVED, approver=moderator)
    assert kit.status == S.APPROVED
    assert workflow.publish_due_kits() == 0
    assert workflow.publish_due_kits(now=kit.publish_at + timedelta(seconds=1)) == 1
    kit.refresh_from_db()
    assert kit.status == S.PUBLISHED
    assert workflow.publish_due_kits(now=kit.publish_at + timedelta(seconds=2)) == 0


def test_kit_expires_at_its_time(curator, moderator):
    kit = make_kit(author=curator, status=S.PUBLISHED, expires_at=timezone.now() + timedelta(days=2))
    assert workflow.expire_due_kits() == 0
    assert workflow.expire_due_kits(now=timezone.now() + timedelta(days=3)) == 1
    kit.refresh_from_db()
    assert kit.status == S.EXPIRED


def test_edit_after_approval_sends_kit_back_to_review(curator, moderator, curator2):
    kit = make_kit(author=curator, status=S.APPROVED, approver=moderator)
    kit = workflow.kit_update(kit=kit, by=curator2, title="Nouveau titre")
    assert kit.status == S.SUBMITTED
    assert kit.approved_by is None
    assert kit.transitions.last().to_status == S.SUBMITTED


def test_saving_without_change_keeps_version(curator):
    kit = make_kit(author=curator)
    kit = workflow.kit_update(kit=kit, by=curator, title=kit.title)
    assert kit.version == 1


def test_every_edit_saves_a_version(curator):
    kit = make_kit(author=curator)
    workflow.kit_update(kit=kit, by=curator, texts=[{"body": "Deuxième angle", "networks": ["x"]}])
    kit.refresh_from_db()
    assert kit.version == 2
    first, second = kit.versions.order_by("number")
    assert first.snapshot["texts"][0]["body"].startswith("Un texte")
    assert second.snapshot["texts"] == [{"body": "Deuxième angle", "networks": ["x"]}]


def test_published_kit_cannot_be_edited(curator):
    kit = make_kit(author=curator, status=S.PUBLISHED)
    with pytest.raises(Conflict):
        workflow.kit_update(kit=kit, by=curator, title="Autre")


def test_retraction_needs_a_moderator_and_a_reason(curator, moderator):
    kit = make_kit(author=curator, status=S.PUBLISHED)
    with pytest.raises(DomainError):
        workflow.kit_retract(kit=kit, by=curator, reason="Erreur")
    with pytest.raises(DomainError):
        workflow.kit_retract(kit=kit, by=moderator, reason="  ")
    kit = workflow.kit_retract(kit=kit, by=moderator, reason="Chiffres erronés")
    assert kit.status == S.RETRACTED
    assert kit.retraction_reason == "Chiffres erronés"
    assert kit.retracted_by == moderator


def test_hooks_run_after_commit(curator, moderator, django_capture_on_commit_callbacks):
    seen = []
    workflow.KIT_PUBLISHED_HOOKS.append(lambda kit: seen.append(("published", kit.pk)))
    workflow.KIT_RETRACTED_HOOKS.append(lambda kit: seen.append(("retracted", kit.pk)))
    try:
        kit = make_kit(author=curator, status=S.SUBMITTED)
        with django_capture_on_commit_callbacks(execute=True):
            workflow.kit_approve(kit=kit, by=moderator)
        with django_capture_on_commit_callbacks(execute=True):
            workflow.kit_retract(kit=kit, by=moderator, reason="Crise")
    finally:
        workflow.KIT_PUBLISHED_HOOKS.pop()
        workflow.KIT_RETRACTED_HOOKS.pop()
    assert seen == [("published", kit.pk), ("retracted", kit.pk)]


def test_stale_status_is_refused(curator, moderator):
    kit = make_kit(author=curator, status=S.SUBMITTED)
    stale = Kit.objects.get(pk=kit.pk)
    workflow.kit_request_changes(kit=kit, by=moderator, comment="Revoir le lien")
    with pytest.raises(Conflict):
        workflow.kit_approve(kit=stale, by=moderator)


def test_expiry_must_follow_publication(curator):
    now = timezone.now()
    with pytest.raises(DomainError):
        make_kit(author=curator, publish_at=now + timedelta(days=2), expires_at=now + timedelta(days=1))


def test_a_kit_already_past_its_expiry_is_neither_submitted_nor_approved(curator, moderator):
    kit = make_kit(author=curator, expires_at=timezone.now() - timedelta(days=1))  # a draft may keep it
    with pytest.raises(DomainError) as refused:
        workflow.kit_submit(kit=kit, by=curator)
    assert refused.value.code == "expired_window" and refused.value.field == "expires_at"
    kit = make_kit(author=curator, status=S.SUBMITTED, expires_at=timezone.now() + timedelta(hours=1))
    Kit.objects.filter(pk=kit.pk).update(expires_at=timezone.now() - timedelta(minutes=1))  # time passed in review
    with pytest.raises(DomainError):
        workflow.kit_approve(kit=kit, by=moderator)
    assert Kit.objects.get(pk=kit.pk).status == S.SUBMITTED


# --- Property: no kit is ever published without a second person's approval ----------

ACTIONS = ("edit", "submit", "request_changes", "approve", "publish_due", "retract", "archive")


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sampled_from(ACTIONS), st.integers(0, 2)), min_size=1, max_size=14))
def test_no_kit_is_published_without_approval_by_another_person(org, steps):
    # Three people who can do everything, so that only the four-eyes rule stands in the way.
    people = [UserFactory(unit=org["dg"], curator=True, moderator=True) for _ in range(3)]
    kit = make_kit(author=people[0])
    for action, who in steps:
        person = people[who]
        try:
            if action == "edit":
                workflow.kit_update(kit=kit, by=person, title=f"Titre {len(steps)} {who} {kit.version}")
            elif action == "submit":
                workflow.kit_submit(kit=kit, by=person)
            elif action == "request_changes":
                workflow.kit_request_changes(kit=kit, by=person, comment="Non")
            elif action == "approve":
                workflow.kit_approve(kit=kit, by=person)
            elif action == "publish_due":
                workflow.publish_due_kits(now=timezone.now() + timedelta(days=400))
            elif action == "retract":
                workflow.kit_retract(kit=kit, by=person, reason="Crise")
            elif action == "archive":
                workflow.kit_archive(kit=kit, by=person)
        except DomainError:
            pass
        kit.refresh_from_db()
        published = KitTransition.objects.filter(kit=kit, to_status=S.PUBLISHED)
        for transition in published:
            approval = (
                KitTransition.objects.filter(kit=kit, to_status=S.APPROVED, at__lte=transition.at)
                .order_by("-at")
                .first()
            )
            assert approval is not None
            assert approval.by_id != kit.author_id
            # The last edit before publication was made by someone else than the approver.
            last_edit = kit.versions.filter(at__lte=transition.at).order_by("-number").first()
            assert last_edit.by_id != approval.by_id
        if kit.status in (S.PUBLISHED, S.APPROVED):
            assert kit.approved_by_id not in (kit.author_id, kit.last_editor_id)


def test_blocking_finding_prevents_submission(curator):
    kit = make_kit(author=curator, texts=[{"body": "Le site préféré des Français #AvecPôleEmploi", "networks": []}])
    with pytest.raises(DomainError) as error:
        workflow.kit_submit(kit=kit, by=curator)
    assert error.value.code == "blocking_findings"
    kit.refresh_from_db()
    assert kit.status == S.DRAFT


def test_warnings_are_stored_at_submission_for_reviewers(curator):
    kit = make_kit(
        author=curator,
        texts=[{"body": "Fiers de nos conseillers ! #AvecPôleEmploi #Emploi #Bretagne #Jeunes", "networks": ["x"]}],
    )
    kit = workflow.kit_submit(kit=kit, by=curator)
    assert kit.findings
    assert all(finding["severity"] == "warning" for finding in kit.findings)
