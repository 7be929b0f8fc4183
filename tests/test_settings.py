"""Production settings: refusal to start without secrets, check --deploy, security headers."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k" * 20 + "-production-secret-for-tests-only-" + "z" * 20,
    "ALLOWED_HOSTS": "ambassadeurs.example.fr",
    "STAFF_EMAIL_DOMAINS": "francetravail.fr",
}


def _run(code, env_overrides, tmp_path):
    unset = ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "STAFF_EMAIL_DOMAINS", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}", DJANGO_SETTINGS_MODULE="advocacy.settings")
    env.pop("REDIS_URL", None)
    env.update(env_overrides)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


SETUP = "import django; django.setup()"


def test_missing_secret_key_stops_start_up(tmp_path):
    result = _run(SETUP, {"DEBUG": "false", "ALLOWED_HOSTS": "example.fr"}, tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_short_secret_key_stops_start_up(tmp_path):
    result = _run(SETUP, {"DEBUG": "false", "SECRET_KEY": "short", "ALLOWED_HOSTS": "example.fr"}, tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_missing_allowed_hosts_stops_start_up(tmp_path):
    result = _run(SETUP, {"DEBUG": "false", "SECRET_KEY": PRODUCTION["SECRET_KEY"]}, tmp_path)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must list" in result.stderr


def test_open_sign_up_for_any_address_stops_start_up(tmp_path):
    production_without_domains = {k: v for k, v in PRODUCTION.items() if k != "STAFF_EMAIL_DOMAINS"}
    result = _run(SETUP, production_without_domains, tmp_path)
    assert result.returncode != 0
    assert "STAFF_EMAIL_DOMAINS must list" in result.stderr
    assert _run(SETUP, PRODUCTION, tmp_path).returncode == 0


def test_import_recovery_without_any_wait_stops_start_up(tmp_path):
    result = _run(SETUP, {"REACH_IMPORT_STALE_MINUTES": "0"}, tmp_path)
    assert result.returncode != 0
    assert "REACH_IMPORT_STALE_MINUTES must be at least 1" in result.stderr


def test_check_deploy_reports_nothing(tmp_path):
    code = (
        f"{SETUP}; from django.core.management import call_command; "
        "call_command('check', deploy=True, fail_level='WARNING')"
    )
    result = _run(code, PRODUCTION, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout + result.stderr


HEADERS_SCRIPT = """
import django, json
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
# Production serves collected, hashed files: collecting them is part of what is tested.
call_command("collectstatic", interactive=False, verbosity=0)
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
client = Client(HTTP_HOST="ambassadeurs.example.fr")
plain = client.get("/compte/login/")
page = client.get("/compte/login/", secure=True)
cookies = {name: {"secure": bool(m["secure"]), "httponly": bool(m["httponly"])} for name, m in page.cookies.items()}
# A browser refuses a stylesheet or script whose integrity hash is not that of the file
# it receives: compare each one with the collected file the page links to.
import base64, hashlib, re
from django.conf import settings
from pathlib import Path
html = page.content.decode()
stylesheets = re.findall(r'<link[^>]*rel="stylesheet"[^>]*>', html)
integrity_mismatches = []
for tag in re.findall(r'<(?:link|script)[^>]*integrity="[^"]+"[^>]*>', html):
    url = re.search(r'(?:href|src)="([^"]+)"', tag).group(1)
    expected = re.search(r'integrity="([^"]+)"', tag).group(1)
    algorithm = expected.split("-", 1)[0]
    body = (Path(settings.STATIC_ROOT) / url.removeprefix(settings.STATIC_URL)).read_bytes()
    actual = algorithm + "-" + base64.b64encode(hashlib.new(algorithm, body).digest()).decode()
    if actual != expected:
        integrity_mismatches.append(url)
print(json.dumps({
    "stylesheets": stylesheets, "integrity_mismatches": integrity_mismatches,
    "plain_status": plain.status_code, "plain_location": plain.get("Location", ""),
    "status": page.status_code, "hsts": page.get("Strict-Transport-Security", ""),
    "csp": page.get("Content-Security-Policy", ""), "frame": page.get("X-Frame-Options", ""),
    "nosniff": page.get("X-Content-Type-Options", ""), "referrer": page.get("Referrer-Policy", ""),
    "cookies": cookies, "inline_scripts": page.content.decode().count("<script>"),
}))
"""


@pytest.fixture(scope="module")
def production_response(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("prod")
    result = _run(HEADERS_SCRIPT, {**PRODUCTION, "STATIC_ROOT": str(tmp / "static")}, tmp)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_plain_http_is_redirected_to_https(production_response):
    assert production_response["plain_status"] == 301
    assert production_response["plain_location"].startswith("https://")


def test_hsts_for_a_year_with_subdomains(production_response):
    assert production_response["status"] == 200
    assert "max-age=31536000" in production_response["hsts"]
    assert "includeSubDomains" in production_response["hsts"]


def test_content_security_policy_allows_no_inline_script(production_response):
    csp = dict(part.strip().split(" ", 1) for part in production_response["csp"].split(";") if part.strip())
    assert csp["script-src"] == "'self'"
    assert "unsafe-inline" not in production_response["csp"]
    assert csp["frame-ancestors"] == "'none'"
    assert production_response["inline_scripts"] == 0


def test_cookies_are_secure_and_host_bound(production_response):
    cookies = production_response["cookies"]
    assert "__Host-csrftoken" in cookies
    assert all(c["secure"] for c in cookies.values())


def test_other_security_headers(production_response):
    assert production_response["frame"] == "DENY"
    assert production_response["nosniff"] == "nosniff"
    assert production_response["referrer"] == "same-origin"


def test_the_design_system_stylesheets_are_not_refused_by_the_browser(production_response):
    """Collected CSS is rewritten (hashed names in its url()), so a hash taken from the
    original file no longer matches and the browser would drop the whole design system."""
    assert any("dsfr.min" in tag for tag in production_response["stylesheets"])
    assert production_response["integrity_mismatches"] == []


def test_a_rate_limit_wait_long_enough_to_hold_a_worker_stops_start_up(tmp_path):
    result = _run(SETUP, {"X_MAX_RATE_LIMIT_WAIT": "900"}, tmp_path)
    assert result.returncode != 0
    assert "X_MAX_RATE_LIMIT_WAIT must be between 0 and 60 seconds" in result.stderr
    assert _run(SETUP, {"X_MAX_RATE_LIMIT_WAIT": "30"}, tmp_path).returncode == 0
