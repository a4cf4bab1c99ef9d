"""Schemathesis: every operation, as an administrator and as a plain staff member, answers without
a server error and as the OpenAPI schema says (status, content type, body).

A few generated examples per operation keep the run to minutes on SQLite and PostgreSQL; each
request runs in a savepoint that is rolled back, so one example cannot break the next.
"""

import sys
import traceback

import pytest
import schemathesis
from django.core.signals import got_request_exception, request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from secretariat.core.tests.factories import UserFactory

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES_PER_OPERATION = 3


@pytest.fixture(scope="module")
def api_schema():
    return schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))


def signed_in(user) -> tuple[dict, dict]:
    """Cookies and headers of a browser session (with its CSRF token) for ``user``."""
    client = Client()
    client.force_login(user)
    client.get("/login/")
    cookies = {name: morsel.value for name, morsel in client.cookies.items()}
    return cookies, {"X-CSRFToken": cookies["csrftoken"]}


@pytest.fixture
def administrator(db, settings):
    settings.SECRETARIAT_PRIVILEGED_NEED_SECOND_FACTOR = False  # sessions here are not MFA-verified
    user = UserFactory(username="schema.admin")
    user.is_superuser = user.is_staff = True
    user.save()
    return user


@pytest.fixture
def staff_member(db, settings):
    settings.SECRETARIAT_PRIVILEGED_NEED_SECOND_FACTOR = False
    return UserFactory(username="schema.staff")


def violations(api_schema, user) -> list[str]:
    """Run every operation; return one line per operation that broke the contract."""
    app = get_wsgi_application()
    cookies, headers = signed_in(user)
    found, server_errors = [], []

    def remember(sender, request, **kwargs):
        error_type, error, trace = sys.exc_info()
        where = traceback.extract_tb(trace)[-1]
        server_errors.append(f"{request.method} {request.get_full_path()}: {error_type.__name__}: {error} "
                             f"({where.filename}:{where.lineno})")

    # As Django's test client does: the requests must not close the test's database connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    got_request_exception.connect(remember)
    try:
        for result in api_schema.get_all_operations():
            check_operation(result.ok(), app, cookies, headers, found, server_errors)
    finally:
        got_request_exception.disconnect(remember)
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return found


def check_operation(operation, app, cookies, headers, found: list, server_errors: list) -> None:
    """Draw a few cases for one operation; on failure, record it with the server's exception."""
    del server_errors[:]

    @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def conforms(case):
        with transaction.atomic():
            try:
                case.call_and_validate(app=app, cookies=cookies, headers=headers, checks=CHECKS)
            finally:
                transaction.set_rollback(True)

    try:
        conforms()
    except (Exception, BaseExceptionGroup) as failure:  # noqa: BLE001  (report every operation)
        lines = str(failure).splitlines()
        reasons = [line.strip("- ") for line in lines if line.startswith("- ")] or lines[:1]
        found.append(f"{operation.label}: {'; '.join(reasons)}" + "".join(f" [{line}]" for line in server_errors[-1:]))


def test_every_operation_conforms_for_an_administrator(api_schema, administrator):
    found = violations(api_schema, administrator)
    assert not found, "\n".join(found)


def test_every_operation_conforms_for_a_staff_member(api_schema, staff_member):
    found = violations(api_schema, staff_member)
    assert not found, "\n".join(found)
