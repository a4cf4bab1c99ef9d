from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from secretariat.web.views.health import healthz, readyz

DOMAIN_APPS = ["content", "finance", "budget", "servicedesk", "continuity"]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/v1/", include("secretariat.api.urls")),
    path("admin/", admin.site.urls),
    *[path(f"{app}/", include(f"secretariat.{app}.urls")) for app in DOMAIN_APPS],
    path("", include("secretariat.web.urls")),
]
