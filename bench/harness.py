"""Shared plumbing of the benchmarks: a production-like environment, gunicorn, the load generator.

The app is served as in production (README): `gunicorn advocacy.wsgi:application
--workers 4`, DEBUG off, PostgreSQL and Redis. The load generator runs in its own
process on loopback (bench/loadgen.py).
"""

import contextlib
import json
import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
CHROME = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/129.0.0.0 Mobile Safari/537.36"
)


def environment() -> dict:
    """Production settings on the benchmark's own database and Redis."""
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "advocacy.settings",
            "DEBUG": "false",
            "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "STAFF_EMAIL_DOMAINS": "demo.avecpoleemploi.fr",
            "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": os.environ["BENCH_DATABASE_URL"],
            "REDIS_URL": os.environ["BENCH_REDIS_URL"],
            "CLICK_BUFFER_KEY": "bench:clicks",
            "CACHE_KEY_PREFIX": "bench",
            "STATIC_ROOT": str(ROOT / "var" / "bench-static"),
            "LOG_LEVEL": "WARNING",
            "SITE_URL": "http://127.0.0.1:8000",
        }
    )
    os.environ["BENCH_SECRET_KEY"] = env["SECRET_KEY"]
    return env


def setup_django(env: dict) -> None:
    """Configure this process like the server (once), creating and migrating the database."""
    import django
    from django.conf import settings

    if settings.configured:
        return
    for key in (
        "DEBUG",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "STAFF_EMAIL_DOMAINS",
        "SECURE_SSL_REDIRECT",
        "DATABASE_URL",
        "REDIS_URL",
    ):
        os.environ[key] = env[key]
    for key in ("CLICK_BUFFER_KEY", "CACHE_KEY_PREFIX", "STATIC_ROOT", "LOG_LEVEL", "SITE_URL"):
        os.environ[key] = env[key]
    _create_database(env["DATABASE_URL"])
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    django.setup()


def _create_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn(app: str, env: dict, *, workers: int = WORKERS):
    """Serve `app` with gunicorn on a free loopback port; yields the port."""
    port = free_port()
    process = subprocess.Popen(
        [GUNICORN, app, "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
            time.sleep(0.2)
        else:
            raise RuntimeError(f"gunicorn did not start for {app}")
        time.sleep(1.0)  # let every worker boot
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def load(
    port: int, paths: list[str], *, mode: str, seconds: float, concurrency=16, rate=100, headers=None, cookies=None
) -> dict:
    """Run bench/loadgen.py in a second process against `port`; returns its figures."""
    paths_file = ROOT / "var" / f"bench-paths-{port}.txt"
    paths_file.parent.mkdir(exist_ok=True)
    paths_file.write_text("\n".join(paths))
    command = [
        PYTHON,
        str(ROOT / "bench" / "loadgen.py"),
        "--port",
        str(port),
        "--paths",
        str(paths_file),
        "--mode",
        mode,
        "--seconds",
        str(seconds),
        "--concurrency",
        str(concurrency),
        "--rate",
        str(rate),
    ]
    if cookies:
        cookies_file = ROOT / "var" / f"bench-cookies-{port}.txt"
        cookies_file.write_text("\n".join(cookies))
        command += ["--cookies", str(cookies_file)]
    for name, value in (headers or {"User-Agent": CHROME}).items():
        command += ["--header", f"{name}: {value}"]
    result = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def line(label: str, figures: dict) -> str:
    return (
        f"  {label:<44} {figures['rps']:8.0f} req/s   p50 {figures['p50_ms'] or 0:6.1f} ms   "
        f"p99 {figures['p99_ms'] or 0:6.1f} ms   errors {figures['errors']}   statuses {figures['statuses']}"
    )


def analyze() -> None:
    """Refresh the planner's statistics after bulk loading, as autovacuum would in production."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
