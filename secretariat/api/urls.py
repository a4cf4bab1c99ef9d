from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from secretariat.api.problems import api_not_found
from secretariat.api.tokens import ApiTokenViewSet
from secretariat.budget import api as budget_api
from secretariat.content import api as content_api
from secretariat.continuity import api as continuity_api
from secretariat.core import api as core_api
from secretariat.core.api_base import IdRouter
from secretariat.finance import api as finance_api
from secretariat.servicedesk import api as servicedesk_api


def with_id_routes(app_router) -> list:
    """An app's routes, mounted through IdRouter so that integer ids match digits only."""
    router = IdRouter()
    for prefix, viewset, basename in app_router.registry:
        router.register(prefix, viewset, basename=basename)
    return router.urls


router = IdRouter()
router.register("countries", core_api.CountryViewSet)
router.register("currencies", core_api.CurrencyViewSet)
router.register("entities", core_api.EntityViewSet)
router.register("duty-stations", core_api.DutyStationViewSet)
router.register("org-units", core_api.OrgUnitViewSet)
router.register("people", core_api.PersonViewSet)
router.register("roles", core_api.RoleViewSet)
router.register("role-assignments", core_api.RoleAssignmentViewSet)
router.register("delegations", core_api.DelegationViewSet)
router.register("audit-events", core_api.AuditEventViewSet)
router.register("tokens", ApiTokenViewSet, basename="api-token")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("content/", include(with_id_routes(content_api.router))),
    path("finance/", include(with_id_routes(finance_api.router))),
    path("budget/", include(with_id_routes(budget_api.router))),
    path("servicedesk/", include(with_id_routes(servicedesk_api.router))),
    path("continuity/", include(with_id_routes(continuity_api.router))),
    path("", include(router.urls)),
    re_path(r"^.*/$", api_not_found),  # last: unmatched paths (APPEND_SLASH still redirects)
]
