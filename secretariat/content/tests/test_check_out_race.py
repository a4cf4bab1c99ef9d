"""Two people checking out the same document at the same moment: exactly one gets it."""

import threading

import pytest
from django.db import connection

from secretariat.content import services
from secretariat.content.services import CheckedOutByOther

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,  # row locks race only on PostgreSQL; SQLite serialises every writer
]


def test_only_one_of_two_simultaneous_check_outs_wins(office):
    # given
    document = services.upload_document(actor=office.author, library=office.library, file_name="a.txt",
                                        data=b"shared", title="Shared", language="en", document_type=office.memo)
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def check_out(user):
        barrier.wait()
        try:
            services.check_out_document(actor=user, document_id=document.pk)
            outcomes[user.username] = "won"
        except CheckedOutByOther:
            outcomes[user.username] = "refused"
        finally:
            connection.close()

    # when
    threads = [threading.Thread(target=check_out, args=(user,)) for user in (office.author, office.colleague)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then
    assert sorted(outcomes.values()) == ["refused", "won"]
    document.refresh_from_db()
    assert outcomes[document.checked_out_by.username] == "won"
