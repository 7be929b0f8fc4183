"""Site-wide pages: home, privacy, the MFA requirement, health check and error pages."""

import time
import uuid

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from accounts.access import Decision, NotInProgramme, Role, has_mfa, public, roles_of, rule_for, signed_in
from advocacy import navigation
from advocacy.celery import app as celery_app


@public
def home(request):
    context = {"title": None}
    if request.user.is_authenticated:
        context["tiles"] = navigation.entries_for(request.user, where="home")
        context["roles"] = roles_of(request.user)
    return render(request, "home.html", context)


@public
def favicon(request):
    # Browsers ask for /favicon.ico whatever the page declares; the file is the DSFR's.
    return redirect(static("dsfr/dist/favicon/favicon.ico"), permanent=True)


@public
def privacy(request):
    return render(request, "privacy.html")


@public
def accessibility(request):
    return render(request, "accessibility.html")


@public
def legal_notice(request):
    return render(request, "legal_notice.html")


@public
def admin_login(request, extra_context=None):
    """Replaces the Django admin's own login form, which has no rate limit nor MFA step."""
    decision = rule_for(Role.ADMIN).decide(request.user)
    if decision == Decision.SIGN_IN:
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"))
    if decision == Decision.SET_UP_MFA:
        return redirect("mfa_required")
    if decision == Decision.FORBID:
        raise PermissionDenied
    return redirect("admin:index")


@signed_in
def mfa_required(request):
    return render(request, "mfa_required.html", {"has_mfa": has_mfa(request.user)})


def _timed(check):
    started = time.perf_counter()
    try:
        check()
    except Exception as exc:  # noqa: BLE001 - any failure means the dependency is down
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache():
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not return the value it was given")
    cache.delete(key)


def _check_broker():
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=3)


@public
@never_cache
def healthz(request):
    """200 when the database, the cache and the task broker answer, 503 otherwise."""
    checks = {"database": _timed(_check_database), "cache": _timed(_check_cache), "broker": _timed(_check_broker)}
    healthy = all(c["ok"] for c in checks.values())
    body = {"status": "ok" if healthy else "unavailable", "checks": checks}
    if settings.CELERY_TASK_ALWAYS_EAGER:
        body["tasks"] = "eager"
    return JsonResponse(body, status=200 if healthy else 503)


def error_403(request, exception=None):
    template = "errors/403_not_in_programme.html" if isinstance(exception, NotInProgramme) else "errors/403.html"
    return render(request, template, {"exception": exception}, status=403)


def _is_api(request) -> bool:
    return request.path.startswith("/api/v1/")


def _api_error(code: str, message, status: int) -> JsonResponse:
    # The API's one error format (advocacy.api), also for what never reached DRF: an
    # address that matches no endpoint, an error outside the view's own handling.
    return JsonResponse({"error": {"code": code, "message": str(message), "fields": {}}}, status=status)


def error_404(request, exception=None):
    if _is_api(request):
        return _api_error("not_found", _("Ressource introuvable."), 404)
    return render(request, "errors/404.html", status=404)


def error_500(request):
    if _is_api(request):
        return _api_error("server_error", _("Erreur du serveur : réessayez dans un instant."), 500)
    # Rendered without the request's context processors: when the database is what
    # failed, looking up the signed-in person would fail again.
    html = loader.get_template("errors/500.html").render({"BRAND": settings.BRAND, "is_error_page": True})
    return HttpResponseServerError(html)
