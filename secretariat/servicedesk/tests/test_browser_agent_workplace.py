"""In a real browser, the agent's workplace end to end: a requester raises a request in Spanish, a
macro answers it in Spanish, the agent links a knowledge article and resolves it, the requester
reopens it by replying, another agent takes it over after the follow-the-sun hand-over, and the
survey invitation arrives by mail."""

import datetime

import pytest

from secretariat.core.tests.factories import UserFactory, grant
from secretariat.servicedesk.models import KnowledgeArticle, Ticket, TicketStatus
from secretariat.servicedesk.services import define_macro, hand_over_shift, publish_article
from secretariat.servicedesk.tests.test_browser_servicedesk import in_language, log_out_to_english, switch_language

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
NEW_YORK_MORNING = datetime.datetime(2026, 11, 24, 15, 0, tzinfo=datetime.UTC)  # Geneva 16:00 closing soon


def test_request_macro_article_reopen_hand_over_and_survey(page, log_in, catalogue, mailoutbox):
    es = in_language("es")
    manager = UserFactory(username="manager")
    grant(manager, "servicedesk_manager")
    grant(catalogue.owner, "service_owner")
    define_macro(actor=manager, code="restart", name="Restart Outlook", bodies={
        "en": "Dear {requester}, please restart Outlook ({reference}).",
        "es": "Estimada {requester}: reinicie Outlook ({reference})."})
    publish_article(actor=catalogue.owner, code="outlook-profile", language="en", title="Repair an Outlook profile",
                    body="Open the mail control panel", review_on=datetime.date(2027, 6, 30))
    maria = UserFactory(username="maria", email="maria@example.org")
    grant(maria, "servicedesk_agent")
    catalogue.new_york_desk.agents.add(maria)
    # given Lucía raises a request in Spanish
    log_in("lucia")
    switch_language(page, "es")
    page.goto("/servicedesk/")
    page.get_by_role("link", name="Correo electrónico y calendario").click()
    page.get_by_label(es("Subject"), exact=True).fill("Outlook se cierra")
    page.get_by_role("button", name=es("Submit ticket")).click()
    page.wait_for_selector("#ticket-status")
    ticket = Ticket.objects.get()
    # when Ivan answers with the macro, then resolves linking the article
    log_out_to_english(page, "lucia")
    log_in("ivan")
    page.goto(f"/servicedesk/tickets/{ticket.pk}/")
    page.get_by_label("Macro", exact=True).select_option("restart")
    page.get_by_role("button", name="Send the macro").click()
    page.wait_for_selector(f"text=reinicie Outlook ({ticket.reference})")
    page.get_by_label("Resolution", exact=True).fill("Perfil de Outlook reparado")
    page.get_by_label("Solved by article", exact=True).select_option(
        str(KnowledgeArticle.objects.get(code="outlook-profile").pk))
    page.get_by_role("button", name="Resolve ticket").click()
    page.wait_for_selector("text=Perfil de Outlook reparado")
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.RESOLVED and ticket.solved_by_article.code == "outlook-profile"
    # and the survey invitation reaches Lucía
    assert any(mail.to == ["lucia@example.org"] and "#survey-heading" in mail.body for mail in mailoutbox)
    # when Lucía answers that it is still broken, the ticket reopens
    log_out_to_english(page, "ivan")
    log_in("lucia")
    switch_language(page, "es")
    page.goto(f"/servicedesk/tickets/{ticket.pk}/")
    page.get_by_label(es("Your message"), exact=True).fill("Sigue sin funcionar")
    page.get_by_role("button", name=es("Send message")).click()
    page.wait_for_selector(f"text={es('Saved.')}")
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.IN_PROGRESS and Ticket.objects.count() == 1
    # then after Geneva's shift is handed over, María in New York takes it
    ticket.desk = catalogue.geneva_desk
    ticket.save(update_fields=["desk"])
    assert hand_over_shift(actor=None, desk=catalogue.geneva_desk,
                           now=NEW_YORK_MORNING + datetime.timedelta(hours=2)) == 1
    log_out_to_english(page, "lucia")
    log_in("maria")
    page.goto(f"/servicedesk/tickets/{ticket.pk}/")
    page.get_by_role("button", name="Take this ticket").click()
    page.wait_for_selector("#ticket-assignee:has-text('maria')")
    ticket.refresh_from_db()
    assert (ticket.desk, ticket.assignee) == (catalogue.new_york_desk, maria)
