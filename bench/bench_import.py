"""File import of posts: a 1,000,000-row CSV through `import_posts` vs a plain COPY.

The baseline is PostgreSQL's own `COPY` of the same file into an unindexed table of
text columns, in the same run: the cheapest possible way to get those bytes into the
database. The import does everything COPY does not: parsing French dates, matching
hashtags, attribution, idempotent upsert under the unique key, progress and rejected
rows. Printed: both times (each the median of three runs), their ratio (target: at most
6), rows per second, peak memory of the process (resident set), the time of a second
import of the same file, which changes nothing, and what the server alone takes to write
the same rows into the posts table with its indexes (the floor), index by index.
"""

import csv
import os
import random
import re
import resource
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROWS = 1_000_000
QUICK_ROWS = 20_000


def _setup_django():
    os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    os.environ.setdefault("REDIS_URL", os.environ.get("BENCH_REDIS_URL", ""))
    os.environ.setdefault("DEBUG", "true")
    import psycopg

    url = os.environ["BENCH_DATABASE_URL"]
    base, _slash, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _peak_rss_mb(who=resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # kilobytes on Linux


def _cpu_seconds(who) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _backend_cpu_seconds(pid: int) -> float | None:
    """CPU time of a PostgreSQL backend, read from /proc: None unless the server runs here."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime, in ticks


def _backend_pid() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


class CpuTime:
    """What each process spent on the CPU during a block: the import's own process, its
    reading process (a child, counted once it has been waited for) and the PostgreSQL
    backend that writes the rows. Wall time cannot be below their sum divided by the cores
    the machine has, however well they overlap."""

    def __enter__(self):
        self.pid = _backend_pid()
        self.start = (_cpu_seconds(resource.RUSAGE_SELF), _cpu_seconds(resource.RUSAGE_CHILDREN))
        self.backend_start = _backend_cpu_seconds(self.pid)
        return self

    def __exit__(self, *exc):
        self.main = _cpu_seconds(resource.RUSAGE_SELF) - self.start[0]
        self.reader = _cpu_seconds(resource.RUSAGE_CHILDREN) - self.start[1]
        end = _backend_cpu_seconds(self.pid) if _backend_pid() == self.pid else None
        self.backend = None if end is None or self.backend_start is None else end - self.backend_start
        return False


def write_file(path: Path, rows: int) -> None:
    """A realistic export: semicolon, French dates, a BOM, a share of rows by ambassadors."""
    rng = random.Random(2026)
    start = datetime(2026, 8, 1)
    sentences = ["Atelier CV ce matin", "Job dating à l’agence", "Forum de l’alternance", "Belle réussite"]
    spellings = ["#AvecPôleEmploi", "#AvecPoleEmploi", "#avecpoleemploi"]
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(["Réseau", "ID", "Date", "Auteur", "Abonnés", "Texte", "J'aime", "Partages", "Impressions"])
        for i in range(rows):
            at = start + timedelta(seconds=rng.randint(0, 90 * 86400))
            writer.writerow(
                [
                    "twitter" if i % 4 else "linkedin",
                    str(1_900_000_000_000_000_000 + i),
                    at.strftime("%d/%m/%Y %H:%M"),
                    f"bench_author_{rng.randint(1, 50_000)}",
                    rng.randint(10, 20_000),
                    f"{rng.choice(sentences)} n° {i} {rng.choice(spellings)}",
                    rng.randint(0, 300),
                    rng.randint(0, 40),
                    rng.randint(100, 50_000) if i % 4 else "",
                ]
            )


MAPPING = {
    "network": "Réseau", "external_id": "ID", "posted_at": "Date", "author_handle": "Auteur",
    "author_followers": "Abonnés", "text": "Texte", "likes": "J'aime", "reposts": "Partages",
    "impressions": "Impressions",
}  # fmt: skip


COPY_RUNS = 3


def copy_baseline(path: Path) -> float:
    """The median of three COPYs: a single one varies by half or more on a shared
    machine (1.6 s to 3.3 s seen on one), which would move the ratios as much."""
    from django.db import connection

    times = []
    for _run in range(COPY_RUNS):
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS bench_import_copy")
            cursor.execute(
                "CREATE TABLE bench_import_copy (network text, id text, date text, author text, followers text, "
                "body text, likes text, reposts text, impressions text)"
            )
            cursor.execute("CHECKPOINT")
        started = time.perf_counter()
        with connection.cursor() as cursor, path.open("rb") as source:
            source.read(3)  # the BOM, which COPY would take for part of the first column name
            with cursor.cursor.copy(
                "COPY bench_import_copy FROM STDIN WITH (FORMAT csv, DELIMITER ';', HEADER true)"
            ) as copy:
                while chunk := source.read(1 << 20):
                    copy.write(chunk)
        times.append(time.perf_counter() - started)
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM bench_import_copy")
            copied = cursor.fetchone()[0]
            cursor.execute("DROP TABLE bench_import_copy")
    elapsed = statistics.median(times)
    runs = ", ".join(f"{t:.2f}" for t in times)
    print(f"  COPY baseline      : {elapsed:8.2f} s  ({copied:,} rows; median of {runs} s)")
    return elapsed


def run_import(path: Path, label: str) -> tuple[float, object, CpuTime]:
    from advocacy.reach import importing, services

    job = services.import_job_open(
        original_name=path.name, format="csv", mapping=MAPPING, bytes_total=path.stat().st_size
    )
    with CpuTime() as cpu, path.open("rb") as binary:
        started = time.perf_counter()
        job = importing.import_job_run(job_id=job.pk, binary=binary)
        elapsed = time.perf_counter() - started
    backend = "n/a (server not on this machine)" if cpu.backend is None else f"{cpu.backend:.2f} s"
    print(
        f"  {label:<19}: {elapsed:8.2f} s  ({job.rows_read:,} rows read, {job.rows_created:,} created, "
        f"{job.rows_updated:,} updated, {job.rows_unchanged:,} unchanged, {job.rows_rejected:,} rejected; "
        f"{job.rows_read / elapsed:,.0f} rows/s)\n"
        f"  {'':<19}  CPU: reading process {cpu.reader:.2f} s, import process {cpu.main:.2f} s, "
        f"PostgreSQL backend {backend}"
    )
    if job.status != "done":
        print(f"  import failed: {job.error}")
    return elapsed, job, cpu


def checks_alone(path: Path) -> float:
    """The import's reading and checks without the database: the Python half of the work."""
    from advocacy.reach import importing

    started = time.perf_counter()
    kept = 0
    with path.open("rb") as binary, importing._fewer_collections():
        for batch in importing.read_batches(binary, format="csv", mapping=MAPPING):
            kept += len(batch.prepared.rows)
    elapsed = time.perf_counter() - started
    print(f"  reading and checks alone (no database): {elapsed:.2f} s  ({kept:,} rows ready to store)")
    return elapsed


def server_floor() -> float:
    """The database half: the imported rows, already parsed, inserted by the server itself
    (INSERT … SELECT, in import order) into an empty table with the same indexes and
    constraints as the posts table, foreign keys included (CREATE TABLE … LIKE copies
    every other constraint but not those; their triggers run for every row written, even
    a null one). No import into that table can be faster."""
    from django.db import connection

    from advocacy.reach.models import SocialPost

    table = connection.ops.quote_name(SocialPost._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_import_floor")
        cursor.execute(f"CREATE TABLE bench_import_floor (LIKE {table} INCLUDING ALL)")
        cursor.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'",
            [table],
        )
        for (definition,) in cursor.fetchall():
            cursor.execute(f"ALTER TABLE bench_import_floor ADD {definition}")
    times = []
    for _run in range(COPY_RUNS):  # a median of three, like the COPY it is compared with
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE bench_import_floor")
            cursor.execute("CHECKPOINT")
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO bench_import_floor SELECT * FROM {table} ORDER BY id")  # noqa: S608
            inserted = cursor.rowcount
        times.append(time.perf_counter() - started)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_import_floor")
    elapsed = statistics.median(times)
    runs = ", ".join(f"{t:.2f}" for t in times)
    print(
        f"  server-side floor  : {elapsed:8.2f} s  ({inserted:,} rows INSERT … SELECT into the indexed table; "
        f"median of {runs} s)"
    )
    return elapsed


def _timed_copy_of_posts(extra_ddl: list[str]) -> float:
    """INSERT … SELECT of the stored posts into a bare copy of the posts table (columns
    and defaults only) that has just `extra_ddl` added: one index or constraint at a time."""
    from django.db import connection

    from advocacy.reach.models import SocialPost

    table = connection.ops.quote_name(SocialPost._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_import_part")
        cursor.execute(f"CREATE TABLE bench_import_part (LIKE {table} INCLUDING DEFAULTS)")
        for statement in extra_ddl:
            cursor.execute(statement)
        cursor.execute("CHECKPOINT")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO bench_import_part SELECT * FROM {table} ORDER BY id")  # noqa: S608
    elapsed = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_import_part")
    return elapsed


def floor_parts(baseline: float) -> None:
    """What the floor is made of: the table alone, then what each index and each foreign key
    of the posts table adds to it, measured one at a time (their sum is near the floor)."""
    from django.db import connection

    from advocacy.reach.models import SocialPost

    table = SocialPost._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_get_indexdef(i.indexrelid), con.conname, pg_get_constraintdef(con.oid) "
            "FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid "
            "WHERE i.indrelid = %s::regclass ORDER BY c.relname",
            [table],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
            [table],
        )
        foreign_keys = cursor.fetchall()
    parts = []
    for name, definition, constraint, constraint_definition in indexes:
        if constraint:  # the primary key and the unique key: added as the constraints they are
            ddl = f"ALTER TABLE bench_import_part ADD {constraint_definition}"
        else:
            ddl = re.sub(r"^CREATE (UNIQUE )?INDEX \S+ ON \S+", r"CREATE \1INDEX ON bench_import_part", definition)
        parts.append((name, [ddl]))
    parts.append(("foreign keys", [f"ALTER TABLE bench_import_part ADD {d}" for _name, d in foreign_keys]))
    bare = _timed_copy_of_posts([])
    print(f"  floor, table alone : {bare:8.2f} s  ({bare / baseline:.2f}x COPY; no index, no constraint)")
    for name, ddl in parts:
        extra = _timed_copy_of_posts(ddl) - bare
        print(f"    + {name:<24}: {extra:+6.2f} s  ({extra / baseline:+.2f}x COPY)")


def run(args):
    _setup_django()
    from django.db import connection

    from advocacy.reach import services
    from advocacy.reach.models import Hashtag, ImportJob, SocialPost

    # BENCH_IMPORT_ROWS sets another size, to measure on a busy machine in less time.
    rows = int(os.environ.get("BENCH_IMPORT_ROWS", 0)) or (QUICK_ROWS if args.quick else ROWS)
    if not Hashtag.objects.filter(normalized="avecpoleemploi").exists():
        services.hashtag_save(tag="AvecPôleEmploi")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "posts.csv"
        started = time.perf_counter()
        write_file(path, rows)
        size = path.stat().st_size
        written = time.perf_counter() - started
        os.sync()  # the file on disk before anything is timed, not written back meanwhile
        print(f"  file               : {rows:,} rows, {size / 1e6:,.0f} MB, written in {written:.1f} s")
        rss_before = _peak_rss_mb()

        baseline = copy_baseline(path)
        # A median of three imports into an empty table, as for the COPY: one run alone
        # moves with the machine as much as any change to the code does.
        times, cpus = [], []
        for _run in range(COPY_RUNS):
            with connection.cursor() as cursor:
                cursor.execute(f"TRUNCATE {SocialPost._meta.db_table}")
                cursor.execute("CHECKPOINT")  # as before each COPY of the baseline
            ImportJob.objects.all().delete()
            elapsed, job, cpu = run_import(path, "import (new posts)")
            times.append(elapsed)
            cpus.append(cpu)
        first = statistics.median(times)
        print(f"  import, median     : {first:8.2f} s")
        peak = _peak_rss_mb()
        peak_reader = _peak_rss_mb(resource.RUSAGE_CHILDREN)  # the import's reading process, forked
        again, _job, _cpu = run_import(path, "same file again")
        assert SocialPost.objects.count() == job.rows_created, "re-import must not add posts"
        checks = checks_alone(path)
        floor = server_floor()
        floor_parts(baseline)

    print(f"  ratio import / COPY: {first / baseline:8.2f}  (target ≤ 6)")
    print(f"  ratio re-import / COPY: {again / baseline:5.2f}")
    print(f"  ratio reading and checks alone / COPY: {checks / baseline:5.2f}")
    print(f"  ratio server-side floor / COPY: {floor / baseline:5.2f}  (the stored rows into the indexed table)")
    # What the import adds to what the server alone must do: see the README on why the
    # floor itself is above 6x COPY on the posts table's indexes and foreign keys.
    print(f"  ratio import / server-side floor: {first / floor:5.2f}")
    # The CPU the median import spent, process by process: a bound that holds whatever
    # the schedule, since the machine cannot run more of it at once than it has cores.
    cpu = cpus[times.index(first)]
    cores = len(os.sched_getaffinity(0))
    if cpu.backend is not None:
        total = cpu.reader + cpu.main + cpu.backend
        print(
            f"  ratio PostgreSQL backend CPU / COPY: {cpu.backend / baseline:5.2f}  "
            f"(the server's own work for the import's writes)"
        )
        print(
            f"  ratio total CPU / {cores} cores / COPY: {total / cores / baseline:5.2f}  "
            f"({total:.1f} s of CPU in all: the shortest wall time any overlap could reach)"
        )
    print(
        f"  peak memory (RSS)  : {peak:8.0f} MB  (reading process: {peak_reader:.0f} MB; before the import: "
        f"{rss_before:.0f} MB; file: {size / 1e6:.0f} MB)"
    )
    sys.stdout.flush()
