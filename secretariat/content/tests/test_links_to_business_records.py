"""Any document can be attached to any business record and found from either side."""

import pytest

from secretariat.content import selectors, services
from secretariat.core.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_attach_and_find_from_both_sides(office):
    # given: a business record of a lower app stands in for a journal entry or a ticket
    record = PersonFactory(org_unit=office.unit)
    invoice = services.upload_document(actor=office.author, library=office.library, file_name="invoice.txt",
                                       data=b"Invoice 17", title="Invoice 17", language="en",
                                       document_type=office.memo, classification="confidential")
    # when
    services.attach_document(actor=office.author, document_id=invoice.pk, target=record)
    services.attach_document(actor=office.author, document_id=invoice.pk, target=record)  # idempotent
    # then
    assert list(selectors.documents_attached_to(actor=office.author, target=record)) == [invoice]
    assert [(link.target_type.model, link.target_id) for link in selectors.links_of(document=invoice)] == [
        ("person", str(record.pk))]
    # and someone who may not open the document does not find it from the record
    assert list(selectors.documents_attached_to(actor=office.outsider, target=record)) == []
