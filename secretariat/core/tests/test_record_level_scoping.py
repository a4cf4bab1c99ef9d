"""A user sees and changes only what their roles allow, in the scope they were granted."""

import datetime

from django.urls import reverse

from secretariat.core.access import has_permission, scoped
from secretariat.core.models import Person
from secretariat.core.tests.factories import UserFactory, grant


def family_names(queryset):
    return sorted(queryset.values_list("family_name", flat=True))


def test_geneva_hr_officer_sees_geneva_staff_only(offices, geneva_hr_officer):
    # when
    visible = scoped(Person.objects.all(), actor=geneva_hr_officer, permission="core.view_person")
    # then
    assert family_names(visible) == ["Dupont", "Favre"]
    assert not has_permission(actor=geneva_hr_officer, permission="core.view_person", target=offices.nairobi_person)


def test_org_unit_scope_covers_the_subtree_and_nothing_above(offices):
    # given a role on the Geneva HR section only
    user = UserFactory()
    grant(user, "hr_officer", offices.geneva_hr_section)
    # then
    assert family_names(scoped(Person.objects.all(), actor=user, permission="core.view_person")) == ["Favre"]


def test_org_unit_scope_includes_units_below(offices):
    user = UserFactory()
    grant(user, "hr_officer", offices.geneva_hr)
    assert family_names(scoped(Person.objects.all(), actor=user, permission="core.view_person")) == [
        "Dupont", "Favre"]


def test_duty_station_scope(offices):
    user = UserFactory()
    grant(user, "staff_directory", offices.nairobi_station)
    assert family_names(scoped(Person.objects.all(), actor=user, permission="core.view_person")) == ["Otieno"]


def test_role_without_the_permission_gives_nothing(offices):
    user = UserFactory()
    grant(user, "staff_directory", offices.geneva)  # may view, not change
    assert has_permission(actor=user, permission="core.view_person", target=offices.geneva_person)
    assert not has_permission(actor=user, permission="core.change_person", target=offices.geneva_person)


def test_expired_future_and_revoked_assignments_give_nothing(offices):
    today = datetime.date.today()
    expired, future, revoked = UserFactory(), UserFactory(), UserFactory()
    grant(expired, "hr_officer", offices.geneva, valid_until=today - datetime.timedelta(days=1))
    grant(future, "hr_officer", offices.geneva, valid_from=today + datetime.timedelta(days=1))
    assignment = grant(revoked, "hr_officer", offices.geneva)
    assignment.status, assignment.revoked_at = "revoked", datetime.datetime.now(datetime.UTC)
    assignment.save()
    for user in (expired, future, revoked):
        assert not scoped(Person.objects.all(), actor=user, permission="core.view_person").exists()


def test_global_role_sees_everyone(offices):
    auditor = UserFactory()
    grant(auditor, "auditor")
    assert scoped(Person.objects.all(), actor=auditor, permission="core.view_person").count() == 3


def test_api_lists_only_scoped_people_and_hides_the_rest(offices, geneva_hr_officer, client):
    client.force_login(geneva_hr_officer)
    # when
    listing = client.get("/api/v1/people/").json()
    hidden = client.get(f"/api/v1/people/{offices.nairobi_person.pk}/")
    # then
    assert sorted(p["family_name"] for p in listing["results"]) == ["Dupont", "Favre"]
    assert hidden.status_code == 404
    assert hidden["Content-Type"] == "application/problem+json"


def test_person_page_outside_scope_is_not_found(offices, geneva_hr_officer, client):
    client.force_login(geneva_hr_officer)
    assert client.get(reverse("web:person_detail", args=[offices.geneva_person.pk])).status_code == 200
    assert client.get(reverse("web:person_detail", args=[offices.nairobi_person.pk])).status_code == 404
    page = client.get(reverse("web:people_list")).content.decode()
    assert "DUPONT" in page and "OTIENO" not in page
