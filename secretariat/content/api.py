"""REST API of the content app: viewsets registered on ``router``, mounted under /api/v1/content/."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()
