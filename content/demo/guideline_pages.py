# ruff: noqa: E501 - long lines of French demo prose read better unbroken
"""Demo data of the guideline pages: the advice of the web-social team (idempotent)."""

from accounts.models import User
from advocacy import richtext
from content.models import GuidelinePage

PAGES = [
    (
        "personnaliser-un-message",
        "Personnaliser un message",
        "Partir du texte suggéré, y mettre sa voix, sans perdre l’essentiel.",
        """
<p>Les kits proposent plusieurs textes pour que nous ne publiions pas tous les mêmes mots :
un message recopié à l’identique par cent agent·es se voit, et sonne faux.</p>
<h2>Ce que vous pouvez changer</h2>
<ul>
<li><strong>L’accroche</strong> : ce que vous avez vu, fait ou ressenti (« Ce matin à l’agence de Lorient, … »).</li>
<li><strong>Le ton</strong> : le vôtre, tant qu’il reste courtois et factuel.</li>
<li><strong>Un exemple local</strong> : l’atelier de votre agence, un partenaire de votre bassin d’emploi.</li>
</ul>
<h2>Ce que vous gardez</h2>
<ul>
<li>Le hashtag <strong>#AvecPôleEmploi</strong> : il dit que vous parlez en tant qu’agent·e, c’est notre transparence.</li>
<li>Le lien du kit : il mène à une page officielle et permet de compter les clics, jamais de vous suivre.</li>
<li>Les chiffres, dates et conditions exactement comme dans le kit : une erreur se propage vite.</li>
</ul>
<h2>Avant de publier</h2>
<p>Le vérificateur de texte signale les formulations à éviter, la longueur selon chaque réseau et les liens
non autorisés. Un point « bloquant » doit être corrigé ; un point « à vérifier » mérite une relecture.</p>
""",
    ),
    (
        "ce-qu-il-ne-faut-pas-publier",
        "Ce qu’il ne faut pas publier",
        "Les erreurs qui coûtent cher, et pourquoi.",
        """
<h2>Jamais</h2>
<ul>
<li><strong>Des informations sur une personne accompagnée</strong> : nom, photo, situation, même floutée,
même avec de bonnes intentions, sans consentement écrit recueilli dans la plateforme.</li>
<li><strong>Des captures d’écran de nos outils</strong> : un dossier, une liste ou un agenda peut apparaître en arrière-plan.</li>
<li><strong>Des chiffres avant leur publication officielle</strong>, ni de commentaire sur les chiffres du chômage.</li>
<li><strong>Une opinion politique</strong> ou un avis sur une réforme en débat, a fortiori en période électorale.</li>
</ul>
<h2>À éviter</h2>
<ul>
<li><strong>L’autosatisfaction</strong>. En 2013, « le site d’emploi préféré des Français », publié en pleine hausse
du chômage, a déclenché le hashtag #TweeteCommePoleEmploi et des excuses publiques. « Préféré »,
« record de fréquentation », « champion de », « n°1 » sont désormais bloqués par le vérificateur.</li>
<li><strong>Les promesses</strong> : personne ne peut garantir un emploi ou un délai.</li>
<li><strong>Le jargon</strong> (PPAE, DE cat. A, ARE…) : écrivez pour quelqu’un qui ne nous connaît pas.</li>
</ul>
<p>Préférez toujours un fait concret et vérifiable, et donnez le mérite aux personnes qui réussissent.</p>
""",
    ),
    (
        "reagir-a-une-reponse-negative",
        "Réagir à une réponse négative",
        "Critique, colère, moquerie : que répondre, et quand ne pas répondre.",
        """
<p>Une réponse négative n’est pas une attaque personnelle : c’est souvent une personne en difficulté
qui s’adresse à l’institution à travers vous.</p>
<h2>Les bons réflexes</h2>
<ol>
<li><strong>Ne répondez pas à chaud.</strong> Relisez-vous, ou laissez passer une heure.</li>
<li><strong>Ne traitez jamais un dossier en public.</strong> Ne demandez ni identifiant, ni numéro, ni
adresse : orientez vers les canaux officiels (espace personnel, 3949, compte officiel de l’opérateur).</li>
<li><strong>Restez bref, courtois et factuel</strong> : « Je comprends votre agacement. Votre conseiller·e
peut faire le point avec vous depuis votre espace personnel. »</li>
<li><strong>Ne vous justifiez pas à la place de l’institution</strong> et n’entrez pas dans une polémique.</li>
<li><strong>Ne supprimez pas une publication sous la pression</strong> sans en parler à l’équipe web social,
sauf si elle contient une erreur ou une donnée personnelle.</li>
</ol>
<h2>Quand prévenir l’équipe web social</h2>
<ul>
<li>Les réponses se multiplient, un hashtag moqueur apparaît, un journaliste vous contacte ;</li>
<li>on vous menace, on vous insulte ou on publie des informations sur vous ;</li>
<li>une personne accompagnée se reconnaît dans une publication.</li>
</ul>
<p>Si un contenu est retiré par l’équipe, vous recevez une demande de suppression : supprimez votre
publication et confirmez-le dans la plateforme.</p>
""",
    ),
    (
        "vie-privee-des-personnes-accompagnees",
        "Protéger la vie privée des personnes accompagnées",
        "Consentement, anonymat, photos : les règles pour les témoignages.",
        """
<p>Les personnes que nous accompagnons ne nous doivent aucune publicité. Un témoignage n’est possible
qu’avec leur accord libre, éclairé et enregistré.</p>
<h2>Recueillir un témoignage</h2>
<ul>
<li>Expliquez l’usage prévu et faites lire le texte de consentement en vigueur ; précisez que refuser
n’a <strong>aucune conséquence</strong> sur l’accompagnement.</li>
<li>Enregistrez le consentement dans la plateforme en proposant le témoignage : qui, quand, pour quels
usages, par quel moyen ; joignez le formulaire signé si vous l’avez.</li>
<li>Proposez l’anonymat : un prénom modifié, un métier, une ville suffisent souvent.</li>
</ul>
<h2>Photos</h2>
<ul>
<li>Pas d’écran, de document ou de badge lisible à l’arrière-plan.</li>
<li>La plateforme retire la position GPS et les métadonnées des photos envoyées ; un téléphone les ajoute
sinon automatiquement.</li>
<li>Décrivez chaque photo (texte alternatif) pour les personnes qui ne la voient pas.</li>
</ul>
<h2>Retrait du consentement</h2>
<p>La personne peut retirer son accord à tout moment, auprès de vous ou de l’agence. Enregistrez le retrait
sur la page de l’histoire : les kits qui utilisent le témoignage sont retirés immédiatement et l’équipe
est prévenue.</p>
""",
    ),
    (
        "ecrire-pour-chaque-reseau",
        "Écrire pour chaque réseau",
        "Longueurs, liens, hashtags et accessibilité, réseau par réseau.",
        """
<table>
<thead><tr><th scope="col">Réseau</th><th scope="col">Longueur maximale</th><th scope="col">À savoir</th></tr></thead>
<tbody>
<tr><td>X</td><td>280</td><td>Un lien compte 23 caractères ; émojis et caractères asiatiques comptent 2.</td></tr>
<tr><td>Bluesky</td><td>300</td><td>Compte les caractères visibles, liens compris.</td></tr>
<tr><td>Mastodon</td><td>500</td><td>Un lien compte 23 caractères ; ajoutez une description à chaque image.</td></tr>
<tr><td>LinkedIn</td><td>3 000</td><td>Les deux premières lignes s’affichent avant « voir plus » : commencez par l’essentiel.</td></tr>
<tr><td>Instagram</td><td>2 200</td><td>Les liens ne sont pas cliquables dans les publications.</td></tr>
<tr><td>Facebook</td><td>63 206</td><td>Restez court malgré tout : trois à cinq lignes.</td></tr>
</tbody>
</table>
<h2>Accessibilité</h2>
<ul>
<li>Écrivez les hashtags avec des majuscules à chaque mot (#AvecPôleEmploi) : les lecteurs d’écran les lisent mieux.</li>
<li>Pas de texte entier en capitales ; peu d’émojis, jamais au milieu d’une phrase.</li>
<li>Trois hashtags au plus, placés en fin de message.</li>
</ul>
""",
    ),
    (
        "questions-frequentes",
        "Questions fréquentes",
        "Volontariat, temps de travail, comptes personnels, données.",
        """
<h2>Suis-je obligé·e de partager ?</h2>
<p>Non. Le programme repose sur le volontariat : vous choisissez ce que vous partagez, quand, et sur quel
réseau. Quitter le programme se fait en un clic depuis votre profil, sans conséquence.</p>
<h2>Dois-je utiliser mon compte personnel ?</h2>
<p>Vous partagez depuis vos propres comptes. Le hashtag #AvecPôleEmploi indique que vous vous exprimez en
tant qu’agent·e, c’est une exigence de transparence de la charte.</p>
<h2>Puis-je modifier le texte proposé ?</h2>
<p>Oui, c’est même encouragé : voir « Personnaliser un message ». Gardez le lien, le hashtag et les chiffres exacts.</p>
<h2>Que voit mon manager ?</h2>
<p>Les managers voient la portée des partages de leur périmètre. Vous pouvez choisir depuis votre profil de ne
pas apparaître dans les classements.</p>
<h2>Qu’est-ce que la plateforme sait de mes comptes ?</h2>
<p>Uniquement ce que vous déclarez (identifiant, nombre approximatif d’abonné·es) et les partages faits
depuis la plateforme. Vous pouvez exporter ou faire effacer vos données depuis votre profil.</p>
<h2>Un contenu a été retiré : que faire ?</h2>
<p>Supprimez votre publication dès que possible et confirmez-le dans la plateforme. Un retrait n’est jamais
un reproche : il protège les personnes et l’institution.</p>
""",
    ),
]


def seed(people: dict[str, User]) -> None:
    editor = people.get("curateur") or people.get("admin")
    for position, (slug, title, summary, body) in enumerate(PAGES):
        GuidelinePage.objects.get_or_create(
            slug=slug,
            defaults={
                "title": title,
                "summary": summary,
                "body": richtext.sanitize(body),
                "position": position,
                "updated_by": editor,
            },
        )
