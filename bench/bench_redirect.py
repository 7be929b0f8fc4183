"""Tracked-link redirect /s/<code>: throughput and p99 against a bare WSGI 302, hot vs 100,000 codes, sent = stored.

Both apps run under the same gunicorn configuration as production (4 sync workers); the
load generator runs in a second process on loopback. Figures:
- throughput (closed loop, 16 clients) of one hot code, as a ratio to the bare app (target ≥ 0.35);
- the same spread over 100,000 codes (cold cache: each first request reads PostgreSQL), as a ratio to hot;
- p99 at a fixed 1,000 requests per second (open loop, no coordinated omission), target < 10 ms;
- every human click answered is stored exactly once after the buffer drains (sent = stored).
"""

import json
import random
import time

from bench import harness

LINKS = 100_000
QUICK_LINKS = 2_000
CHANNELS = ["x", "linkedin", "facebook", "bluesky", "mastodon"]


def _seed(n_links: int):
    """One published kit and `n_links` tracked links (people × channels). Reused between runs."""
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import User
    from advocacy.sharing.models import TrackedLink
    from content.models import Kit

    kit, _ = Kit.objects.get_or_create(
        slug="bench-redirect",
        defaults={
            "title": "Kit du banc d’essai",
            "link": "https://www.francetravail.fr/actualites/bench?ref=banc",
            "status": Kit.Status.PUBLISHED,
            "published_at": timezone.now(),
            "hashtags": ["AvecPôleEmploi"],
        },
    )
    have = TrackedLink.objects.filter(kit=kit).count()
    if have < n_links:
        people_needed = -(-n_links // len(CHANNELS))
        existing = User.objects.filter(email__startswith="bench-redirect-").count()
        with transaction.atomic():
            User.objects.bulk_create(
                [User(email=f"bench-redirect-{i}@bench.example", password="!") for i in range(existing, people_needed)],
                batch_size=5000,
            )
            people = list(
                User.objects.filter(email__startswith="bench-redirect-")
                .order_by("pk")[:people_needed]
                .values_list("pk", flat=True)
            )
            TrackedLink.objects.bulk_create(
                [TrackedLink(ambassador_id=pk, kit=kit, channel=c) for pk in people for c in CHANNELS],
                batch_size=5000,
                ignore_conflicts=True,
            )
    codes = list(TrackedLink.objects.filter(kit=kit).order_by("pk").values_list("code", "channel")[:n_links])
    return kit, codes


def run(args):
    env = harness.environment()
    harness.setup_django(env)
    from django.core.cache import cache

    from advocacy.sharing import buffer, links, services
    from advocacy.sharing.models import Click

    n_links = QUICK_LINKS if args.quick else LINKS
    seconds = 3 if args.quick else 8
    rate = 300 if args.quick else 1000
    started = time.perf_counter()
    kit, codes = _seed(n_links)
    print(f"  data: {len(codes):,} tracked links ready in {time.perf_counter() - started:.1f} s")

    # A clean slate: no clicks of the bench kit, no buffered events, no cached destinations.
    Click.objects.filter(link__kit=kit).delete()
    buffer.drain(lambda events: None)
    cache.clear()
    # The sharing service caches each new link's destination when it creates it; the bench
    # made its links in bulk, so it does the same here, in batches.
    from advocacy.sharing.models import TrackedLink

    all_links = list(TrackedLink.objects.filter(kit=kit).select_related("kit"))
    for start in range(0, len(all_links), 5000):
        links.warm(all_links[start : start + 5000])

    table = {code: links.with_utm(kit.link, source=channel, campaign=kit.slug) for code, channel in codes}
    table_file = harness.ROOT / "var" / "bench-redirect-table.json"
    table_file.write_text(json.dumps(table))
    hot = [f"/s/{codes[0][0]}"]
    spread = [f"/s/{code}" for code, _ in codes]
    random.Random(4).shuffle(spread)

    results = {}
    with harness.gunicorn("bench.bare_app:application", {**env, "BENCH_BARE_TABLE": str(table_file)}) as port:
        harness.load(port, hot, mode="closed", seconds=1)
        results["bare_hot"] = harness.load(port, hot, mode="closed", seconds=seconds)
        results["bare_rate"] = harness.load(port, hot, mode="open", rate=rate, seconds=seconds)
    with harness.gunicorn("advocacy.wsgi:application", env) as port:
        results["app_warmup"] = harness.load(port, hot, mode="closed", seconds=1)  # workers, cache, salt
        results["app_hot"] = harness.load(port, hot, mode="closed", seconds=seconds)
        results["app_spread"] = harness.load(port, spread, mode="closed", seconds=seconds)
        results["app_rate"] = harness.load(port, hot, mode="open", rate=rate, seconds=seconds)
        results["app_rate_spread"] = harness.load(port, spread, mode="open", rate=rate, seconds=seconds)

    print(harness.line("bare WSGI 302, one code (closed loop)", results["bare_hot"]))
    print(harness.line("/s/<code>, one hot code (closed loop)", results["app_hot"]))
    print(harness.line(f"/s/<code>, {len(codes):,} codes (closed loop)", results["app_spread"]))
    print(harness.line(f"bare WSGI 302 at {rate} req/s (open loop)", results["bare_rate"]))
    print(harness.line(f"/s/<code> hot at {rate} req/s (open loop)", results["app_rate"]))
    print(harness.line(f"/s/<code> spread at {rate} req/s (open loop)", results["app_rate_spread"]))
    ratio = results["app_hot"]["rps"] / results["bare_hot"]["rps"]
    spread_ratio = results["app_spread"]["rps"] / results["app_hot"]["rps"]
    print(f"  throughput ratio to bare WSGI (hot code):   {ratio:.2f}   (target ≥ 0.35)")
    print(f"  spread over {len(codes):,} codes / hot code:  {spread_ratio:.2f}   (target ≈ 1)")
    print(
        f"  p99 at {rate} req/s: hot {results['app_rate']['p99_ms']:.1f} ms, spread "
        f"{results['app_rate_spread']['p99_ms']:.1f} ms, bare {results['bare_rate']['p99_ms']:.1f} ms (target < 10 ms)"
    )

    # Every request above came from a person's browser (a Chrome user agent): each 302 is a
    # human click that must be stored exactly once, even when the drain runs twice.
    sent = sum(r["statuses"].get("302", 0) for key, r in results.items() if key.startswith("app_"))
    drained = 0
    started = time.perf_counter()
    while handed := buffer.drain(services.clicks_store, batch_size=5000):
        drained += handed
    buffer.drain(services.clicks_store)  # a second drain changes nothing
    stored = Click.objects.filter(link__kit=kit, kind="human").count()
    elapsed = time.perf_counter() - started
    print(f"  drain: {drained:,} events written in {elapsed:.1f} s ({drained / max(elapsed, 1e-9):,.0f} events/s)")
    print(
        f"  sent = stored: {sent:,} human clicks answered, {stored:,} stored → {'OK' if sent == stored else 'MISMATCH'}"
    )
