"""Demo people and organisation. Idempotent: running it again changes nothing."""

import random
from datetime import timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts import services
from accounts.demo.organisation import REGIONS
from accounts.models import (
    CharterAcceptance,
    CharterVersion,
    JobFunction,
    Network,
    OrgUnit,
    ProgrammeMembership,
    SocialHandle,
    User,
)

DEMO_PASSWORD = "demo-AvecPoleEmploi-2026"
DEMO_DOMAIN = "demo.avecpoleemploi.fr"
# A fixed TOTP secret for the demo's privileged accounts, so that anyone running the
# demo can get a code with `make totp` (or add it to an authenticator app). Never used
# outside the demo data.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

DEMO_ACCOUNTS = [
    # email local part, first name, last name, roles, unit code, job function
    ("ambassadeur", "Camille", "Le Goff", {"ambassador"}, "a-35-1", JobFunction.JOB_COUNSELLOR),
    ("curateur", "Samia", "Benali", {"curator", "ambassador"}, "dg", JobFunction.NATIONAL),
    ("moderateur", "Julien", "Moreau", {"moderator"}, "dg", JobFunction.NATIONAL),
    ("manager", "Nathalie", "Kerouac", {"manager", "ambassador"}, "dr-bre", JobFunction.REGIONAL),
    ("admin", "Thomas", "Garnier", {"admin"}, "dg", JobFunction.SUPPORT),
    ("nouveau", "Léa", "Fontaine", set(), "a-69-1", JobFunction.EMPLOYER_COUNSELLOR),
]

FIRST_NAMES = [
    "Camille", "Léa", "Manon", "Chloé", "Inès", "Sarah", "Emma", "Julie", "Laura", "Nadia",
    "Fatou", "Aïcha", "Sophie", "Claire", "Élodie", "Marine", "Amandine", "Céline", "Yasmine", "Anaïs",
    "Thomas", "Nicolas", "Julien", "Karim", "Mehdi", "Maxime", "Antoine", "Hugo", "Lucas", "Yannick",
    "Mamadou", "Sébastien", "Olivier", "Pierre", "Rachid", "Loïc", "Romain", "Kevin", "Jérôme", "Théo",
]  # fmt: skip
LAST_NAMES = [
    "Martin", "Bernard", "Dubois", "Durand", "Lefebvre", "Moreau", "Laurent", "Simon", "Michel", "Garcia",
    "Le Gall", "Kerjean", "Nguyen", "Benali", "Haddad", "Diallo", "Traoré", "Rousseau", "Fontaine", "Chevalier",
    "Mercier", "Blanc", "Guerin", "Boyer", "Robin", "Clément", "Gauthier", "Perrin", "Morel", "Faure",
]  # fmt: skip
FUNCTION_WEIGHTS = [
    (JobFunction.JOB_COUNSELLOR, 40), (JobFunction.EMPLOYER_COUNSELLOR, 20), (JobFunction.AGENCY_DIRECTOR, 8),
    (JobFunction.TEAM_MANAGER, 10), (JobFunction.PSYCHOLOGIST, 3), (JobFunction.COMPENSATION, 6),
    (JobFunction.SUPPORT, 5), (JobFunction.REGIONAL, 6), (JobFunction.NATIONAL, 2),
]  # fmt: skip

CHARTER_BODY = """
<p>Être ambassadeur·rice #AvecPôleEmploi, c’est partager sur ses réseaux personnels ce que fait
notre service public, avec ses propres mots. Cette charte dit ce que le programme attend de vous
et ce que vous pouvez attendre de lui.</p>
<h2>Un engagement volontaire</h2>
<ul>
<li>Vous participez parce que vous le souhaitez. Vous pouvez quitter le programme à tout moment,
en un clic, sans avoir à vous justifier et sans aucune conséquence.</li>
<li>Aucun objectif de partage ne vous est fixé ; personne ne vous classe sans votre accord.</li>
</ul>
<h2>Authenticité et transparence</h2>
<ul>
<li>Personnalisez les textes proposés : votre regard de terrain vaut mieux qu’un message copié.</li>
<li>Indiquez que vous travaillez pour l’établissement lorsque vous parlez de son action.</li>
<li>Ne publiez jamais d’information sur une personne accompagnée sans son consentement écrit.</li>
</ul>
<h2>Réserve et discernement</h2>
<ul>
<li>Respectez votre obligation de discrétion professionnelle et de neutralité.</li>
<li>Pas d’autocongratulation : nous parlons de ce que nous faisons pour les personnes, pas de
« records » ni de « champions ».</li>
<li>En période électorale ou lors de la publication des chiffres du chômage, suivez les consignes
particulières affichées sur la plateforme.</li>
</ul>
<h2>En cas de crise</h2>
<p>Si un contenu est retiré, la plateforme vous demande de supprimer votre publication. Merci de le
faire rapidement et de le confirmer d’un clic.</p>
<h2>Vos données</h2>
<p>La plateforme ne conserve que ce qui sert au programme. Vous pouvez télécharger vos données à
tout moment et demander leur effacement.</p>
"""


def _unit(code, name, kind, parent):
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None:
        unit = services.org_unit_create(code=code, name=name, kind=kind, parent=parent)
    return unit


def seed_organisation() -> dict[str, OrgUnit]:
    units = {}
    head = _unit("dg", "Direction générale", OrgUnit.Kind.NATIONAL, None)
    units["dg"] = head
    for region_code, region_name, departments in REGIONS:
        region = _unit(f"dr-{region_code}", f"Direction régionale {region_name}", OrgUnit.Kind.REGION, head)
        units[region.code] = region
        for number, dept_name, prefecture, second_city in departments:
            territory = _unit(f"dt-{number}", f"Direction territoriale {dept_name}", OrgUnit.Kind.TERRITORY, region)
            units[territory.code] = territory
            for index, city in enumerate((prefecture, second_city), start=1):
                agency = _unit(f"a-{number}-{index}", f"Agence {city}", OrgUnit.Kind.AGENCY, territory)
                units[agency.code] = agency
    return units


def seed_charter(admin: User) -> CharterVersion:
    version = CharterVersion.objects.filter(number=1).first()
    if version is None:
        version = services.charter_version_save(
            title="Charte des ambassadeur·rices #AvecPôleEmploi",
            body=CHARTER_BODY,
            summary_of_changes="Première version.",
            is_material_change=True,
            by=admin,
        )
    if not version.is_published:
        services.charter_publish(version=version, by=admin)
    return version


def _ensure_totp(user: User) -> None:
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists():
        RecoveryCodes.activate(user)


def _verified_email(user: User) -> None:
    EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})


def seed_demo_accounts(units, charter, password_hash) -> list[User]:
    people = []
    for local, first, last, roles, unit_code, function in DEMO_ACCOUNTS:
        email = f"{local}@{DEMO_DOMAIN}"
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "first_name": first,
                "last_name": last,
                "unit": units[unit_code],
                "job_function": function,
                "password": password_hash,
            },
        )
        if created:
            user.is_curator = "curator" in roles
            user.is_moderator = "moderator" in roles
            user.is_platform_admin = "admin" in roles
            user.managed_unit = units["dr-bre"] if "manager" in roles else None
            user.appears_in_rankings = local == "ambassadeur"
            user.save()
        _verified_email(user)
        if roles & {"curator", "moderator", "admin"}:
            _ensure_totp(user)
        if "ambassador" in roles and not user.has_opted_in:
            services.programme_join(user=user, version=charter)
        people.append(user)
    ambassador = people[0]
    if not ambassador.handles.exists():
        services.handle_save(user=ambassador, network=Network.X, handle="camille_legoff", follower_count=840)
        services.handle_save(
            user=ambassador, network=Network.LINKEDIN, handle="camille-le-goff-demo", follower_count=1250
        )
        services.handle_save(
            user=ambassador, network=Network.MASTODON, handle="camille", instance="mastodon.social", follower_count=95
        )
    return people


def seed_ambassadors(units, charter, password_hash, count=320) -> None:
    """A few hundred opted-in ambassadors spread over agencies and job functions."""
    if User.objects.filter(email__startswith="ambassadeur.", email__endswith=f"@{DEMO_DOMAIN}").exists():
        return
    rng = random.Random(2016)  # the programme's launch year: a fixed seed keeps the demo stable
    agencies = [u for u in units.values() if u.kind == OrgUnit.Kind.AGENCY]
    regions = [u for u in units.values() if u.kind == OrgUnit.Kind.REGION]
    functions, weights = zip(*FUNCTION_WEIGHTS, strict=True)
    now = timezone.now()
    people, memberships, acceptances, handles = [], [], [], []
    for i in range(count):
        function = rng.choices(functions, weights)[0]
        unit = rng.choice(regions) if function == JobFunction.REGIONAL else rng.choice(agencies)
        if function == JobFunction.NATIONAL:
            unit = units["dg"]
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        joined = now - timedelta(days=rng.randint(5, 900))
        people.append(
            User(
                email=f"ambassadeur.{i + 1:03d}@{DEMO_DOMAIN}",
                first_name=first,
                last_name=last,
                unit=unit,
                job_function=function,
                password=password_hash,
                opted_in_at=joined,
                date_joined=joined - timedelta(days=1),
                appears_in_rankings=rng.random() < 0.6,
                notification_preference=rng.choice(["immediate", "immediate", "daily", "weekly", "none"]),
            )
        )
    User.objects.bulk_create(people)
    people = list(User.objects.filter(email__startswith="ambassadeur.", email__endswith=f"@{DEMO_DOMAIN}"))
    for person in people:
        memberships.append(
            ProgrammeMembership(
                user=person, unit=person.unit, job_function=person.job_function, joined_at=person.opted_in_at
            )
        )
        acceptances.append(CharterAcceptance(user=person, version=charter, accepted_at=person.opted_in_at))
        slug = f"{person.first_name}{person.last_name}".lower()
        slug = "".join(c for c in slug if c.isascii() and c.isalnum())[:10] + f"{person.pk % 1000:03d}"
        for network, probability, handle, instance, top in (
            (Network.X, 0.7, f"{slug}_pe"[:15], "", 4000),
            (Network.LINKEDIN, 0.8, f"{slug}-ft", "", 6000),
            (Network.MASTODON, 0.15, slug, "piaille.fr", 800),
        ):
            if rng.random() < probability:
                handles.append(
                    SocialHandle(
                        user=person,
                        network=network,
                        handle=handle,
                        instance=instance,
                        follower_count=rng.randint(10, top),
                        followers_declared_at=person.opted_in_at,
                    )
                )
    ProgrammeMembership.objects.bulk_create(memberships)
    CharterAcceptance.objects.bulk_create(acceptances)
    SocialHandle.objects.bulk_create(handles)
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=p, email=p.email, verified=True, primary=True) for p in people], ignore_conflicts=True
    )


@transaction.atomic
def seed() -> dict:
    units = seed_organisation()
    password_hash = make_password(DEMO_PASSWORD)
    admin = User.objects.filter(email=f"admin@{DEMO_DOMAIN}").first()
    if admin is None:
        admin = User.objects.create_user(
            email=f"admin@{DEMO_DOMAIN}", first_name="Thomas", last_name="Garnier",
            unit=units["dg"], job_function=JobFunction.SUPPORT, is_platform_admin=True,
        )  # fmt: skip
        admin.password = password_hash
        admin.save(update_fields=["password"])
    charter = seed_charter(admin)
    accounts = seed_demo_accounts(units, charter, password_hash)
    seed_ambassadors(units, charter, password_hash)
    return {"units": units, "accounts": accounts, "charter": charter}
