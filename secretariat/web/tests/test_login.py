"""Logging in: password, optional TOTP second factor, lockout, and the audit of each attempt."""

import pytest
from django.conf import settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from secretariat.core.models import AuditEvent
from secretariat.core.tests.factories import UserFactory

PASSWORD = "correct-horse-battery"


@pytest.fixture
def amina(db):
    return UserFactory(username="amina")


def attempt(client, username="amina", password=PASSWORD, otp_token=""):
    return client.post(reverse("web:login"), {"username": username, "password": password, "otp_token": otp_token})


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def test_successful_login_is_audited(client, amina):
    response = attempt(client)
    assert response.status_code == 302
    assert client.get(reverse("web:home")).status_code == 200
    assert AuditEvent.objects.filter(action="security.login", actor=amina).count() == 1


def test_wrong_password_is_refused_and_audited(client, amina):
    response = attempt(client, password="wrong")
    assert response.status_code == 401
    assert "Username or password is not correct." in response.content.decode()
    failed = AuditEvent.objects.get(action="security.login_failed")
    assert failed.actor_label == "amina" and failed.ip_address == "127.0.0.1"


def test_account_locks_after_repeated_failures_even_for_the_right_password(client, amina):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, password="wrong")
    # when
    response = attempt(client)
    # then
    assert response.status_code == 403
    assert "This account is locked after too many failed attempts." in response.content.decode()
    assert client.get(reverse("web:home")).status_code == 302  # still not logged in
    assert AuditEvent.objects.filter(action="security.locked_out").exists()


def test_two_factor_enrolment_then_login_needs_the_code(client, amina):
    # given: Amina sets up her authenticator
    client.force_login(amina)
    client.post(reverse("web:two_factor"), {"begin": "1"})
    device = TOTPDevice.objects.get(user=amina, confirmed=False)
    client.post(reverse("web:two_factor"), {"token": current_code(device)})
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(action="security.two_factor_enabled").exists()
    client.logout()
    # when / then: the password alone is no longer enough
    without_code = attempt(client)
    assert without_code.status_code == 401
    assert "The code from your authenticator app is not valid." in without_code.content.decode()
    device.refresh_from_db()
    device.throttle_reset(commit=False)  # django-otp slows retries after a failure
    device.last_t = -1  # and refuses a time step's code twice
    device.save()
    assert attempt(client, otp_token=current_code(device)).status_code == 302


def test_wrong_enrolment_code_leaves_two_factor_off(client, amina):
    client.force_login(amina)
    client.post(reverse("web:two_factor"), {"begin": "1"})
    response = client.post(reverse("web:two_factor"), {"token": "000000"})
    assert "The code from your authenticator app is not valid." in response.content.decode()
    assert not TOTPDevice.objects.filter(user=amina, confirmed=True).exists()


def test_production_hashes_passwords_with_argon2():
    from django.contrib.auth.hashers import Argon2PasswordHasher

    from secretariat import settings as production

    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    hasher = Argon2PasswordHasher()
    encoded = hasher.encode("s3cret-pass", hasher.salt())
    assert encoded.startswith("argon2$argon2id$") and hasher.verify("s3cret-pass", encoded)
