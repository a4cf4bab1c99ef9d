"""REST API of the budget app: viewsets registered on ``router``, mounted under /api/v1/budget/."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()
