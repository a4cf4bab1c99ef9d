"""REST API of the continuity app: viewsets registered on ``router``, mounted under /api/v1/continuity/."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()
