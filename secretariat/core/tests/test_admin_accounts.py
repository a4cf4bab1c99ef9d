"""The Django admin gives no privilege and hides no change: superuser status, groups and
permissions are read-only there, authenticators are not managed there, and changes are audited."""

import pytest
from django.contrib.auth import get_user_model

from secretariat.core.models import AuditEvent

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def admin_client(client):
    superuser = User.objects.create_superuser("root.admin", "root@example.org", "Secretariat-test-2026")
    client.force_login(superuser)  # the test settings waive the second factor for force_login
    return client


def account_form(user, **changes) -> dict:
    form = {"username": user.username, "first_name": user.first_name, "last_name": user.last_name,
            "email": user.email, "is_active": "on", "initial-last_login": "", "initial-date_joined": ""}
    form.update(changes)
    return form


def test_a_superuser_cannot_make_someone_a_superuser_in_the_admin(admin_client):
    # given
    officer = User.objects.create_user("finance.clerk", "clerk@example.org", "Secretariat-test-2026")
    # when
    response = admin_client.post(f"/admin/auth/user/{officer.pk}/change/",
                                 account_form(officer, is_superuser="on", is_staff="on", first_name="Ana"))
    # then the other changes are saved, the privilege is not, and the change is in the audit trail
    assert response.status_code == 302
    officer.refresh_from_db()
    assert (officer.first_name, officer.is_superuser, officer.is_staff) == ("Ana", False, False)
    event = AuditEvent.objects.get(action="security.account_changed_in_admin")
    assert event.target_id == str(officer.pk) and event.actor_label == "root.admin"


def test_a_password_set_in_the_admin_is_audited(admin_client):
    officer = User.objects.create_user("finance.clerk", "clerk@example.org", "Secretariat-test-2026")
    response = admin_client.post(f"/admin/auth/user/{officer.pk}/password/",
                                 {"password1": "Another-password-2026", "password2": "Another-password-2026"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="security.account_changed_in_admin", target_id=str(officer.pk)).exists()


def test_authenticators_and_groups_are_not_managed_in_the_admin(admin_client):
    assert admin_client.get("/admin/otp_totp/totpdevice/add/").status_code == 404
    assert admin_client.get("/admin/auth/group/").status_code == 404


def test_the_organisation_is_shown_read_only_in_the_admin_and_reference_changes_are_audited(admin_client):
    from secretariat.core.models import AuditEvent, Country
    from secretariat.core.tests.factories import DutyStationFactory

    station = DutyStationFactory(code="GVA")
    assert admin_client.get("/admin/core/dutystation/").status_code == 200
    assert admin_client.get("/admin/core/dutystation/add/").status_code == 403
    page = admin_client.get(f"/admin/core/dutystation/{station.pk}/change/").content.decode()
    assert 'name="code"' not in page  # shown, not editable
    country = Country.objects.get(alpha2="CH")
    admin_client.post(f"/admin/core/country/{country.pk}/change/", {
        "alpha2": "CH", "alpha3": "CHE", "numeric": country.numeric, "is_member_state": "on"})
    assert AuditEvent.objects.filter(action="reference.changed_in_admin").exists()
