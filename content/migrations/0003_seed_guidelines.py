"""Seed the written guidelines: rules learnt the hard way, the link allowlist and example
sensitive periods. Idempotent: rows that already exist (same kind and pattern, same
domain, same period name) are left as admins may have edited them."""

import datetime as dt

from django.db import migrations

BLOCKING, WARNING = "blocking", "warning"

TERMS = [
    (
        "préféré",
        BLOCKING,
        "En 2013, « le site d’emploi préféré des Français », publié en pleine hausse du chômage, a lancé "
        "#TweeteCommePoleEmploi et obligé l’institution à s’excuser publiquement. Un service public ne se "
        "décerne pas de prix de popularité.",
        "Montrez un service concret : « Sur francetravail.fr, 1 200 offres en Bretagne cette semaine ».",
    ),
    (
        "record de fréquentation",
        BLOCKING,
        "Une affluence record dit surtout que beaucoup de personnes cherchent un emploi : s’en féliciter "
        "blesse celles et ceux qui attendent.",
        "Parlez de l’accueil : « Nos conseiller·es vous reçoivent aussi sans rendez-vous le jeudi matin ».",
    ),
    (
        "champion de",
        BLOCKING,
        "Se dire « champion » relève de l’autopromotion ; le public y lit de l’autosatisfaction.",
        "Citez un résultat vérifiable et sa source, ou donnez la parole à une personne accompagnée (avec son accord).",
    ),
    (
        "meilleur site",
        BLOCKING,
        "Un superlatif invérifiable affaiblit la crédibilité de l’institution et appelle la moquerie.",
        "Décrivez ce que le site permet de faire : « Postulez en deux clics depuis votre espace ».",
    ),
    (
        "n°1",
        BLOCKING,
        "Aucun classement ne fait d’un service public le « numéro 1 » ; la formule sonne comme une publicité.",
        "Mettez en avant un fait précis : nombre d’ateliers, d’offres, de recrutements accompagnés.",
    ),
    (
        "numéro un",
        BLOCKING,
        "Aucun classement ne fait d’un service public le « numéro un » ; la formule sonne comme une publicité.",
        "Mettez en avant un fait précis : nombre d’ateliers, d’offres, de recrutements accompagnés.",
    ),
    (
        "leader",
        WARNING,
        "Le vocabulaire de la concurrence commerciale passe mal pour un service public.",
        "« Acteur du service public de l’emploi », ou mieux : ce que nous faisons concrètement.",
    ),
    (
        "grâce à nous",
        BLOCKING,
        "La réussite appartient à la personne qui a retrouvé un emploi ; s’en attribuer le mérite est mal perçu.",
        "« Bravo à Karim, qui a décroché son CDI après la formation de soudeur ! »",
    ),
    (
        "fier de",
        WARNING,
        "La fierté affichée peut sembler déplacée quand le chômage touche durement des personnes. "
        "À réserver aux réussites des personnes accompagnées ou des équipes, jamais à l’institution elle-même.",
        "« Heureux d’avoir accompagné… », « Bravo à l’équipe de l’agence de Vannes pour… »",
    ),
    (
        "emploi garanti",
        BLOCKING,
        "Nous ne pouvons promettre un emploi à personne : la promesse serait trompeuse et source de réclamations.",
        "« Des offres à pourvoir », « un accompagnement pour vous préparer aux entretiens ».",
    ),
    (
        "chômeur",
        WARNING,
        "Le mot réduit les personnes à leur situation ; la charte éditoriale préfère une formulation respectueuse.",
        "« Personnes en recherche d’emploi », « demandeur·ses d’emploi », « candidat·es ».",
    ),
]

PERIOD_TERMS = [
    (
        "taux de chômage",
        WARNING,
        "Pendant la publication des chiffres du chômage, tout commentaire sur leur évolution par un agent peut "
        "passer pour une communication officielle, ou pour un commentaire politique.",
        "Ne commentez pas les chiffres : relayez la publication officielle, sans interprétation.",
    ),
]

OTHER_RULES = [
    (
        "required_hashtag",
        "AvecPôleEmploi",
        None,
        BLOCKING,
        "Le hashtag du programme rend nos publications transparentes : chacun sait qu’elles viennent d’agent·es "
        "et l’équipe peut les compter.",
        "Ajoutez #AvecPôleEmploi à la fin du texte.",
    ),
    (
        "max_hashtags",
        "",
        3,
        WARNING,
        "Au-delà de trois hashtags, un message se lit mal et ressemble à de la publicité.",
        "Gardez #AvecPôleEmploi et un ou deux hashtags thématiques.",
    ),
    (
        "capitals",
        "",
        60,
        WARNING,
        "Un texte en capitales se lit comme un cri, et les lecteurs d’écran l’épellent parfois lettre à lettre.",
        "Écrivez en minuscules ; gardez les capitales pour les sigles.",
    ),
    (
        "length",
        "",
        None,
        BLOCKING,
        "Chaque réseau limite la longueur des messages et la compte à sa façon : sur X un lien compte "
        "23 caractères et un émoji 2 ; Bluesky compte 300 caractères visibles ; Mastodon 500.",
        "Raccourcissez le texte, ou proposez un texte par réseau.",
    ),
    (
        "link_allowlist",
        "",
        None,
        BLOCKING,
        "Nous ne renvoyons que vers des pages sûres et officielles (https, domaines autorisés par les "
        "administrateur·rices), jamais vers un raccourcisseur ou un site tiers.",
        "Utilisez l’adresse complète d’une page de francetravail.fr ou d’un site partenaire autorisé.",
    ),
    (
        "image_alt",
        "",
        None,
        BLOCKING,
        "Le texte alternatif décrit l’image aux personnes aveugles ou malvoyantes : il est obligatoire (RGAA).",
        "Décrivez en une phrase ce que montre l’image, et recopiez le texte qu’elle contient.",
    ),
]

DOMAINS = [
    ("francetravail.fr", "Site de France Travail"),
    ("francetravail.org", "Sites institutionnels de France Travail"),
    ("pole-emploi.fr", "Ancien domaine, toujours redirigé"),
    ("pole-emploi.org", "Ancien domaine institutionnel"),
    ("travail-emploi.gouv.fr", "Ministère du Travail"),
    ("service-public.fr", "Service-Public.fr"),
    ("1jeune1solution.gouv.fr", "Plateforme #1jeune1solution"),
]

FIGURES_EXPLANATION = (
    "Les chiffres des demandeur·ses d’emploi sont publiés ces jours-là. Évitez de publier sur l’emploi ou, "
    "au minimum, ne commentez pas les chiffres."
)


def _periods():
    return [
        ("Publication des chiffres du chômage (décembre 2026)", dt.date(2026, 12, 28), dt.date(2026, 12, 29)),
        ("Publication des chiffres du chômage (janvier 2027)", dt.date(2027, 1, 27), dt.date(2027, 1, 28)),
        ("Publication des chiffres du chômage (février 2027)", dt.date(2027, 2, 24), dt.date(2027, 2, 25)),
    ]


def seed(apps, schema_editor):
    GuidelineRule = apps.get_model("content", "GuidelineRule")
    SensitivePeriod = apps.get_model("content", "SensitivePeriod")
    AllowedDomain = apps.get_model("content", "AllowedDomain")

    for domain, note in DOMAINS:
        AllowedDomain.objects.get_or_create(domain=domain, defaults={"note": note})

    figures = []
    for name, starts_on, ends_on in _periods():
        period, _created = SensitivePeriod.objects.get_or_create(
            name=name,
            defaults={
                "starts_on": starts_on,
                "ends_on": ends_on,
                "severity": WARNING,
                "explanation": FIGURES_EXPLANATION,
            },
        )
        figures.append(period)
    SensitivePeriod.objects.get_or_create(
        name="Élection présidentielle 2027 : période de réserve",
        defaults={
            "starts_on": dt.date(2027, 3, 15),
            "ends_on": dt.date(2027, 5, 9),
            "severity": WARNING,
            "explanation": "En période électorale, les agent·es publics observent un devoir de réserve renforcé : "
            "pas de nouveau dispositif mis en avant, aucune prise de position, aucun commentaire sur les annonces "
            "des candidat·es. Les kits sont relus par la direction de la communication.",
        },
    )

    for pattern, severity, explanation, suggestion in TERMS:
        GuidelineRule.objects.get_or_create(
            kind="term",
            pattern=pattern,
            defaults={"severity": severity, "explanation": explanation, "suggestion": suggestion},
        )
    for pattern, severity, explanation, suggestion in PERIOD_TERMS:
        rule, created = GuidelineRule.objects.get_or_create(
            kind="term",
            pattern=pattern,
            defaults={"severity": severity, "explanation": explanation, "suggestion": suggestion},
        )
        if created:
            rule.only_during.set(figures)
    for kind, pattern, parameter, severity, explanation, suggestion in OTHER_RULES:
        GuidelineRule.objects.get_or_create(
            kind=kind,
            pattern=pattern,
            defaults={
                "parameter": parameter,
                "severity": severity,
                "explanation": explanation,
                "suggestion": suggestion,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("content", "0002_stories_discussions")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
