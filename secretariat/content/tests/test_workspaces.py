"""Workspaces: members inside and outside the Secretariat, shared documents, discussions, polls and
an approval workflow for a draft."""

import pytest
from django.http import Http404

from secretariat.content import selectors, services
from secretariat.content.services import SameApprover, WorkspaceRoleRequired
from secretariat.content.tests.conftest import delegate_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def committee(office):
    workspace = services.create_workspace(actor=office.author, name="Fifth Committee informals",
                                          template="committee", org_unit=office.unit)
    return workspace


def test_template_gives_threads_and_owner(office, committee):
    assert [thread.title for thread in committee.threads.order_by("pk")] == ["Agenda", "Documents for the session"]
    assert committee.memberships.get().role == "owner"


def test_a_delegate_member_sees_workspace_documents_others_do_not(office, committee):
    # given
    delegate = delegate_user("jean.delegate")
    services.add_workspace_member(actor=office.author, workspace_id=committee.pk, user=delegate)
    draft = services.upload_document(actor=office.author, workspace=committee, file_name="draft.txt",
                                     data=b"Draft resolution on the scale of assessments", title="Draft resolution",
                                     language="en", document_type=office.memo)
    # then
    assert selectors.accessible_document(actor=delegate, document_id=draft.pk) == draft
    assert [hit.pk for hit in selectors.search_documents(actor=delegate, query="assessments").hits] == [draft.pk]
    with pytest.raises(Http404):
        selectors.accessible_document(actor=office.colleague, document_id=draft.pk)
    assert selectors.search_documents(actor=office.colleague, query="assessments").hits == []


def test_a_delegate_cannot_see_internal_library_documents(office):
    delegate = delegate_user("jean.delegate")
    internal = services.upload_document(actor=office.author, library=office.library, file_name="n.txt",
                                        data=b"internal note", title="Note", language="en", document_type=office.memo)
    with pytest.raises(Http404):
        selectors.accessible_document(actor=delegate, document_id=internal.pk)


def test_discussions_polls_and_observers(office, committee):
    delegate = delegate_user("jean.delegate")
    observer = delegate_user("ana.observer")
    services.add_workspace_member(actor=office.author, workspace_id=committee.pk, user=delegate)
    services.add_workspace_member(actor=office.author, workspace_id=committee.pk, user=observer, role="observer")
    thread = committee.threads.first()
    first = services.post_to_discussion(actor=delegate, workspace_id=committee.pk, thread_id=thread.pk,
                                        body="We propose paragraph 3 be deleted.")
    reply = services.post_to_discussion(actor=office.author, workspace_id=committee.pk, thread_id=thread.pk,
                                        reply_to_id=first.pk, body="Noted.")
    assert reply.reply_to == first
    poll = services.create_poll(actor=office.author, workspace_id=committee.pk, question="Meet on Friday?",
                                options=["Yes", "No"])
    services.vote_in_poll(actor=delegate, poll_id=poll.pk, option=0)
    services.vote_in_poll(actor=delegate, poll_id=poll.pk, option=1)  # changes the vote, never doubles it
    assert list(poll.votes.values_list("option", flat=True)) == [1]
    with pytest.raises(WorkspaceRoleRequired):
        services.post_to_discussion(actor=observer, workspace_id=committee.pk, thread_id=thread.pk, body="Hi")


def test_draft_approval_tracks_the_version(office, committee):
    delegate = delegate_user("jean.delegate")
    services.add_workspace_member(actor=office.author, workspace_id=committee.pk, user=delegate)
    draft = services.upload_document(actor=delegate, workspace=committee, file_name="draft.txt", data=b"v1",
                                     title="Draft resolution", language="en", document_type=office.memo)
    services.check_out_document(actor=delegate, document_id=draft.pk)
    services.check_in_document(actor=delegate, document_id=draft.pk, file_name="draft.txt", data=b"v2",
                               comment="Merged amendments")
    approval = services.submit_draft_for_approval(actor=delegate, document_id=draft.pk)
    assert approval.version.number == 2
    with pytest.raises(WorkspaceRoleRequired):
        services.decide_draft_approval(actor=delegate, approval_id=approval.pk, approve=True)
    own = services.submit_draft_for_approval(actor=office.author, document_id=draft.pk)
    with pytest.raises(SameApprover):
        services.decide_draft_approval(actor=office.author, approval_id=own.pk, approve=True)
    decided = services.decide_draft_approval(actor=office.author, approval_id=approval.pk, approve=True,
                                             comment="Ready for the plenary")
    assert decided.status == "approved" and decided.decided_by == office.author
