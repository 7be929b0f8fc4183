"""Site URLs. Each app's pages come from its own urls.py; APIs live under /api/v1/."""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.decorators import method_decorator
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.access import PUBLIC, Decision, Role, rule_for
from advocacy import views

# The Django admin signs people in through allauth, so its login gets the same rate
# limits and two-factor step as every other sign-in, and it opens to platform admins
# with two-factor authentication only.
ADMIN_RULE = rule_for(Role.ADMIN)
admin.site.login = views.admin_login
admin.site.has_permission = lambda request: ADMIN_RULE.decide(request.user) == Decision.ALLOW
admin.site.site_header = settings.BRAND["service_name"]
admin.site.site_title = settings.BRAND["service_name"]

handler403 = "advocacy.views.error_403"
handler404 = "advocacy.views.error_404"
handler500 = "advocacy.views.error_500"


class SchemaView(SpectacularAPIView):
    access_rule = PUBLIC


# Swagger UI sets a few inline styles from its own script; scripts stay 'self' only.
@method_decorator(csp_update({"style-src": [UNSAFE_INLINE]}), name="dispatch")
class DocsView(SpectacularSwaggerSplitView):
    access_rule = PUBLIC


api_v1 = [
    path("", include("accounts.api_urls")),
    path("", include("advocacy.reach.api_urls")),
    path("", include("content.api_urls")),
    path("", include("advocacy.sharing.api_urls")),
    path("", include("advocacy.campaigns.api_urls")),
    path("", include("advocacy.reach.api_urls_reports")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("confidentialite/", views.privacy, name="privacy"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("mentions-legales/", views.legal_notice, name="legal_notice"),
    path("securite/double-authentification/", views.mfa_required, name="mfa_required"),
    path("", include("accounts.urls")),
    path("", include("content.urls")),
    path("observatoire/", include("advocacy.reach.urls")),
    path("", include("advocacy.sharing.urls")),
    path("", include("advocacy.campaigns.urls")),
    path("compte/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SchemaView.as_view(), name="api_schema"),
    path("api/docs/", DocsView.as_view(url_name="api_schema"), name="api_docs"),
]
