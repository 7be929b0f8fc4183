"""Reach report: a 30-day report for one region from the roll-ups, vs hand-written SQL and raw events.

Data (made with INSERT … SELECT generate_series, in a database of its own,
`<BENCH_DATABASE_URL>_report`, so other benchmarks running at the same time are not
disturbed): the demo organisation, 2,000 ambassadors, 40 kits, 30,000 tracked links with
one share each over 90 days, 10,000,000 click events and 1,000,000 posts. Printed:

- the initial roll-up of the 90 days (time);
- `reach_report(user=<manager of a region>, period=<30 days>)`, median of 15 runs taken in turn
  with those of both baselines,
  as a ratio to the same queries written by hand in SQL against the roll-up tables
  (target: at most 1.5) and to a GROUP BY of the same headline figures over the raw
  events (target: at most 0.1);
- `rollup_refresh()` catching up with 1,000,000 new click events (today, yesterday and
  late ones for an older day): its time.

`--quick`: 200,000 clicks and 20,000 posts, to check the script itself.
"""

import os
import statistics
import time
from datetime import timedelta

FULL = {"clicks": 10_000_000, "posts": 1_000_000, "new_clicks": 1_000_000, "links": 30_000, "people": 2_000}
QUICK = {"clicks": 200_000, "posts": 20_000, "new_clicks": 50_000, "links": 5_000, "people": 500}
KITS = 40
DAYS = 90
RUNS = 15  # the report takes ~20 ms: a median of fewer moved by a quarter from run to run
CHANNELS = ["linkedin", "linkedin", "linkedin", "x", "x", "facebook", "mastodon", "bluesky", "email"]


def _setup_django():
    import psycopg

    url = os.environ["BENCH_DATABASE_URL"] + "_report"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("REDIS_URL", os.environ.get("BENCH_REDIS_URL", ""))
    os.environ.setdefault("DEBUG", "true")
    base, _slash, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        # BENCH_REUSE=1 keeps the data of an earlier run (generating 10M clicks takes a while).
        if exists and not os.environ.get("BENCH_REUSE"):
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = False
        if not exists:
            admin.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _timed(label, func, *args, **kwargs):
    started = time.perf_counter()
    result = func(*args, **kwargs)
    elapsed = time.perf_counter() - started
    print(f"  {label:<44}: {elapsed:8.2f} s")
    return result, elapsed


def _sql(statement, params=None):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def _people_and_kits(size):
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from accounts.demo.seed import seed_organisation
    from accounts.models import OrgUnit, ProgrammeMembership, User
    from content.models import Kit

    units = seed_organisation()
    existing = User.objects.filter(email="manager@bench.example").first()
    if existing is not None:
        return existing
    agencies = [u for u in units.values() if u.kind == OrgUnit.Kind.AGENCY]
    region = units["dr-bre"]
    password = make_password("bench-password-not-used")
    now = timezone.now()
    User.objects.bulk_create(
        [
            User(
                email=f"bench.{i}@bench.example",
                first_name="Agent",
                last_name=str(i),
                unit=agencies[i % len(agencies)],
                password=password,
                opted_in_at=now - timedelta(days=400),
                appears_in_rankings=i % 2 == 0,
            )
            for i in range(size["people"])
        ],
        batch_size=2000,
    )
    # Not the feed bench's people ("bench-feed-…"), who may share the database.
    people = list(User.objects.filter(email__startswith="bench.", email__endswith="@bench.example"))
    ProgrammeMembership.objects.bulk_create(
        [ProgrammeMembership(user=p, unit_id=p.unit_id, joined_at=p.opted_in_at) for p in people], batch_size=2000
    )
    Kit.objects.bulk_create(
        [
            Kit(
                slug=f"bench-kit-{i}",
                title=f"Kit de charge {i}",
                brief="",
                link="https://www.francetravail.fr/",
                status=Kit.Status.PUBLISHED,
                retraction_reason="",
            )
            for i in range(KITS)
        ]
    )
    manager = User.objects.create(email="manager@bench.example", unit=region, managed_unit=region, password=password)
    return manager


def _events(size):
    """Links, shares, clicks and posts, generated in PostgreSQL itself."""
    from django.utils import timezone

    today = timezone.localdate()
    first_day = today - timedelta(days=DAYS - 1)
    channels = "ARRAY[" + ",".join(f"'{c}'" for c in CHANNELS) + "]"
    # The people and kits in arrays, so generate_series rows pick one by index.
    _sql(
        "CREATE TEMP TABLE bench_people AS SELECT row_number() OVER (ORDER BY id) - 1 AS i, id, unit_id "
        "FROM accounts_user WHERE email LIKE '%%@bench.example' AND managed_unit_id IS NULL"
    )
    _sql("CREATE TEMP TABLE bench_kits AS SELECT row_number() OVER (ORDER BY id) - 1 AS i, id FROM content_kit")
    people = size["people"]
    from advocacy.reach.models import SocialPost
    from advocacy.sharing.models import Click

    have_clicks = Click.objects.exists()
    if have_clicks:
        print("    links, shares and clicks kept from an earlier run (BENCH_REUSE)")
    # (ambassador, kit, channel) unique: g -> person g % P, kit (g / P) % K, channel (g / (P*K)).
    if not have_clicks:
        _links_shares_clicks(size, first_day, channels, people)
    _sql(
        "CREATE TEMP TABLE bench_links AS SELECT row_number() OVER (ORDER BY id) - 1 AS i, id FROM sharing_trackedlink"
    )
    _sql("CREATE INDEX ON bench_links (i)")
    if not have_clicks:
        _clicks(size["clicks"], first_day, DAYS, size["links"], label="clicks")
    if SocialPost.objects.exists():
        print("    posts kept from an earlier run (BENCH_REUSE)")
    else:
        _posts(size, first_day, people)
    _sql("ANALYZE")


def _links_shares_clicks(size, first_day, channels, people):
    _sql(
        f"""
        INSERT INTO sharing_trackedlink (code, ambassador_id, unit_id, kit_id, channel, created_at)
        SELECT substr(md5('link' || g), 1, 12), p.id, p.unit_id, k.id, ({channels})[1 + (g / ({people} * {KITS})) %% 9],
               now() - interval '100 days'
        FROM generate_series(0, %s - 1) AS g
        JOIN bench_people p ON p.i = g %% {people}
        JOIN bench_kits k ON k.i = (g / {people}) %% {KITS}
        """,
        [size["links"]],
    )
    _sql(
        """
        INSERT INTO sharing_share (ambassador_id, unit_id, job_function, kit_id, channel, text, text_hash,
                                   link_id, post_url, created_at)
        SELECT l.ambassador_id, u.unit_id, '', l.kit_id, l.channel, 'Bench #AvecPôleEmploi', md5(l.code), l.id, '',
               %s::timestamptz + (random() * 89) * interval '1 day'
        FROM sharing_trackedlink l JOIN accounts_user u ON u.id = l.ambassador_id
        """,
        [f"{first_day.isoformat()} 09:00+01"],
    )


def _posts(size, first_day, people):
    _sql(
        f"""
        INSERT INTO reach_socialpost (network, external_id, author_external_id, author_handle, author_instance,
            author_name, author_followers, text, url, posted_at, reposts, replies, likes, quotes, impressions,
            hashtags, source, tracked_code, attribution, ambassador_id, unit_id, first_seen_at, fetched_at)
        SELECT CASE WHEN g % 4 = 0 THEN 'linkedin' ELSE 'x' END, 'bench-' || g, '', 'author_' || (g % 50000), '',
               'Auteur ' || (g % 50000), (g::bigint * 7919) % 20000, 'Bench #AvecPôleEmploi', '',
               %s::timestamptz + (g % {DAYS}) * interval '1 day' + (g % 600) * interval '1 minute',
               g % 40, NULL, g % 300, NULL, CASE WHEN g % 4 = 0 THEN NULL ELSE g % 50000 END,
               ' avecpoleemploi ', 'import', '',
               CASE WHEN g % 3 = 0 THEN 'ambassador' ELSE 'organic' END,
               CASE WHEN g % 3 = 0 THEN p.id END, CASE WHEN g % 3 = 0 THEN p.unit_id END,
               -- Collected an hour ago: the catch-up below measures new clicks, not these posts
               -- (rollups.LATE_COMMIT_MARGIN looks a few minutes back for posts just written).
               now() - interval '1 hour', now() - interval '1 hour'
        FROM generate_series(0, %s - 1) AS g JOIN bench_people p ON p.i = g % {people}
        """.replace("%s", "{}")
        .replace("%", "%%")
        .replace("{}", "%s"),
        [f"{first_day.isoformat()} 08:00+01", size["posts"]],
    )


def _clicks(count, first_day, days, links, *, label):
    """`count` click events over `days` days from `first_day`, in chunks of 1,000,000."""
    chunk = 1_000_000
    done = 0
    while done < count:
        n = min(chunk, count - done)
        _sql(
            f"""
            INSERT INTO sharing_click (event_id, link_id, at, day, kind, visitor_hash, referrer_host)
            SELECT gen_random_uuid(), l.id, t, (t AT TIME ZONE 'Europe/Paris')::date,
                   (ARRAY['human','human','human','human','human','human','human','preview','bot','head'])[1 + g %% 10],
                   substr(md5((g %% 5000)::text), 1, 16), 't.co'
            FROM (SELECT g, %s::timestamptz + ((g * 7) %% ({days} * 1440)) * interval '1 minute' AS t
                  FROM generate_series(%s, %s - 1) AS g) AS s
            JOIN bench_links l ON l.i = (s.g * 2654435761) %% {links}
            """,
            [f"{first_day.isoformat()} 00:00+01", done, done + n],
        )
        done += n
        print(f"    {label}: {done:,}", flush=True)


def _hand_sql(region_path, start, end, prev_start, prev_end, end_instant, prev_end_instant, start_instant,
              prev_start_instant):  # fmt: skip
    """The report's reads, the statements of reports._Reads written out by hand for one
    region and run bare through a cursor: the report without its scope check, the
    building of its parameters and the assembly of its figures."""
    from django.db import connection

    like = region_path + "%"
    sums = (
        "shares, human_clicks, link_day_visitors, bot_clicks, ambassador_posts, organic_posts, reposts, likes, "
        "impressions, posts_with_impressions, potential_reach"
    ).split(", ")
    # Both periods in one scan, grouped by period, as reach_report does.
    both = ", ".join(f"SUM({c})" for c in sums)
    params = {"like": like, "s": start, "e": end, "ps": prev_start, "pe": prev_end}
    statements = [
        f"SELECT r.day >= %(s)s, {both} FROM reach_reachdaily r "
        "WHERE r.unit_id = ANY(%(ids)s) AND r.day BETWEEN %(ps)s AND %(e)s GROUP BY 1",
        "SELECT COUNT(DISTINCT a.ambassador_id) FILTER (WHERE a.day BETWEEN %(s)s AND %(e)s), "
        "COUNT(DISTINCT a.ambassador_id) FILTER (WHERE a.day BETWEEN %(ps)s AND %(pe)s) "
        "FROM reach_ambassadordaily a "
        "WHERE a.unit_id = ANY(%(ids)s) AND a.shares > 0 AND a.day BETWEEN %(ps)s AND %(e)s",
        "SELECT COUNT(*) FILTER (WHERE m.joined_at < %(ei)s AND (m.left_at IS NULL OR m.left_at >= %(ei)s)), "
        "COUNT(*) FILTER (WHERE m.joined_at < %(pei)s AND (m.left_at IS NULL OR m.left_at >= %(pei)s)) "
        "FROM accounts_programmemembership m WHERE m.unit_id = ANY(%(ids)s)",
        "SELECT r.day, SUM(shares), SUM(human_clicks), SUM(ambassador_posts), SUM(organic_posts) "
        "FROM reach_reachdaily r WHERE r.unit_id = ANY(%(ids)s) AND r.day BETWEEN %(s)s AND %(e)s GROUP BY r.day",
        f"SELECT r.network, {', '.join(f'SUM({c})' for c in sums)} FROM reach_reachdaily r "
        "WHERE r.unit_id = ANY(%(ids)s) AND r.day BETWEEN %(s)s AND %(e)s GROUP BY r.network ORDER BY r.network",
        "SELECT id FROM accounts_orgunit WHERE parent_id = (SELECT id FROM accounts_orgunit WHERE path = %(path)s)",
        f"SELECT u.path, {', '.join(f'SUM({c})' for c in sums)} FROM reach_reachdaily r "
        "JOIN accounts_orgunit u ON u.id = r.unit_id WHERE r.unit_id = ANY(%(ids)s) AND r.day BETWEEN %(s)s AND %(e)s "
        "GROUP BY u.path",
        "SELECT r.kit_id, k.title, SUM(shares) s, SUM(human_clicks) c, SUM(ambassador_posts) p "
        "FROM reach_reachdaily r JOIN content_kit k ON k.id = r.kit_id "
        "WHERE r.unit_id = ANY(%(ids)s) AND r.day BETWEEN %(s)s AND %(e)s "
        "GROUP BY r.kit_id, k.title ORDER BY c DESC, s DESC, r.kit_id LIMIT 10",
        "SELECT a.ambassador_id, p.first_name, p.last_name, p.appears_in_rankings, p.unit_id, pu.name, "
        "SUM(a.shares) s, SUM(a.human_clicks) c, SUM(a.posts) n FROM reach_ambassadordaily a "
        "JOIN accounts_user p ON p.id = a.ambassador_id LEFT JOIN accounts_orgunit pu ON pu.id = p.unit_id "
        "WHERE a.unit_id = ANY(%(ids)s) AND a.day BETWEEN %(s)s AND %(e)s "
        "GROUP BY a.ambassador_id, p.first_name, p.last_name, p.appears_in_rankings, p.unit_id, pu.name "
        "ORDER BY c DESC, s DESC, n DESC, a.ambassador_id LIMIT 10",
        # The collection gaps the report warns about (reports.collection_gaps).
        "SELECT * FROM reach_collectiongap WHERE filled_at IS NULL AND ((starts_at < %(ei)s AND ends_at > %(si)s) "
        "OR (starts_at < %(pei)s AND ends_at > %(psi)s)) ORDER BY starts_at",
    ]
    params.update({"ei": end_instant, "pei": prev_end_instant, "si": start_instant, "psi": prev_start_instant})
    params["path"] = region_path
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM accounts_orgunit WHERE path LIKE %s", [like])
        params["ids"] = [row[0] for row in cursor.fetchall()]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement, params)
            cursor.fetchall()


def _raw_group_by(region_path, start_instant, end_instant, start, end):
    """The headline figures of the same 30 days computed from the raw events."""
    from django.db import connection

    params = {"like": region_path + "%", "si": start_instant, "ei": end_instant, "s": start, "e": end}
    statements = [
        "SELECT l.channel, l.kit_id, c.day, COUNT(*) FILTER (WHERE c.kind = 'human'), "
        "COUNT(DISTINCT (c.link_id, c.visitor_hash)) FILTER (WHERE c.kind = 'human'), "
        "COUNT(*) FILTER (WHERE c.kind <> 'human') "
        "FROM sharing_click c JOIN sharing_trackedlink l ON l.id = c.link_id "
        "JOIN sharing_share s ON s.link_id = l.id JOIN accounts_orgunit u ON u.id = s.unit_id "
        "WHERE u.path LIKE %(like)s AND c.day BETWEEN %(s)s AND %(e)s GROUP BY l.channel, l.kit_id, c.day",
        "SELECT s.channel, COUNT(*) FROM sharing_share s JOIN accounts_orgunit u ON u.id = s.unit_id "
        "WHERE u.path LIKE %(like)s AND s.created_at >= %(si)s AND s.created_at < %(ei)s GROUP BY s.channel",
        "SELECT p.network, COUNT(*), SUM(likes), SUM(reposts), SUM(impressions), SUM(author_followers) "
        "FROM reach_socialpost p JOIN accounts_orgunit u ON u.id = p.unit_id "
        "WHERE u.path LIKE %(like)s AND p.posted_at >= %(si)s AND p.posted_at < %(ei)s GROUP BY p.network",
    ]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement, params)
            cursor.fetchall()


def _medians(funcs: dict, runs=RUNS) -> dict:
    """The median time of each function, run in turn (a, b, c, a, b, c…) so that each meets
    the machine in the same state: run one series after the other, an autovacuum of the
    events just written, or a checkpoint, weighs on one series alone (a report measured
    at 25.7 ms beside hand-written SQL at 18.1 ms took 17 to 20 ms on the same data a
    minute later)."""
    times = {name: [] for name in funcs}
    for _ in range(runs):
        for name, func in funcs.items():
            started = time.perf_counter()
            func()
            times[name].append(time.perf_counter() - started)
    return {name: statistics.median(series) for name, series in times.items()}


def run(args):
    size = QUICK if args.quick else FULL
    _setup_django()
    from django.utils import timezone

    from advocacy.reach import rollups
    from advocacy.reach.models import ReachDaily
    from advocacy.reach.reports import Period, reach_report, small_reads

    print(
        f"  data: {size['clicks']:,} clicks, {size['posts']:,} posts, {size['links']:,} links, "
        f"{size['people']:,} ambassadors, {KITS} kits, {DAYS} days"
    )
    manager, _t = _timed("people, kits (ORM)", _people_and_kits, size)
    _timed("events (INSERT … SELECT generate_series)", _events, size)
    today = timezone.localdate()
    _r, initial = _timed(f"initial roll-up of {DAYS} days", rollups.rollup_days, today - timedelta(days=DAYS), today)
    rollups.rollup_refresh()  # sets the refresh marks
    _sql("ANALYZE")
    print(f"  roll-up rows: {ReachDaily.objects.count():,}")

    period = Period.last_days(30)
    previous = period.previous()
    region = manager.managed_unit

    def orm():
        reach_report(user=manager, period=period)

    def hand():
        # The same session settings as reach_report (see reports.small_reads).
        with small_reads():
            _hand()

    def _hand():
        _hand_sql(
            region.path,
            period.start,
            period.end,
            previous.start,
            previous.end,
            period.end_instant,
            previous.end_instant,
            period.start_instant,
            previous.start_instant,
        )

    def raw():
        _raw_group_by(region.path, period.start_instant, period.end_instant, period.start, period.end)

    report = reach_report(user=manager, period=period)
    print(
        f"  report of {region.code}: {report.figures['shares']:,} shares, {report.figures['human_clicks']:,} clicks, "
        f"{report.figures['ambassador_posts']:,} posts"
    )
    orm()
    hand()
    medians = _medians({"orm": orm, "hand": hand, "raw": raw})
    t_orm, t_hand, t_raw = medians["orm"], medians["hand"], medians["raw"]
    print(
        f"  reach_report (roll-ups)           : {t_orm * 1000:8.1f} ms  (median of {RUNS}, run in turn with both below)"
    )
    print(f"  hand-written SQL on the roll-ups  : {t_hand * 1000:8.1f} ms")
    print(f"  GROUP BY over the raw events      : {t_raw * 1000:8.1f} ms")
    print(f"  ratio to hand-written SQL         : {t_orm / t_hand:8.2f}  (target ≤ 1.5)")
    print(f"  ratio to raw GROUP BY             : {t_orm / t_raw:8.3f}  (target ≤ 0.1)")

    # Catching up: new events today and yesterday, and late ones for a day a week ago.
    new = size["new_clicks"]
    _clicks(new * 8 // 10, today - timedelta(days=1), 2, size["links"], label="new clicks (today, yesterday)")
    _clicks(new - new * 8 // 10, today - timedelta(days=7), 1, size["links"], label="late clicks (7 days ago)")
    days, catch_up = _timed(f"roll-ups catching up with {new:,} new clicks", rollups.rollup_refresh)
    print(f"  days recomputed: {', '.join(d.isoformat() for d in days)}")
    print(f"  initial roll-up: {initial / DAYS:.2f} s per day of {size['clicks'] // DAYS:,} clicks")
