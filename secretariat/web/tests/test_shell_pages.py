"""The shell around every page: a menu of only what the user may open, breadcrumbs, styled error
pages in the visitor's language, and confirmation before destructive actions."""

import pytest
from django.test import Client, RequestFactory
from django.utils import translation
from django.views.defaults import server_error

from secretariat.core.tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db


def signed_in(user, language="en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


def test_staff_see_no_link_to_a_page_that_would_refuse_them():
    staff = signed_in(UserFactory(username="sam"))
    home = staff.get("/").content.decode()
    for refused_page in ["/audit/", "/servicedesk/queue/", "/finance/trial-balance/"]:
        assert f'href="{refused_page}"' not in home
        assert staff.get(refused_page).status_code == 403
    assert 'href="/organisation/people/"' not in home  # it would list nobody
    for open_page in ["/servicedesk/", "/organisation/entities/", "/account/api-tokens/"]:
        assert f'href="{open_page}"' in home


def test_the_global_auditor_is_shown_and_may_open_every_read_page():
    auditor = UserFactory(username="olu")
    grant(auditor, "auditor")
    client = signed_in(auditor)
    home = client.get("/").content.decode()
    for page in ["/audit/", "/finance/trial-balance/", "/finance/statements/", "/servicedesk/queue/",
                 "/servicedesk/reports/", "/organisation/people/"]:
        assert f'href="{page}"' in home
        assert client.get(page).status_code == 200, page


def test_breadcrumbs_lead_back_through_the_menu():
    auditor = UserFactory()
    grant(auditor, "auditor")
    page = signed_in(auditor).get("/finance/statements/").content.decode()
    trail = page[page.index('aria-label="Breadcrumb"'):page.index("</nav>", page.index('aria-label="Breadcrumb"'))]
    assert 'href="/"' in trail and "Resources" in trail and 'aria-current="page">Financial statements' in trail


def test_the_404_page_is_in_the_site_frame_and_the_visitor_language():
    response = signed_in(UserFactory(), "ar").get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert 'lang="ar" dir="rtl"' in page and "bootstrap.rtl.min.css" in page
    assert 'id="main"' in page and 'href="/"' in page


def test_the_500_page_needs_no_database(django_assert_num_queries):
    request = RequestFactory().get("/")
    with translation.override("fr"), django_assert_num_queries(0):
        response = server_error(request)
    page = response.content.decode()
    assert response.status_code == 500 and 'lang="fr"' in page and 'id="main"' in page


def test_revoking_a_role_asks_for_confirmation():
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    grant(UserFactory(username="reader"), "staff_directory")
    page = signed_in(admin).get("/access/roles/").content.decode()
    assert "/static/web/confirm.js" in page
    revoke_form = page[page.index("/revoke/") - 200:page.index("/revoke/") + 200]
    assert "data-confirm=" in revoke_form
