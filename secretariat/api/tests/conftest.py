import pytest
from rest_framework.test import APIClient

from secretariat.core.tests.conftest import geneva_hr_officer, offices, superuser  # noqa: F401


@pytest.fixture
def api(superuser):
    client = APIClient()
    client.force_authenticate(superuser)
    return client
