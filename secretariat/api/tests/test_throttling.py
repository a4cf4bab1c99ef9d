"""API throttling: per signed-in user and per anonymous client address, answered as 429
problem+json with Retry-After."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from rest_framework.test import APIClient

from secretariat.core.tests.factories import UserFactory

PUBLIC = "/api/v1/content/public/official-documents/"


@pytest.fixture(autouse=True)
def low_rates():
    cache.clear()  # throttle history lives in the cache
    rates = {"anon": "2/minute", "user": "3/minute"}
    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}):
        yield
    cache.clear()


def test_a_signed_in_user_is_throttled(db):
    client = APIClient()
    client.force_authenticate(UserFactory(username="staff"))
    assert [client.get("/api/v1/people/").status_code for _ in range(3)] == [200, 200, 200]
    # when
    response = client.get("/api/v1/people/")
    # then
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert int(response["Retry-After"]) > 0
    assert response.json()["detail"].startswith("Request was throttled.")
    # another user is not
    other = APIClient()
    other.force_authenticate(UserFactory(username="colleague"))
    assert other.get("/api/v1/people/").status_code == 200


def test_an_anonymous_client_is_throttled_by_its_address_whatever_it_forwards(db):
    client = APIClient(REMOTE_ADDR="198.51.100.7")
    assert [client.get(PUBLIC, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code for n in (1, 2)] == [200, 200]
    response = client.get(PUBLIC, HTTP_X_FORWARDED_FOR="203.0.113.3")
    assert response.status_code == 429 and "Retry-After" in response
    assert APIClient(REMOTE_ADDR="198.51.100.8").get(PUBLIC).status_code == 200
