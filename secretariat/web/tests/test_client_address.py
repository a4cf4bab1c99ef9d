"""The client address in the audit trail and in the login lockout: X-Forwarded-For is believed only
from configured proxies."""

import ipaddress

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from secretariat.core.models import AuditEvent
from secretariat.core.tests.factories import UserFactory

PASSWORD = "correct-horse-battery"
PROXIES = [ipaddress.ip_network("10.0.0.0/8")]


@pytest.fixture
def amina(db):
    return UserFactory(username="amina")


def attempt(client, password=PASSWORD, **headers):
    return client.post(reverse("web:login"), {"username": "amina", "password": password}, **headers)


def test_forwarded_for_from_an_untrusted_client_is_ignored(client, amina):
    # when: a client connecting directly claims another address
    attempt(client, password="wrong", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.9")
    # then
    assert AuditEvent.objects.get(action="security.login_failed").ip_address == "198.51.100.7"


@override_settings(SECRETARIAT_TRUSTED_PROXIES=PROXIES)
def test_behind_trusted_proxies_the_right_most_untrusted_address_is_the_client(client, amina):
    # when: the client prepended a forged hop; our two proxies appended what they saw
    attempt(client, password="wrong", REMOTE_ADDR="10.0.0.5",
            HTTP_X_FORWARDED_FOR="192.0.2.66, 203.0.113.9, 10.0.0.4")
    # then
    assert AuditEvent.objects.get(action="security.login_failed").ip_address == "203.0.113.9"


def test_failures_from_one_address_do_not_lock_the_account_elsewhere(client, amina):
    # given: someone guesses from one address until locked out
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, password="wrong", REMOTE_ADDR="198.51.100.7")
    assert attempt(client, REMOTE_ADDR="198.51.100.7").status_code == 403
    # when / then: the owner, from their own address, still gets in
    assert attempt(client, REMOTE_ADDR="203.0.113.20").status_code == 302


@override_settings(SECRETARIAT_TRUSTED_PROXIES=PROXIES)
def test_lockout_tells_clients_behind_the_proxy_apart(client, amina):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, password="wrong", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert attempt(client, REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 403
    assert attempt(client, REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.20").status_code == 302
