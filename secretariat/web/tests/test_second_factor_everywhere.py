"""Every way into a session honours the second factor, and privileged users must have one."""

import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from secretariat.core.models import AuditEvent
from secretariat.core.tests.factories import UserFactory, grant

PASSWORD = "correct-horse-battery"

pytestmark = pytest.mark.django_db


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def root_with_authenticator():
    user = UserFactory(username="root")
    user.is_superuser = user.is_staff = True
    user.save()
    TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    return user


@pytest.fixture
def access_admin():
    user = UserFactory(username="access.admin")
    grant(user, "access_administrator")
    return user


def test_admin_login_with_the_password_alone_opens_nothing(client, root_with_authenticator):
    # when: the admin's login form is posted with the right password and no code
    response = client.post("/admin/login/?next=/admin/", {"username": "root", "password": PASSWORD,
                                                          "next": "/admin/"})
    # then: it sends to our login page, and no session was opened
    assert response.status_code == 302 and response["Location"].startswith(reverse("web:login"))
    assert client.get(reverse("web:audit_trail")).status_code == 302
    assert client.get(reverse("web:role_assignments")).status_code == 302
    assert client.get("/admin/").status_code == 302
    assert not AuditEvent.objects.filter(action="security.login").exists()


def test_admin_opens_after_signing_in_with_the_code(client, root_with_authenticator):
    device = root_with_authenticator.totpdevice_set.get()
    response = client.post(reverse("web:login"), {"username": "root", "password": PASSWORD,
                                                  "otp_token": current_code(device), "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_session_not_confirmed_by_the_code_is_signed_out(client, root_with_authenticator):
    # given: a session opened without the code (as the admin login used to)
    client.force_login(root_with_authenticator)
    # when
    response = client.get(reverse("web:audit_trail"), follow=True)
    # then
    assert response.redirect_chain[0][0] == reverse("web:login")
    assert "Sign in again with the code from your authenticator app." in response.content.decode()
    assert client.get(reverse("web:two_factor")).status_code == 302  # nor may it replace the authenticator


@override_settings(SECRETARIAT_PRIVILEGED_NEED_SECOND_FACTOR=True)
@pytest.mark.parametrize("who", ["access_admin", "superuser"])
def test_privileged_user_without_authenticator_must_enrol_before_anything_else(client, access_admin, who):
    # given
    user = access_admin
    if who == "superuser":
        user = UserFactory(username="root", is_superuser=True, is_staff=True)
    # when: they sign in with their password
    response = client.post(reverse("web:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    # then: every page sends them to enrol, with the reason
    roles = client.get(reverse("web:role_assignments"), follow=True)
    assert roles.redirect_chain == [(reverse("web:two_factor"), 302)]
    page = roles.content.decode()
    assert "Your roles require two-factor authentication. Set up an authenticator app to continue." in page
    assert "you cannot open any other page" in page
    assert client.get("/admin/").status_code == 302
    # when: they enrol
    client.post(reverse("web:two_factor"), {"begin": "1"})
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    client.post(reverse("web:two_factor"), {"token": current_code(device)})
    # then: the same session goes on, confirmed by the code just entered
    assert client.get(reverse("web:role_assignments")).status_code == 200


@override_settings(SECRETARIAT_PRIVILEGED_NEED_SECOND_FACTOR=True)
def test_staff_without_privileged_role_signs_in_with_the_password(client, db):
    UserFactory(username="staff")
    client.post(reverse("web:login"), {"username": "staff", "password": PASSWORD})
    assert client.get(reverse("web:people_list")).status_code == 200


@override_settings(SECRETARIAT_PRIVILEGED_NEED_SECOND_FACTOR=True)
def test_expired_role_no_longer_requires_enrolment(client, db):
    import datetime

    user = UserFactory(username="former.admin")
    grant(user, "access_administrator", valid_from=datetime.date(2000, 1, 1), valid_until=datetime.date(2001, 1, 1))
    client.post(reverse("web:login"), {"username": "former.admin", "password": PASSWORD})
    assert client.get(reverse("web:people_list")).status_code == 200
