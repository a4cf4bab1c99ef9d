from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from secretariat.api.tokens import api_tokens_page
from secretariat.web.views.auth import admin_login
from secretariat.web.views.health import healthz, readyz

DOMAIN_APPS = ["content", "finance", "budget", "servicedesk", "continuity"]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/v1/", include("secretariat.api.urls")),
    # The admin signs in through our login page, which asks for the second factor.
    path("admin/login/", admin_login),
    path("admin/", admin.site.urls),
    path("account/api-tokens/", api_tokens_page, name="api_tokens"),
    *[path(f"{app}/", include(f"secretariat.{app}.urls")) for app in DOMAIN_APPS],
    path("", include("secretariat.web.urls")),
]
