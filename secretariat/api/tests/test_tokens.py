"""API tokens: issued from a session that passed the second factor, hashed, expiring, listed and
revoked by their owner and access administrators; and API sessions held to the second factor."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from secretariat.api.models import ApiToken
from secretariat.core.models import AuditEvent
from secretariat.core.tests.factories import UserFactory, grant

PASSWORD = "correct-horse-battery"
TOKENS = "/api/v1/tokens/"

pytestmark = pytest.mark.django_db


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def signed_in(user, *, with_code: bool = False) -> APIClient:
    """A browser-like session opened through the login page."""
    client = APIClient()
    fields = {"username": user.username, "password": PASSWORD}
    if with_code:
        fields["otp_token"] = current_code(user.totpdevice_set.get(confirmed=True))
    assert client.post(reverse("web:login"), fields).status_code == 302
    return client


def with_token(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


@pytest.fixture
def staff():
    return UserFactory(username="staff")


@pytest.fixture
def access_admin():
    user = UserFactory(username="access.admin")
    grant(user, "access_administrator")
    TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    return user


def test_owner_creates_a_hashed_expiring_token_and_uses_it(staff):
    # when
    response = signed_in(staff).post(TOKENS, {"name": "nightly export"}, format="json")
    # then
    assert response.status_code == 201
    body = response.json()
    secret = body["token"]
    stored = ApiToken.objects.get(pk=body["id"])
    assert secret not in (stored.digest, stored.token_key) and len(stored.digest) == 128
    assert stored.expiry.date() == (timezone.now() + timedelta(days=30)).date()
    assert not stored.is_second_factor_verified
    assert with_token(secret).get("/api/v1/people/").status_code == 200
    listed = with_token(secret).get(TOKENS).json()["results"]
    assert [(t["name"], t["owner"], t["prefix"]) for t in listed] == [("nightly export", "staff", secret[:8])]
    assert "token" not in listed[0]
    created = AuditEvent.objects.get(action="security.api_token_created")
    assert created.actor == staff and created.changes["name"] == "nightly export"


def test_lifetime_is_capped(staff):
    response = signed_in(staff).post(TOKENS, {"name": "forever", "valid_days": 91}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == [{"pointer": "/valid_days", "detail": "Choose between 1 and 90 days.",
                                          "code": "invalid"}]
    assert not ApiToken.objects.exists()


def test_expired_token_is_refused(staff):
    token, secret = ApiToken.objects.create(user=staff, name="old", is_second_factor_verified=False,
                                            expiry=timedelta(days=1))
    ApiToken.objects.filter(pk=token.pk).update(expiry=timezone.now() - timedelta(minutes=1))
    response = with_token(secret).get("/api/v1/people/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_a_token_cannot_create_another(staff):
    secret = signed_in(staff).post(TOKENS, {"name": "script"}, format="json").json()["token"]
    response = with_token(secret).post(TOKENS, {"name": "renewal"}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "API tokens are created from a signed-in session, not with another token."
    assert ApiToken.objects.count() == 1


def test_user_with_authenticator_needs_the_code_for_a_token(access_admin):
    # given: a session confirmed by the code
    client = signed_in(access_admin, with_code=True)
    # when
    response = client.post(TOKENS, {"name": "access review"}, format="json")
    # then
    assert response.status_code == 201
    assert ApiToken.objects.get().is_second_factor_verified
    assert with_token(response.json()["token"]).get("/api/v1/role-assignments/").status_code == 200


def test_api_session_not_confirmed_by_the_code_is_refused(access_admin):
    client = APIClient()
    client.force_login(access_admin)  # a session that skipped the code
    response = client.post(TOKENS, {"name": "sneaky"}, format="json")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == ("This session was not confirmed with your authenticator code. "
                                         "Sign in again with the code before using the API.")
    assert client.get("/api/v1/role-assignments/").status_code == 403
    assert not ApiToken.objects.exists()


@override_settings(SECRETARIAT_PRIVILEGED_NEED_SECOND_FACTOR=True)
def test_privileged_user_without_authenticator_is_refused_by_the_api(db):
    chief = UserFactory(username="chief.auditor")
    grant(chief, "auditor")
    response = signed_in(chief).get("/api/v1/audit-events/")
    assert response.status_code == 403
    assert response.json()["detail"] == ("Your roles require two-factor authentication. Set up an authenticator "
                                         "app on the Two-factor authentication page before using the API.")


@override_settings(SECRETARIAT_PRIVILEGED_NEED_SECOND_FACTOR=True)
def test_token_made_without_second_factor_stops_when_a_privileged_role_is_granted(staff):
    secret = signed_in(staff).post(TOKENS, {"name": "script"}, format="json").json()["token"]
    grant(staff, "auditor")
    response = with_token(secret).get("/api/v1/people/")
    assert response.status_code == 403
    assert response.json()["detail"].startswith("This token was created without two-factor authentication")


def test_owner_revokes_a_token_and_it_stops_working(staff):
    client = signed_in(staff)
    body = client.post(TOKENS, {"name": "script"}, format="json").json()
    # when
    response = client.delete(f"{TOKENS}{body['id']}/")
    # then
    assert response.status_code == 204
    assert with_token(body["token"]).get("/api/v1/people/").status_code == 401
    revoked = AuditEvent.objects.get(action="security.api_token_revoked")
    assert revoked.actor == staff and revoked.changes == {"owner": "staff", "name": "script"}


def test_others_cannot_see_or_revoke_a_token_but_an_access_administrator_can(staff, access_admin):
    token_id = signed_in(staff).post(TOKENS, {"name": "script"}, format="json").json()["id"]
    colleague = signed_in(UserFactory(username="colleague"))
    assert colleague.get(TOKENS).json()["results"] == []
    assert colleague.delete(f"{TOKENS}{token_id}/").status_code == 404
    # when
    administrator = signed_in(access_admin, with_code=True)
    assert [t["owner"] for t in administrator.get(TOKENS).json()["results"]] == ["staff"]
    response = administrator.delete(f"{TOKENS}{token_id}/")
    # then
    assert response.status_code == 204
    assert not ApiToken.objects.exists()
    assert AuditEvent.objects.get(action="security.api_token_revoked").actor == access_admin


def test_tokens_page_creates_shows_the_secret_once_and_revokes(client, staff):
    client.post(reverse("web:login"), {"username": "staff", "password": PASSWORD})
    # when
    created = client.post(reverse("api_tokens"), {"name": "spreadsheet", "valid_days": "7"})
    # then
    token = ApiToken.objects.get()
    page = created.content.decode()
    assert created.status_code == 200 and "Copy it now: it is not stored and will not be shown again." in page
    assert token.expiry.date() == (timezone.now() + timedelta(days=7)).date()
    listing = client.get(reverse("api_tokens")).content.decode()
    assert "spreadsheet" in listing and "Copy it now" not in listing
    # when
    revoked = client.post(reverse("api_tokens"), {"revoke": str(token.pk)}, follow=True)
    assert "The token is revoked." in revoked.content.decode()
    assert not ApiToken.objects.exists()


def test_tokens_page_refuses_a_lifetime_over_the_maximum(client, staff):
    client.post(reverse("web:login"), {"username": "staff", "password": PASSWORD})
    response = client.post(reverse("api_tokens"), {"name": "spreadsheet", "valid_days": "365"})
    assert response.status_code == 400
    assert "Ensure this value is less than or equal to 90." in response.content.decode()
    assert not ApiToken.objects.exists()
