"""Feed /partager/ with 10,000 kits and 50,000 ambassadors: p99 at the launch-day rate, queries vs 10 kits.

Launch-day rate, stated: a kit published to all 50,000 ambassadors, of whom 20 % open the
feed within the first ten minutes, at three times the average at the peak:
50,000 × 0.2 / 600 s × 3 ≈ 50 feed views per second. Served by gunicorn as in production,
driven by the load generator in a second process, as signed-in ambassadors. The baseline
is the same page for ambassadors who are shown 10 kits, in the same run.
"""

import random
import time

from bench import harness

KITS, PEOPLE, RATE = 10_000, 50_000, 50
QUICK_KITS, QUICK_PEOPLE, QUICK_RATE = 500, 2_000, 10
SIGNED_IN = 100


def _units():
    from accounts import services
    from accounts.models import OrgUnit

    # The campaign bench may have made "bench-dg" alone in the same database: ask for
    # this bench's own agencies, not for the head office.
    if not OrgUnit.objects.filter(code__startswith="bench-a-").exists():
        head = OrgUnit.objects.filter(code="bench-dg").first() or services.org_unit_create(
            code="bench-dg", name="DG (banc)", kind=OrgUnit.Kind.NATIONAL
        )
        for r in range(3):
            region = services.org_unit_create(
                code=f"bench-dr-{r}", name=f"DR {r}", kind=OrgUnit.Kind.REGION, parent=head
            )
            for a in range(10):
                services.org_unit_create(
                    code=f"bench-a-{r}-{a}", name=f"Agence {r}-{a}", kind=OrgUnit.Kind.AGENCY, parent=region
                )
    return list(OrgUnit.objects.filter(code__startswith="bench-a-")), list(
        OrgUnit.objects.filter(code__startswith="bench-dr-")
    )


def _seed(n_kits: int, n_people: int):
    """Ambassadors (all counsellors except 'psychologue' ones shown 10 kits) and kits. Reused between runs."""
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import CharterAcceptance, CharterVersion, JobFunction, User
    from advocacy.sharing.models import Share, TrackedLink
    from content.models import Kit, Topic

    rng = random.Random(50)
    agencies, regions = _units()
    now = timezone.now()
    with transaction.atomic():
        have = User.objects.filter(email__startswith="bench-feed-").count()
        User.objects.bulk_create(
            [
                User(
                    email=f"bench-feed-{i}@bench.example",
                    password="!",
                    first_name="Banc",
                    unit=agencies[i % len(agencies)],
                    # The first SIGNED_IN people are shown every kit; the next SIGNED_IN only 10.
                    job_function=JobFunction.PSYCHOLOGIST if SIGNED_IN <= i < 2 * SIGNED_IN else "conseiller_emploi",
                    opted_in_at=now,
                )
                for i in range(have, n_people)
            ],
            batch_size=5000,
        )
        charter = CharterVersion.objects.filter(published_at__isnull=False).order_by("-number").first()
        if charter is None:
            charter = CharterVersion.objects.create(number=1, title="Charte", body="<p>Charte</p>", published_at=now)
        people = list(User.objects.filter(email__startswith="bench-feed-").order_by("pk")[: 2 * SIGNED_IN])
        CharterAcceptance.objects.bulk_create(
            [CharterAcceptance(user=p, version=charter) for p in people], ignore_conflicts=True
        )

        topics = [Topic.objects.get_or_create(slug=f"bench-{t}", defaults={"name": f"Thème {t}"})[0] for t in range(6)]
        have = Kit.objects.filter(slug__startswith="bench-feed-").count()
        every_function_but_one = [f for f in JobFunction.values if f != JobFunction.PSYCHOLOGIST]
        Kit.objects.bulk_create(
            [
                Kit(
                    slug=f"bench-feed-{i}",
                    title=f"Contenu {i} du banc d’essai",
                    brief="<p>" + "Un contenu à partager avec vos mots. " * 8 + "</p>",
                    link="https://www.francetravail.fr/actualites/banc",
                    status=Kit.Status.PUBLISHED,
                    published_at=now - timezone.timedelta(minutes=i),
                    is_important=i % 97 == 0,
                    hashtags=["AvecPôleEmploi"],
                    # 10 kits for everyone; the rest not for the 'psychologue' baseline group.
                    target_job_functions=[] if i < 10 else every_function_but_one,
                )
                for i in range(have, n_kits)
            ],
            batch_size=2000,
        )
        kits = list(Kit.objects.filter(slug__startswith="bench-feed-").order_by("pk").values_list("pk", flat=True))
        if not Kit.topics.through.objects.filter(kit_id=kits[-1]).exists():
            Kit.topics.through.objects.bulk_create(
                [Kit.topics.through(kit_id=k, topic_id=topics[k % len(topics)].pk) for k in kits],
                batch_size=5000,
                ignore_conflicts=True,
            )
            # One kit in five is meant for one region only.
            Kit.target_units.through.objects.bulk_create(
                [Kit.target_units.through(kit_id=k, orgunit_id=rng.choice(regions).pk) for k in kits[10::5]],
                batch_size=5000,
                ignore_conflicts=True,
            )
        # The signed-in ambassadors already shared a few of the newest kits.
        if not Share.objects.filter(kit_id__in=kits[:50]).exists():
            for person in people[:SIGNED_IN]:
                for k in rng.sample(kits[:40], 5):
                    link = TrackedLink.objects.create(ambassador=person, kit_id=k, channel="x")
                    Share.objects.create(
                        ambassador=person,
                        unit_id=person.unit_id,
                        kit_id=k,
                        channel="x",
                        text="t",
                        text_hash="h",
                        link=link,
                    )
    return people[:SIGNED_IN], people[SIGNED_IN:]


def _cookies(people) -> list[str]:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    cookies = []
    for person in people:
        session = SessionStore()
        session[SESSION_KEY] = str(person.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = person.get_session_auth_hash()
        session.save()
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={session.session_key}")
    return cookies


def _query_count(person) -> tuple[int, int]:
    """Queries of one feed page for `person`, and how many kits it says they have."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from advocacy.sharing.selectors import kits_for_feed

    client = Client()
    client.force_login(person)
    client.get("/partager/", HTTP_HOST="127.0.0.1")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/partager/", HTTP_HOST="127.0.0.1")
    assert response.status_code == 200, response.status_code
    return len(queries), kits_for_feed(user=person).count()


def run(args):
    import subprocess

    env = harness.environment()
    harness.setup_django(env)
    n_kits, n_people, rate = (QUICK_KITS, QUICK_PEOPLE, QUICK_RATE) if args.quick else (KITS, PEOPLE, RATE)
    seconds = 5 if args.quick else 15
    started = time.perf_counter()
    many, few = _seed(n_kits, n_people)
    harness.analyze()
    print(f"  data: {n_kits:,} kits, {n_people:,} ambassadors ready in {time.perf_counter() - started:.1f} s")
    if not (harness.ROOT / "var" / "bench-static" / "staticfiles.json").exists():
        subprocess.run(
            [harness.PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=harness.ROOT, env=env, check=True
        )

    queries_many, seen_many = _query_count(many[0])
    queries_few, seen_few = _query_count(few[0])
    print(
        f"  queries per feed page: {queries_many} for an ambassador shown {seen_many:,} kits, "
        f"{queries_few} for one shown {seen_few} → {'same' if queries_many == queries_few else 'DIFFERENT'}"
    )

    cookies_many, cookies_few = _cookies(many), _cookies(few)
    paths = ["/partager/", "/partager/?page=2", "/partager/?theme=bench-1"]
    with harness.gunicorn("advocacy.wsgi:application", env) as port:
        harness.load(port, ["/partager/"], mode="closed", seconds=1, concurrency=4, cookies=cookies_many)
        # Capacity first (closed loop, as many workers' worth of clients): the service time
        # of one page without queueing, and the most views per second this machine serves.
        few_cap = harness.load(port, ["/partager/"], mode="closed", seconds=seconds, concurrency=4, cookies=cookies_few)
        many_cap = harness.load(port, paths, mode="closed", seconds=seconds, concurrency=4, cookies=cookies_many)
        few_run = harness.load(port, ["/partager/"], mode="open", rate=rate, seconds=seconds, cookies=cookies_few)
        many_run = harness.load(port, paths, mode="open", rate=rate, seconds=seconds, cookies=cookies_many)
    print(harness.line("feed, 10 kits, capacity (4 clients)", few_cap))
    print(harness.line(f"feed, {n_kits:,} kits, capacity (4 clients)", many_cap))
    print(f"  capacity ratio {n_kits:,} kits / 10 kits: {many_cap['rps'] / max(few_cap['rps'], 1e-9):.2f}")
    print(harness.line(f"feed, 10 kits, at {rate} views/s (baseline)", few_run))
    print(harness.line(f"feed, {n_kits:,} kits, at {rate} views/s", many_run))
    ratio = many_run["p99_ms"] / few_run["p99_ms"] if few_run["p99_ms"] else float("nan")
    print(
        f"  p99 with {n_kits:,} kits: {many_run['p99_ms']:.0f} ms (target < 150 ms), {ratio:.2f}× the 10-kit baseline"
    )
    ok = sum(v for k, v in many_run["statuses"].items() if k == "200")
    print(f"  answers 200: {ok} of {many_run['requests']}")
