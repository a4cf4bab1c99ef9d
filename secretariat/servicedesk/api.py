"""REST API of the servicedesk app: viewsets registered on ``router``, mounted under /api/v1/servicedesk/."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()
