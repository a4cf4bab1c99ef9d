from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from secretariat.core import api as core_api

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
    path("", include(router.urls)),
]
