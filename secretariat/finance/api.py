"""REST API of the finance app: viewsets registered on ``router``, mounted under /api/v1/finance/."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()
