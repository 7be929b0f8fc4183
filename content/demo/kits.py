"""Demo data of the curators' and moderators' workspace: topics, allowed link domains
and about twenty-five kits in every status, written by curateur@ and reviewed by
moderateur@ through the workflow's own services. Idempotent: a kit whose title is
already in the library is left alone."""

import logging
from datetime import timedelta

from django.utils import timezone
from django.utils.text import slugify

from accounts.models import JobFunction as F
from accounts.models import User
from advocacy import demo
from advocacy.errors import DomainError
from content import workflow
from content.models import AllowedDomain, Kit, Topic

log = logging.getLogger(__name__)
S = Kit.Status

TOPICS = [
    "Emploi des jeunes", "Recrutement", "Formation", "Handicap et inclusion", "Salons et événements",
    "Vie des agences", "Indemnisation", "Création d’entreprise",
]  # fmt: skip
DOMAINS = [
    ("francetravail.fr", "Site institutionnel"),
    ("pole-emploi.fr", "Ancien domaine, redirigé"),
    ("francetravail.org", "Espace recruteurs et presse"),
    ("1jeune1solution.gouv.fr", "Plateforme gouvernementale"),
    ("service-public.fr", "Démarches administratives"),
    ("travail-emploi.gouv.fr", "Ministère du Travail"),
]
FT = "https://www.francetravail.fr/actualites"
ORG = "https://www.francetravail.org"
JEUNES = "https://www.1jeune1solution.gouv.fr"

# (title, final status, days until publication (scheduled kits), topics, units, functions,
#  important, link, brief, [(text, networks)])
KITS = [
    (
        "Semaine de l’emploi des jeunes en Bretagne",
        S.PUBLISHED,
        None,
        ["Emploi des jeunes", "Salons et événements"],
        ["dr-bre"],
        [],
        True,
        f"{FT}/semaine-emploi-jeunes-bretagne",
        "<p>Une semaine d’ateliers et de rencontres avec des employeurs dans les agences bretonnes.</p>"
        "<ul><li>42 agences participantes</li><li>Inscription gratuite en agence ou en ligne</li></ul>",
        [
            (
                "Cette semaine, nos agences bretonnes accueillent les jeunes pour des ateliers CV et des rencontres "
                "avec des employeurs du territoire. Venez nous voir ! #AvecPôleEmploi",
                [],
            ),
            (
                "Vous avez moins de 26 ans et cherchez un emploi en Bretagne ? Ateliers, job dating, conseils : "
                "toute la semaine dans nos agences. #AvecPôleEmploi #EmploiJeunes",
                ["x", "bluesky", "mastodon"],
            ),
            (
                "Ce que j’aime dans cette semaine de l’emploi des jeunes : voir des recruteurs et des jeunes se "
                "rencontrer sans filtre. Rendez-vous dans votre agence. #AvecPôleEmploi",
                ["linkedin", "facebook"],
            ),
        ],
    ),
    (
        "Le Contrat d’engagement jeune, comment ça marche ?",
        S.PUBLISHED,
        None,
        ["Emploi des jeunes"],
        [],
        [F.JOB_COUNSELLOR],
        False,
        f"{JEUNES}/contrat-engagement-jeune",
        "<p>Rappeler les conditions du CEJ : 15 à 20 heures d’activité par semaine, une allocation selon les "
        "ressources. Ne pas promettre de montant précis : il dépend de la situation.</p>",
        [
            (
                "Accompagnement intensif, activités chaque semaine, allocation selon la situation : le Contrat "
                "d’engagement jeune, c’est pour les 16-25 ans. #AvecPôleEmploi",
                [],
            ),
            (
                "En tant que conseillère, j’accompagne des jeunes en CEJ : un suivi régulier, des immersions en "
                "entreprise, et un vrai projet à la clé. #AvecPôleEmploi",
                ["linkedin"],
            ),
        ],
    ),
    (
        "Recruteurs : déposez vos offres gratuitement",
        S.PUBLISHED,
        None,
        ["Recrutement"],
        [],
        [F.EMPLOYER_COUNSELLOR, F.AGENCY_DIRECTOR],
        False,
        f"{ORG}/recruteur",
        "<p>Pour les conseiller·ères entreprise : rappeler que le dépôt d’offre est gratuit et que nos équipes "
        "présélectionnent les candidatures si l’employeur le souhaite.</p>",
        [
            (
                "Vous recrutez ? Déposer une offre est gratuit et nos équipes peuvent présélectionner les "
                "candidatures pour vous. #AvecPôleEmploi #Recrutement",
                [],
            ),
            (
                "Chaque semaine j’aide des entreprises de mon territoire à trouver leurs futurs salariés. Parlons de "
                "vos besoins ! #AvecPôleEmploi",
                ["linkedin", "facebook"],
            ),
        ],
    ),
    (
        "Salon de l’apprentissage à Lyon",
        S.PUBLISHED,
        None,
        ["Salons et événements", "Formation"],
        ["dr-ara"],
        [],
        False,
        f"{FT}/salon-apprentissage-lyon",
        "<p>Salon organisé avec la Région et les CFA. Entrée libre, programme sur la page.</p>",
        [
            (
                "Samedi, salon de l’apprentissage à Lyon : une centaine de formations en alternance et des "
                "employeurs présents. Entrée libre. #AvecPôleEmploi #Alternance",
                [],
            ),
            (
                "L’alternance, c’est une formation et un salaire. Venez rencontrer CFA et employeurs samedi à Lyon. "
                "#AvecPôleEmploi",
                ["instagram", "facebook"],
            ),
        ],
    ),
    (
        "DuoDay : un duo pour changer de regard sur le handicap",
        S.PUBLISHED,
        None,
        ["Handicap et inclusion"],
        [],
        [],
        True,
        f"{FT}/duoday",
        "<p>Le DuoDay forme des duos entre une personne en situation de handicap et un·e professionnel·le le "
        "temps d’une journée. Parler des personnes, pas des chiffres.</p>",
        [
            (
                "Une journée en duo pour découvrir un métier et lever des freins : c’est le DuoDay. Notre agence "
                "y participe cette année. #AvecPôleEmploi #DuoDay",
                [],
            ),
            (
                "Accueillir un duo dans son équipe le temps d’une journée, c’est simple et ça change les regards. "
                "Pourquoi pas vous ? #AvecPôleEmploi #DuoDay",
                ["linkedin"],
            ),
            (
                "Le DuoDay, c’est une journée, une rencontre, et parfois le début d’un parcours. #AvecPôleEmploi",
                ["x", "bluesky", "mastodon"],
            ),
        ],
    ),
    (
        "Actualiser sa situation chaque mois",
        S.PUBLISHED,
        None,
        ["Indemnisation"],
        [],
        [F.COMPENSATION, F.JOB_COUNSELLOR],
        False,
        f"{FT}/actualisation",
        "<p>Rappel pratique. Ne jamais demander d’identifiant ni de mot de passe en message privé.</p>",
        [
            (
                "Petit rappel : l’actualisation se fait chaque mois, en ligne ou sur l’application. Elle permet "
                "de maintenir vos droits. #AvecPôleEmploi",
                [],
            ),
            (
                "Question fréquente en agence : quand m’actualiser ? Chaque mois, entre le 28 et le 15. Nos "
                "conseillers répondent à vos questions. #AvecPôleEmploi",
                ["facebook", "linkedin"],
            ),
        ],
    ),
    (
        "Créer son entreprise : les ateliers de novembre",
        S.PUBLISHED,
        None,
        ["Création d’entreprise"],
        ["dr-occ", "dr-naq"],
        [],
        False,
        f"{FT}/ateliers-creation",
        "<p>Ateliers collectifs gratuits pour les porteurs de projet, en Occitanie et en Nouvelle-Aquitaine.</p>",
        [
            (
                "Vous avez un projet de création d’entreprise ? Nos ateliers gratuits vous aident à le structurer. "
                "#AvecPôleEmploi #Entrepreneuriat",
                [],
            ),
            (
                "Business plan, statut, financement : trois ateliers pour passer de l’idée au projet. Inscriptions "
                "auprès de votre agence. #AvecPôleEmploi",
                ["linkedin", "facebook"],
            ),
        ],
    ),
    (
        "Nos agences ouvertes le samedi en Île-de-France",
        S.PUBLISHED,
        None,
        ["Vie des agences"],
        ["dr-idf"],
        [F.AGENCY_DIRECTOR, F.TEAM_MANAGER],
        False,
        f"{FT}/agences-samedi-idf",
        "<p>Expérimentation dans six agences franciliennes. Horaires sur la page de chaque agence.</p>",
        [
            (
                "Six agences franciliennes ouvrent désormais le samedi matin pour mieux vous accueillir. "
                "#AvecPôleEmploi",
                [],
            ),
            (
                "Ouvrir le samedi, c’est une demande des personnes que nous accompagnons. Nous l’expérimentons "
                "dans six agences. #AvecPôleEmploi",
                ["linkedin"],
            ),
        ],
    ),
    (
        "Métiers du soin : découvrir par l’immersion",
        S.EXPIRED,
        None,
        ["Recrutement", "Formation"],
        [],
        [],
        False,
        f"{FT}/immersion-soin",
        "<p>Campagne terminée.</p>",
        [
            (
                "Aide-soignant·e, auxiliaire de vie : testez le métier pendant quelques jours grâce à l’immersion "
                "professionnelle. #AvecPôleEmploi",
                [],
            ),
            (
                "Avant de vous former, essayez : l’immersion permet de découvrir un métier du soin sur le terrain. "
                "#AvecPôleEmploi",
                ["facebook"],
            ),
        ],
    ),
    (
        "Forum emploi saisonnier sur la côte d’Azur",
        S.RETRACTED,
        None,
        ["Salons et événements"],
        ["dr-pac"],
        [],
        False,
        f"{FT}/forum-saisonnier-pac",
        "<p>Forum reporté : contenu retiré.</p>",
        [
            (
                "Forum de l’emploi saisonnier à Nice : plus de 80 employeurs de l’hôtellerie et de la "
                "restauration. #AvecPôleEmploi",
                [],
            ),
            (
                "Vous cherchez un emploi pour la saison ? Rencontrez les employeurs au forum de Nice. "
                "#AvecPôleEmploi #Saisonnier",
                ["x", "facebook"],
            ),
        ],
    ),
    # Scheduled in the coming weeks.
    (
        "Semaine européenne pour l’emploi des personnes handicapées",
        S.APPROVED,
        5,
        ["Handicap et inclusion"],
        [],
        [],
        True,
        f"{FT}/seeph",
        "<p>Programme national et événements locaux. Parler d’accès à l’emploi, pas de « bonnes actions ».</p>",
        [
            (
                "Cette semaine, nos agences se mobilisent pour l’emploi des personnes en situation de handicap : "
                "forums, ateliers, rencontres. #AvecPôleEmploi #SEEPH",
                [],
            ),
            (
                "Recruter sans discriminer, adapter un poste, être accompagné : nos conseillers répondent aux "
                "employeurs toute la semaine. #AvecPôleEmploi",
                ["linkedin"],
            ),
        ],
    ),
    (
        "Job dating transport et logistique à Rennes",
        S.APPROVED,
        9,
        ["Recrutement", "Salons et événements"],
        ["dt-35"],
        [],
        False,
        f"{FT}/job-dating-logistique-rennes",
        "<p>Job dating organisé avec les entreprises du bassin rennais. 120 postes proposés.</p>",
        [
            (
                "Job dating transport et logistique à Rennes : venez avec votre CV, repartez avec un entretien. "
                "#AvecPôleEmploi",
                [],
            ),
            (
                "Cariste, préparateur·rice de commandes, chauffeur·se : les entreprises rennaises recrutent. "
                "Rendez-vous au job dating. #AvecPôleEmploi #Rennes",
                ["x", "bluesky", "mastodon"],
            ),
        ],
    ),
    (
        "Les métiers du numérique sans diplôme",
        S.APPROVED,
        14,
        ["Formation"],
        [],
        [F.JOB_COUNSELLOR],
        False,
        f"{FT}/metiers-numerique",
        "<p>Formations courtes financées. Ne pas promettre d’embauche à l’issue.</p>",
        [
            (
                "Développeur·se web, technicien·ne support : des formations courtes et financées existent, même "
                "sans diplôme. Parlez-en à votre conseiller. #AvecPôleEmploi",
                [],
            ),
            (
                "Reconversion dans le numérique : j’accompagne chaque mois des personnes qui s’y lancent. Les "
                "formations sont courtes et concrètes. #AvecPôleEmploi",
                ["linkedin"],
            ),
        ],
    ),
    (
        "Recrutements de fin d’année dans le commerce",
        S.APPROVED,
        20,
        ["Recrutement"],
        ["dr-hdf", "dr-ges"],
        [],
        False,
        f"{ORG}/recrutements-fin-annee",
        "<p>Offres saisonnières du commerce dans le Nord et l’Est.</p>",
        [
            (
                "Les commerces recrutent pour les fêtes : vente, logistique, caisse. Toutes les offres sont sur "
                "notre site. #AvecPôleEmploi",
                [],
            ),
            (
                "Un premier contrat pour les fêtes peut ouvrir la porte à un emploi durable. Les offres sont en "
                "ligne. #AvecPôleEmploi",
                ["facebook", "instagram"],
            ),
        ],
    ),
    (
        "Bilan de compétences : à quoi ça sert ?",
        S.APPROVED,
        27,
        ["Formation"],
        [],
        [F.PSYCHOLOGIST, F.JOB_COUNSELLOR],
        False,
        f"{FT}/bilan-competences",
        "<p>Présenter le bilan comme un outil, sans jargon.</p>",
        [
            (
                "Faire le point sur ses compétences et ses envies avant de changer de métier : c’est l’objet du "
                "bilan de compétences. #AvecPôleEmploi",
                [],
            ),
            (
                "Psychologue du travail, je vois chaque semaine combien un bilan aide à reprendre confiance. "
                "#AvecPôleEmploi",
                ["linkedin"],
            ),
        ],
    ),
    # Waiting for review.
    (
        "Prime à l’embauche en zone rurale",
        S.SUBMITTED,
        None,
        ["Recrutement"],
        ["dr-cvl"],
        [F.EMPLOYER_COUNSELLOR],
        False,
        f"{ORG}/aides-embauche",
        "<p>Conditions détaillées sur la page. Vérifier l’éligibilité avant d’en parler.</p>",
        [
            (
                "Employeurs du Centre-Val de Loire : des aides existent pour recruter en zone rurale. Votre "
                "conseiller entreprise vous dit si vous êtes éligible. #AvecPôleEmploi",
                [],
            ),
            (
                "Recruter près de chez soi, c’est possible : parlons des aides à l’embauche pour votre "
                "entreprise. #AvecPôleEmploi",
                ["linkedin"],
            ),
        ],
    ),
    (
        "Témoignage : de la restauration à la fibre optique",
        S.SUBMITTED,
        None,
        ["Formation", "Vie des agences"],
        [],
        [],
        False,
        f"{FT}/temoignage-fibre",
        "<p>Témoignage recueilli avec consentement écrit (usage réseaux sociaux, 12 mois).</p>",
        [
            (
                "Après dix ans en cuisine, Karim s’est formé au raccordement fibre. Il raconte sa reconversion. "
                "#AvecPôleEmploi",
                [],
            ),
            (
                "Changer de métier à 35 ans ? Karim l’a fait, avec une formation de trois mois. #AvecPôleEmploi "
                "#Reconversion",
                ["x", "bluesky"],
            ),
        ],
    ),
    (
        "Ateliers numériques pour les seniors",
        S.SUBMITTED,
        None,
        ["Formation"],
        ["dr-nor"],
        [],
        False,
        f"{FT}/ateliers-numeriques",
        "<p>Ateliers en petit groupe, sans prérequis.</p>",
        [
            (
                "Créer son espace personnel, postuler en ligne, préparer un entretien en visio : nos ateliers "
                "numériques sont ouverts à tous. #AvecPôleEmploi",
                [],
            ),
            (
                "Le numérique ne doit pas être un frein à la recherche d’emploi. Nos ateliers en Normandie sont "
                "gratuits. #AvecPôleEmploi",
                ["facebook"],
            ),
        ],
    ),
    # Sent back to its author.
    (
        "Chiffres de l’emploi du trimestre",
        S.CHANGES_REQUESTED,
        None,
        ["Vie des agences"],
        [],
        [],
        False,
        f"{FT}/chiffres-trimestre",
        "<p>Brouillon à revoir.</p>",
        [
            (
                "Les chiffres du trimestre sont publiés : découvrez l’évolution de l’emploi dans votre région. "
                "#AvecPôleEmploi",
                [],
            )
        ],
    ),
    # Drafts.
    (
        "Portes ouvertes à l’agence de Brest",
        S.DRAFT,
        None,
        ["Vie des agences"],
        ["a-29-2"],
        [],
        False,
        f"{FT}/portes-ouvertes-brest",
        "<p>À compléter avec les horaires.</p>",
        [
            (
                "Portes ouvertes samedi à l’agence de Brest : venez découvrir nos services et rencontrer "
                "l’équipe. #AvecPôleEmploi",
                [],
            )
        ],
    ),
    (
        "Le permis de conduire, un levier pour l’emploi",
        S.DRAFT,
        None,
        ["Emploi des jeunes"],
        [],
        [F.JOB_COUNSELLOR],
        False,
        f"{FT}/aide-permis",
        "",
        [
            (
                "Sans permis, certains emplois restent hors de portée. Des aides existent pour le financer. "
                "#AvecPôleEmploi",
                [],
            ),
            (
                "L’aide au permis de conduire, c’est souvent le déclic pour un premier emploi. #AvecPôleEmploi",
                ["linkedin", "facebook"],
            ),
        ],
    ),
    (
        "Employeurs : la méthode de recrutement par simulation",
        S.DRAFT,
        None,
        ["Recrutement"],
        [],
        [F.EMPLOYER_COUNSELLOR],
        False,
        f"{ORG}/mrs",
        "<p>Expliquer la méthode sans jargon.</p>",
        [
            (
                "Recruter sur les habiletés plutôt que sur le CV : c’est la méthode de recrutement par simulation. "
                "#AvecPôleEmploi",
                [],
            )
        ],
    ),
    (
        "Outre-mer : forum des métiers de la mer",
        S.PUBLISHED,
        None,
        ["Salons et événements"],
        ["dr-gua", "dr-mar", "dr-reu"],
        [],
        False,
        f"{FT}/forum-mer-outre-mer",
        "<p>Forums organisés dans trois territoires.</p>",
        [
            (
                "Pêche, maintenance navale, tourisme : le forum des métiers de la mer arrive en Guadeloupe, en "
                "Martinique et à La Réunion. #AvecPôleEmploi",
                [],
            ),
            (
                "Les métiers de la mer recrutent près de chez vous. Rendez-vous au forum ! #AvecPôleEmploi",
                ["facebook", "instagram"],
            ),
        ],
    ),
    (
        "Ancienne campagne : la mobilité internationale",
        S.ARCHIVED,
        None,
        ["Formation"],
        [],
        [],
        False,
        f"{FT}/mobilite-internationale",
        "<p>Remplacé par un kit plus récent.</p>",
        [
            (
                "Travailler à l’étranger, ça se prépare : nos conseillers spécialisés vous accompagnent. "
                "#AvecPôleEmploi",
                [],
            )
        ],
    ),
    (
        "Accueil sur rendez-vous l’après-midi",
        S.PUBLISHED,
        None,
        ["Vie des agences"],
        [],
        [],
        False,
        f"{FT}/accueil-rendez-vous",
        "<p>Le matin sans rendez-vous, l’après-midi sur rendez-vous : rappeler l’organisation.</p>",
        [
            (
                "Dans votre agence : accueil libre le matin, et l’après-midi sur rendez-vous pour prendre le temps "
                "de vous accompagner. #AvecPôleEmploi",
                [],
            ),
            (
                "Prendre rendez-vous, c’est la garantie d’un échange sans attente avec votre conseiller. "
                "#AvecPôleEmploi",
                ["x", "mastodon", "bluesky"],
            ),
        ],
    ),
]


def _people() -> tuple[User | None, User | None]:
    from accounts.demo.seed import DEMO_DOMAIN

    return (
        User.objects.filter(email=f"curateur@{DEMO_DOMAIN}").first(),
        User.objects.filter(email=f"moderateur@{DEMO_DOMAIN}").first(),
    )


def _bring_to(kit: Kit, status: str, *, curator: User, moderator: User) -> None:
    """Walk a fresh draft through the workflow to `status`, as people would."""
    if status == S.DRAFT:
        return
    if status == S.ARCHIVED:
        workflow.kit_archive(kit=kit, by=curator)
        return
    kit = workflow.kit_submit(kit=kit, by=curator)
    if status == S.SUBMITTED:
        return
    if status == S.CHANGES_REQUESTED:
        workflow.kit_request_changes(
            kit=kit,
            by=moderator,
            comment="Les chiffres ne sont pas encore publiés : attendons la date officielle, "
            "et parlons des personnes plutôt que des statistiques.",
        )
        return
    kit = workflow.kit_approve(kit=kit, by=moderator, comment="Relu, c’est bon pour moi.")
    if status in (S.APPROVED, S.PUBLISHED) or kit.status != S.PUBLISHED:
        return
    if status == S.EXPIRED:
        workflow.kit_expire(kit=kit)
    elif status == S.RETRACTED:
        workflow.kit_retract(
            kit=kit, by=moderator, reason="Le forum est reporté : merci de supprimer vos publications."
        )


@demo.step(30, "Bibliothèque : thèmes, domaines autorisés et kits")
def seed_kits(context: dict) -> None:
    for name in TOPICS:
        Topic.objects.get_or_create(slug=slugify(name), defaults={"name": name})
    for domain, note in DOMAINS:
        AllowedDomain.objects.get_or_create(domain=domain, defaults={"note": note})
    curator, moderator = _people()
    if curator is None or moderator is None:
        return
    topics = {t.name: t for t in Topic.objects.all()}
    units = context.get("units") or {}
    existing = set(Kit.objects.values_list("title", flat=True))
    now = timezone.now()
    for title, status, in_days, topic_names, unit_codes, functions, important, link, brief, texts in KITS:
        if title in existing:
            continue
        publish_at = None
        if in_days is not None:
            publish_at = (now + timedelta(days=in_days)).replace(hour=9, minute=30, second=0, microsecond=0)
        try:
            kit = workflow.kit_create(
                by=curator,
                title=title,
                link=link,
                brief=brief,
                hashtags=["AvecPôleEmploi"],
                topics=[topics[name] for name in topic_names],
                target_units=[units[code] for code in unit_codes if code in units],
                target_job_functions=list(functions),
                publish_at=publish_at,
                is_important=important,
                texts=[{"body": body, "networks": networks} for body, networks in texts],
            )
            _bring_to(kit, status, curator=curator, moderator=moderator)
        except DomainError as exc:
            # A guideline rule or a sensitive period may refuse a step on some dates: the
            # kit then stays where it stopped, which is what would happen to a person.
            log.warning("Demo kit %r stopped before %s: %s", title, status, exc.message)
