"""Factories for people and the organisation."""

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone

from accounts import services
from accounts.models import CharterVersion, JobFunction, Network, OrgUnit, SocialHandle, User
from accounts.selectors import charter_forget

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
PASSWORD = "un-mot-de-passe-solide-42"


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit

    code = factory.Sequence(lambda n: f"unit-{n}")
    name = factory.Sequence(lambda n: f"Unité {n}")
    kind = OrgUnit.Kind.AGENCY
    parent = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # Paths are computed by the service, as in production.
        return services.org_unit_create(**kwargs)

    class Params:
        national = factory.Trait(kind=OrgUnit.Kind.NATIONAL, parent=None)


def org_tree():
    """A small realistic tree: head office, two regions, a territory and two agencies each."""
    head = OrgUnitFactory(code="dg", name="Direction générale", national=True)
    tree = {"dg": head}
    for region_code, region_name in (("bre", "Bretagne"), ("occ", "Occitanie")):
        region = OrgUnitFactory(
            code=f"dr-{region_code}", name=f"DR {region_name}", kind=OrgUnit.Kind.REGION, parent=head
        )
        territory = OrgUnitFactory(
            code=f"dt-{region_code}", name=f"DT {region_name}", kind=OrgUnit.Kind.TERRITORY, parent=region
        )
        tree[f"dr-{region_code}"] = region
        tree[f"dt-{region_code}"] = territory
        for i in (1, 2):
            tree[f"a-{region_code}-{i}"] = OrgUnitFactory(
                code=f"a-{region_code}-{i}", name=f"Agence {region_name} {i}", parent=territory
            )
    return tree


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"agent{n}@francetravail.example")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    job_function = JobFunction.JOB_COUNSELLOR
    password = factory.django.Password(PASSWORD)

    class Params:
        curator = factory.Trait(is_curator=True)
        moderator = factory.Trait(is_moderator=True)
        admin = factory.Trait(is_platform_admin=True)

    @factory.post_generation
    def verified_email(obj, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)

    @factory.post_generation
    def with_mfa(obj, create, extracted, **kwargs):
        wants = extracted if extracted is not None else (obj.is_curator or obj.is_moderator or obj.is_platform_admin)
        if create and wants:
            TOTP.activate(obj, TOTP_SECRET)


def published_charter(number=None, *, material=True, title="Charte des ambassadeurs") -> CharterVersion:
    version = services.charter_version_save(title=title, body="<p>Texte de la charte.</p>", is_material_change=material)
    version.published_at = timezone.now()
    version.save(update_fields=["published_at"])
    charter_forget()  # as services.charter_publish does
    return version


def make_ambassador(*, unit=None, charter=None, **kwargs) -> User:
    user = UserFactory(unit=unit, **kwargs)
    charter = charter or CharterVersion.objects.filter(published_at__isnull=False).order_by("-number").first()
    if charter is None:
        charter = published_charter()
    return services.programme_join(user=user, version=charter)


class SocialHandleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SocialHandle

    user = factory.SubFactory(UserFactory)
    network = Network.X
    handle = factory.Sequence(lambda n: f"agent_{n}")
    follower_count = 250
    followers_declared_at = factory.LazyFunction(timezone.now)


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
