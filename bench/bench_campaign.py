"""Campaign fan-out: 55,000 recipients queued and handed to a local SMTP sink, and a worker killed mid-campaign.

Baseline: a bulk COPY of as many delivery rows into the same table, on the same
PostgreSQL. Then:

1. fan-out: an announcement to every recipient is queued (bulk inserts in chunks) and
   sent by real Celery workers (Redis broker) through Django's SMTP backend to a local
   sink running in its own process; timed until no row is left queued or sending;
2. worker kill (BENCH_KILL_RUNS times, 3 by default, 5 with --quick): another campaign
   starts, the worker is killed with SIGKILL once part of it is sent, the beat's recovery
   (`resume_campaigns`) puts back what the dead worker held, a new worker finishes; then
   every recipient is checked for exactly one message at the sink and exactly one
   delivery row per channel, and the copies sent twice are counted.

It prints the CPU time per recipient (workers, PostgreSQL, the sink) and the machine's
load, which is shared: figures taken under another process's load are slower.

    python bench/run.py campaign            # 55,000 recipients
    python bench/run.py campaign --quick    # 2,000 recipients, to check the script
"""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
EMAIL_PREFIX = "bench-campaign-"
WORKER_PROCESSES = int(os.environ.get("BENCH_WORKER_PROCESSES", "4"))


def _setup_django(database_url: str, redis_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["REDIS_URL"] = redis_url
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"
    # Smaller chunks keep every worker process busy until the end of the campaign.
    os.environ.setdefault("CAMPAIGN_CHUNK_SIZE", "250")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    _ensure_database(database_url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _ensure_database(database_url: str) -> None:
    import psycopg

    parsed = urlparse(database_url)
    name = parsed.path.lstrip("/")
    admin_url = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _recipients(n: int):
    """`n` opted-in ambassadors in one unit (made once, with bulk inserts)."""
    from django.utils import timezone

    from accounts.models import OrgUnit, User

    unit = OrgUnit.objects.filter(code="bench-campaign").first()
    if unit is None:
        from accounts import services

        head = OrgUnit.objects.filter(parent__isnull=True).first() or services.org_unit_create(
            code="bench-dg", name="DG (bench)", kind="national"
        )
        unit = services.org_unit_create(code="bench-campaign", name="Agence (bench)", kind="agency", parent=head)
    existing = User.objects.filter(email__startswith=EMAIL_PREFIX).count()
    if existing < n:
        now = timezone.now()
        User.objects.bulk_create(
            [
                User(
                    email=f"{EMAIL_PREFIX}{i}@bench.example",
                    first_name=f"Prénom{i}",
                    last_name="Bench",
                    unit=unit,
                    opted_in_at=now,
                    password="!",
                )
                for i in range(existing, n)
            ],
            batch_size=5000,
        )
    return unit, list(
        User.objects.filter(email__startswith=EMAIL_PREFIX).order_by("pk").values_list("pk", flat=True)[:n]
    )


def _copy_baseline(user_ids) -> float:
    """Time a bulk COPY of one delivery row per recipient into the deliveries table."""
    from django.db import connection
    from django.utils import timezone

    from advocacy.campaigns.models import Campaign

    campaign = Campaign.objects.create(kind="announcement", subject="COPY baseline", body="-", reply_to="x@y.z")
    now = timezone.now()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        columns = "campaign_id, recipient_id, channel, chunk, status, reason, attempts, provider_message_id, "
        columns += "claim_token, queued_at, updated_at"
        with cursor.cursor.copy(f"COPY campaigns_delivery ({columns}) FROM STDIN") as copy:
            for index, pk in enumerate(user_ids):
                copy.write_row((campaign.pk, pk, "email", index // 500, "queued", "", 0, "", "", now, now))
    elapsed = time.perf_counter() - started
    campaign.delete()
    return elapsed


class Sink:
    """The SMTP sink, in its own process so it does not share the senders' CPU time."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="bench-sink-")
        self.port_file = Path(self.dir) / "port"
        self.report_file = Path(self.dir) / "report.json"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.campaigns.fake_smtp", str(self.port_file), str(self.report_file)], cwd=ROOT
        )
        for _ in range(100):
            if self.port_file.exists() and self.port_file.read_text():
                break
            time.sleep(0.05)
        self.port = int(self.port_file.read_text())

    def report(self) -> dict:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)
        return json.loads(self.report_file.read_text())


def _start_worker(env) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "advocacy",
            "worker",
            "--pool=prefork",
            f"--concurrency={WORKER_PROCESSES}",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],  # fmt: skip
        cwd=ROOT,
        env=env,
        start_new_session=True,  # its own process group, so the kill takes the pool too
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _stop_worker(worker: subprocess.Popen, sig=signal.SIGTERM) -> None:
    try:
        os.killpg(worker.pid, sig)
    except ProcessLookupError:
        return
    worker.wait(timeout=60)


def _counts(campaign_id: int) -> dict:
    from django.db.models import Count

    from advocacy.campaigns.models import Delivery

    rows = (
        Delivery.objects.filter(campaign_id=campaign_id, channel="email").values_list("status").annotate(n=Count("pk"))
    )
    return dict(rows.order_by())


def _wait_until(campaign_id: int, predicate, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        counts = _counts(campaign_id)
        if predicate(counts) or time.monotonic() > deadline:
            return counts
        time.sleep(0.2)


def _wait_until_sent(campaign_id: int, timeout: float) -> dict:
    """Wait until no e-mail row is queued or sending. Polled with an index probe rather
    than by counting every row five times a second: on two cores, counting 55,000 rows
    that often takes CPU from what is being measured."""
    from advocacy.campaigns.models import Delivery

    pending = Delivery.objects.filter(campaign_id=campaign_id, channel="email", status__in=["queued", "sending"])
    deadline = time.monotonic() + timeout
    while pending.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    return _counts(campaign_id)


def _announce(subject: str, user_ids) -> int:
    from accounts.models import User
    from advocacy.campaigns import sending
    from advocacy.campaigns.models import Campaign

    sender = User.objects.filter(pk=user_ids[0]).first()
    campaign = sending.campaign_create(kind=Campaign.Kind.ANNOUNCEMENT, subject=subject, body="Bonjour.", sender=sender)
    sending.campaign_queue(campaign=campaign, recipients=((pk, True) for pk in user_ids))
    return campaign.pk


def _check_exactly_once(campaign_id: int, user_ids, report: dict) -> dict:
    from django.db.models import Count

    from accounts.models import User
    from advocacy.campaigns.models import Delivery

    emails = dict(User.objects.filter(pk__in=user_ids).values_list("pk", "email"))
    counts = report["counts"]
    got = [counts.get(emails[pk], 0) for pk in user_ids]
    distinct = [report["distinct_ids"].get(emails[pk], 0) for pk in user_ids]
    rows = (
        Delivery.objects.filter(campaign_id=campaign_id)
        .values("recipient_id", "channel")
        .annotate(n=Count("pk"))
        .order_by()
    )
    per_channel = {}
    for row in rows:
        per_channel.setdefault(row["channel"], []).append(row["n"])
    return {
        "recipients": len(user_ids),
        "with exactly one message": sum(1 for n in got if n == 1),
        "with no message": sum(1 for n in got if n == 0),
        "with two or more messages": sum(1 for n in got if n > 1),
        "duplicates with the same Message-ID": sum(1 for n, d in zip(got, distinct, strict=True) if n > 1 and d == 1),
        "e-mail rows, exactly one each": sum(1 for n in per_channel.get("email", []) if n == 1),
        "portal rows, exactly one each": sum(1 for n in per_channel.get("portal", []) if n == 1),
    }


class CpuMeter:
    """CPU seconds used by the worker's processes, this database's PostgreSQL backends, the
    sink and the whole machine (every core), read from /proc between two points."""

    def __init__(self, worker: subprocess.Popen, sink: Sink, database: str):
        self.worker, self.sink, self.database = worker, sink, database
        self.tick = os.sysconf("SC_CLK_TCK")
        self.before = self._sample()

    def _sample(self) -> dict:
        groups = {"worker": 0, "postgres": 0, "sink": 0}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            used = int(fields[11]) + int(fields[12])  # utime + stime
            if int(fields[2]) == self.worker.pid:  # process group: the worker and its pool
                groups["worker"] += used
            elif int(entry.name) == self.sink.process.pid:
                groups["sink"] += used
            elif cmdline.startswith("postgres: ") and f" {self.database} " in cmdline:
                groups[("postgres", int(entry.name))] = used
        cpu = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
        groups["machine busy"] = sum(int(v) for v in cpu) - int(cpu[3]) - int(cpu[4])  # minus idle, iowait
        return groups

    def used(self) -> dict:
        after = self._sample()
        seconds = {name: (after[name] - self.before[name]) / self.tick for name in ("worker", "sink", "machine busy")}
        # Backends that started during the run count from zero; one that ended is lost.
        backends = [key for key in after if isinstance(key, tuple)]
        seconds["postgres"] = sum(after[key] - self.before.get(key, 0) for key in backends) / self.tick
        return seconds


def _load() -> str:
    return "load average " + " ".join(f"{value:.2f}" for value in os.getloadavg()) + f" ({os.cpu_count()} cores)"


def _kill_run(user_ids, env, redis_url, number: int) -> dict:
    """One campaign whose worker is SIGKILLed once 40% of it is sent; returns the check."""
    import redis
    from django.test.utils import override_settings

    from advocacy.campaigns import sending

    kill_n = len(user_ids)
    redis.Redis.from_url(redis_url).flushdb()
    sink = Sink()
    env = dict(env, EMAIL_URL=f"smtp://127.0.0.1:{sink.port}")
    worker = _start_worker(env)
    time.sleep(3)
    campaign_id = _announce(f"Bench worker kill {number}", user_ids)
    _wait_until(campaign_id, lambda c: c.get("sent", 0) >= kill_n * 0.4, timeout=300)
    _stop_worker(worker, signal.SIGKILL)
    at_kill = _counts(campaign_id)
    # What the beat's `resume_campaigns` does once the claim timeout has passed, run now
    # (timeout zero) and before a new worker starts claiming.
    with override_settings(CAMPAIGN_CLAIM_TIMEOUT_MINUTES=0):
        time.sleep(0.01)
        chunks = sending.campaigns_resume()
    started = time.perf_counter()
    worker = _start_worker(env)
    counts = _wait_until_sent(campaign_id, timeout=600)
    finished = time.perf_counter() - started
    _stop_worker(worker)
    exact = _check_exactly_once(campaign_id, user_ids, sink.report())
    print(
        f"kill #{number}  SIGKILL with e-mail rows {at_kill}; recovery re-sent {chunks} chunk tasks; "
        f"a new worker finished in {finished:.1f} s; e-mail rows {counts}"
    )
    print(f"kill #{number}  {exact}")
    return exact


def run(args):
    n = 2_000 if args.quick else 55_000
    kill_runs = int(os.environ.get("BENCH_KILL_RUNS", "5" if args.quick else "3"))
    database_url = os.environ["BENCH_DATABASE_URL"]
    redis_url = os.environ["BENCH_REDIS_URL"]
    sys.path.insert(0, str(ROOT))
    _setup_django(database_url, redis_url)

    import redis

    from advocacy.campaigns.models import Campaign

    redis.Redis.from_url(redis_url).flushdb()
    started = time.perf_counter()
    _unit, user_ids = _recipients(n)
    print(f"recipients ready: {len(user_ids)} ({time.perf_counter() - started:.1f} s)")

    print(f"machine   {_load()} before the baseline")
    copy_seconds = _copy_baseline(user_ids)
    print(f"baseline  bulk COPY of {n} delivery rows: {copy_seconds:.2f} s")

    # --- 1. Fan-out --------------------------------------------------------------------
    sink = Sink()
    env = dict(os.environ, EMAIL_URL=f"smtp://127.0.0.1:{sink.port}", DJANGO_SETTINGS_MODULE="advocacy.settings")
    worker = _start_worker(env)
    time.sleep(3)  # the pool starts before the clock does
    load_before = _load()
    meter = CpuMeter(worker, sink, urlparse(database_url).path.lstrip("/"))
    started = time.perf_counter()
    cpu_started = time.process_time()
    campaign_id = _announce("Bench fan-out", user_ids)
    queued = time.perf_counter() - started
    queue_cpu = time.process_time() - cpu_started
    counts = _wait_until_sent(campaign_id, timeout=600)
    total = time.perf_counter() - started
    cpu = meter.used()
    load_after = _load()
    _stop_worker(worker)
    report = sink.report()
    delivered = sum(report["counts"].values())
    print(
        f"fan-out   queued {n} recipients ({2 * n} rows, e-mail and portal) in {queued:.2f} s "
        f"({queued / copy_seconds:.1f}× the COPY of {n} rows)"
    )
    print(
        f"fan-out   handed {delivered} e-mails to the SMTP sink in {total:.1f} s from the click "
        f"({n / total:.0f} recipients/s, {WORKER_PROCESSES} worker processes; target ≤ 60 s; "
        f"{total / copy_seconds:.0f}× the COPY of {copy_seconds:.2f} s)"
    )
    ours = cpu["worker"] + cpu["postgres"] + cpu["sink"] + queue_cpu
    print(
        f"fan-out   CPU per recipient: workers {1000 * cpu['worker'] / n:.2f} ms, PostgreSQL "
        f"{1000 * cpu['postgres'] / n:.2f} ms, queueing (this process) {1000 * queue_cpu / n:.3f} ms, "
        f"sink {1000 * cpu['sink'] / n:.2f} ms"
    )
    print(
        f"fan-out   machine: {cpu['machine busy']:.1f} CPU-s busy of {total * (os.cpu_count() or 1):.1f} "
        f"available, {ours:.1f} of them ours (the rest: other processes on the machine); "
        f"{load_before} at the click, {load_after} at the end"
    )
    cores = os.cpu_count() or 1
    print(
        f"fan-out   our CPU, {ours:.1f} CPU-s, is {ours / cores:.1f} s of the machine's {cores} cores: what the "
        f"fan-out would take at best on this machine with nothing else running (a floor that does not "
        f"depend much on the load, though CPU time grows a little under contention)"
    )
    print(f"fan-out   e-mail rows by status: {counts}")
    exact = _check_exactly_once(campaign_id, user_ids, report)
    print(f"fan-out   exactly once: {exact}")

    # --- 2. Worker killed mid-campaign, several times -------------------------------------
    kill_ids = user_ids[: min(n, 20_000)]
    results = [_kill_run(kill_ids, env, redis_url, number) for number in range(1, kill_runs + 1)]
    missing = sum(r["with no message"] for r in results)
    duplicates = sum(r["with two or more messages"] for r in results)
    same_id = sum(r["duplicates with the same Message-ID"] for r in results)
    rows_ok = all(
        r["e-mail rows, exactly one each"] == len(kill_ids) and r["portal rows, exactly one each"] == len(kill_ids)
        for r in results
    )
    print(
        f"kill      over {kill_runs} kills of {len(kill_ids)} recipients: {missing} recipients without a message, "
        f"{duplicates} with a second copy ({same_id} of them with the same Message-ID), per kill "
        f"{[r['with two or more messages'] for r in results]}; one delivery row per channel each: "
        f"{'yes' if rows_ok else 'NO'}"
    )
    print(
        "kill      (a copy is sent twice when the server accepted it and the worker died before its "
        "UPDATE committed: at most one message per worker process per kill)"
    )
    print(f"machine   {_load()} at the end")

    # Leave the database as we found it for other benchmarks; the bench recipients stay,
    # to be reused by the next run.
    from django.db import connection

    with connection.cursor() as cursor:
        ids = list(Campaign.objects.filter(subject__startswith="Bench ").values_list("pk", flat=True))
        cursor.execute("DELETE FROM campaigns_notification WHERE campaign_id = ANY(%s)", [ids])
        cursor.execute("DELETE FROM campaigns_delivery WHERE campaign_id = ANY(%s)", [ids])
        cursor.execute("DELETE FROM campaigns_campaign WHERE id = ANY(%s)", [ids])
