"""Sessions end after an idle time and an absolute time, both shorter for privileged users."""

import time

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from secretariat.core.sessions import LAST_SEEN_AT, SIGNED_IN_AT
from secretariat.core.tests.factories import UserFactory, grant

PASSWORD = "correct-horse-battery"
EXPIRED = "Your session has expired. Please sign in again."

pytestmark = pytest.mark.django_db


def sign_in(client, user):
    fields = {"username": user.username, "password": PASSWORD}
    if device := TOTPDevice.objects.filter(user=user, confirmed=True).first():
        device.last_t = -1  # django-otp refuses a time step's code twice; these sign-ins share one
        device.save()
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        fields["otp_token"] = f"{totp.token():0{device.digits}d}"
    assert client.post(reverse("web:login"), fields).status_code == 302
    assert client.get(reverse("web:people_list")).status_code == 200


def age_session(client, *, idle_minutes: float = 0, signed_in_hours: float = 0):
    session = client.session
    now = time.time()
    session[LAST_SEEN_AT] = now - idle_minutes * 60
    session[SIGNED_IN_AT] = now - signed_in_hours * 3600
    session.save()


@pytest.fixture
def staff():
    return UserFactory(username="staff")


@pytest.fixture
def access_admin():
    user = UserFactory(username="access.admin")
    grant(user, "access_administrator")
    TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    return user


def test_an_idle_session_ends_with_a_message_on_the_login_page(client, staff):
    sign_in(client, staff)
    age_session(client, idle_minutes=61)
    # when
    response = client.get(reverse("web:people_list"), follow=True)
    # then
    assert response.redirect_chain[0][0].startswith(reverse("web:login"))
    assert EXPIRED in response.content.decode()
    assert client.get(reverse("web:people_list")).status_code == 302  # signed out


def test_activity_within_the_idle_time_keeps_the_session(client, staff):
    sign_in(client, staff)
    age_session(client, idle_minutes=59, signed_in_hours=11.9)
    assert client.get(reverse("web:people_list")).status_code == 200


def test_a_session_ends_after_the_absolute_time_however_active(client, staff):
    sign_in(client, staff)
    age_session(client, idle_minutes=1, signed_in_hours=12.1)
    response = client.get(reverse("web:people_list"), follow=True)
    assert EXPIRED in response.content.decode()


def test_privileged_users_have_shorter_limits(client, access_admin):
    sign_in(client, access_admin)
    age_session(client, idle_minutes=16)
    assert EXPIRED in client.get(reverse("web:people_list"), follow=True).content.decode()
    sign_in(client, access_admin)
    age_session(client, idle_minutes=1, signed_in_hours=8.1)
    assert EXPIRED in client.get(reverse("web:people_list"), follow=True).content.decode()


def test_an_expired_session_is_refused_by_the_api(client, staff):
    sign_in(client, staff)
    age_session(client, idle_minutes=61)
    response = client.get("/api/v1/people/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
