"""In a real browser: raise a ticket in Spanish from the portal, resolve it as an agent in
Russian, and answer the survey.

Labels are looked up through gettext in the page's language, so the test keeps passing when
the central translation work fills in the catalogues.
"""

import re

import pytest
from django.utils import translation

from secretariat.servicedesk.models import Ticket

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def in_language(code: str):
    def translate(text: str) -> str:
        with translation.override(code):
            return translation.gettext(text)
    return translate


def switch_language(page, code):
    """The language form, labelled in whatever language the page is in now."""
    current = in_language(page.locator("html").get_attribute("lang"))
    page.get_by_label(current("Language"), exact=True).select_option(code)
    page.get_by_role("button", name=current("Change language")).click()
    page.wait_for_selector(f"html[lang='{code}']")


def log_out_to_english(page, username):
    """Log out (the button's label is in the current language) and bring the login page to English."""
    page.get_by_role("button", name=re.compile(rf"\b{username}\b")).click()
    page.goto("/login/")
    switch_language(page, "en")


def test_spanish_request_russian_resolution_and_survey(page, log_in, catalogue):
    es, ru = in_language("es"), in_language("ru")
    # given Lucía, in Spanish, raises a ticket from the portal
    log_in("lucia")
    switch_language(page, "es")
    page.goto("/servicedesk/")
    page.get_by_role("link", name="Correo electrónico y calendario").click()
    page.get_by_label(es("Subject"), exact=True).fill("No puedo abrir el correo")
    page.get_by_label(es("Description"), exact=True).fill("Outlook se cierra al abrir")
    page.get_by_role("button", name=es("Submit ticket")).click()
    page.wait_for_selector("#ticket-status")
    ticket = Ticket.objects.get()
    assert ticket.language == "es" and ticket.subject == "No puedo abrir el correo"
    # when Ivan, in Russian, resolves it
    log_out_to_english(page, "lucia")
    log_in("ivan")
    switch_language(page, "ru")
    page.goto("/servicedesk/queue/")
    page.get_by_role("link", name=ticket.reference).click()
    page.get_by_label(ru("Resolution"), exact=True).fill("Перезапустили профиль Outlook")
    page.get_by_role("button", name=ru("Resolve ticket")).click()
    page.wait_for_selector("text=Перезапустили профиль Outlook")
    # then Lucía (still in Spanish) sees the answer and answers the survey
    log_out_to_english(page, "ivan")
    log_in("lucia")
    switch_language(page, "es")
    page.goto(f"/servicedesk/tickets/{ticket.pk}/")
    page.get_by_label(es("How satisfied are you with the service?")).select_option("5")
    page.get_by_role("button", name=es("Send answer")).click()
    page.wait_for_selector(f"text={es('Saved.')}")
    ticket.refresh_from_db()
    assert ticket.status == "resolved" and ticket.satisfaction.rating == 5
