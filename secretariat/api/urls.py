from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from secretariat.budget import api as budget_api
from secretariat.content import api as content_api
from secretariat.continuity import api as continuity_api
from secretariat.core import api as core_api
from secretariat.finance import api as finance_api
from secretariat.servicedesk import api as servicedesk_api

router = DefaultRouter()
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

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("content/", include(content_api.router.urls)),
    path("finance/", include(finance_api.router.urls)),
    path("budget/", include(budget_api.router.urls)),
    path("servicedesk/", include(servicedesk_api.router.urls)),
    path("continuity/", include(continuity_api.router.urls)),
    path("", include(router.urls)),
]
