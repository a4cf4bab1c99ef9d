"""The demo content loads on an organisation with an administrator, once, through the services."""

import pytest

from secretariat.content import selectors
from secretariat.content.demo import load_content_demo
from secretariat.content.models import Document, OfficialDocument, RecordClass
from secretariat.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_demo_content(office):
    # given: the demo administrator of core's load_demo
    admin = UserFactory(username="admin")
    admin.is_superuser = admin.is_staff = True
    admin.save()
    # when
    assert load_content_demo() is True
    # then
    assert RecordClass.objects.filter(level="transaction", retention_years__isnull=False).count() == 4
    assert OfficialDocument.objects.filter(status="issued").count() == 5
    assert sorted(selectors.public_official_documents(symbol="A/62/510").values_list("language", flat=True)) == [
        "ar", "en", "es", "fr", "ru", "zh-hans"]
    assert Document.objects.filter(declared_at__isnull=False, record_class__code="FIN-AP-INV").count() == 20
    # the six-language corpus of the search relevance set, found without accents
    assert {hit.title for hit in selectors.search_documents(actor=admin, query="securite", language="fr").hits} == {
        "Réforme du secteur de la sécurité", "Les femmes et la paix et la sécurité"}
    assert load_content_demo() is False
