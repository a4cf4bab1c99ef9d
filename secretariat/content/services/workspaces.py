"""Collaboration workspaces: membership, discussions, polls and approval of drafts."""


from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secretariat.content.models import (
    DiscussionPost,
    DiscussionThread,
    DraftApproval,
    DraftApprovalStatus,
    Poll,
    PollVote,
    Workspace,
    WorkspaceMembership,
    WorkspaceRole,
)
from secretariat.content.services.documents import (
    lock_document,
    require_workspace_contributor,
)
from secretariat.content.services.refusals import (
    ApprovalAlreadyDecided,
    DraftNotInWorkspace,
    PollClosed,
    SameApprover,
    WorkspaceRoleRequired,
)
from secretariat.core.access import require_permission
from secretariat.core.audit import record_audit_event
from secretariat.core.exceptions import InvalidInput

WORKSPACE_TEMPLATES = {
    "committee": {"label": _("Committee"), "threads": [_("Agenda"), _("Documents for the session")]},
    "working_group": {"label": _("Working group"), "threads": [_("Terms of reference"), _("Drafts")]},
    "project": {"label": _("Project team"), "threads": [_("Plan"), _("Decisions")]},
}


@transaction.atomic
def create_workspace(*, actor, name: str, template: str, org_unit, purpose: str = "") -> Workspace:
    """A workspace from a template, with its creator as owner and the template's threads."""
    if template not in WORKSPACE_TEMPLATES:
        raise InvalidInput(errors={"template": [str(_("Choose one of the workspace templates."))]})
    require_permission(actor=actor, permission="content.add_workspace", target=org_unit,
                       action=_("create workspaces"))
    workspace = Workspace.objects.create(name=name, template=template, org_unit=org_unit, purpose=purpose,
                                         created_by=actor)
    WorkspaceMembership.objects.create(workspace=workspace, user=actor, role=WorkspaceRole.OWNER)
    for title in WORKSPACE_TEMPLATES[template]["threads"]:
        DiscussionThread.objects.create(workspace=workspace, title=str(title), started_by=actor)
    record_audit_event(actor=actor, action="content.workspace.created", target=workspace,
                       changes={"template": template})
    return workspace


def require_workspace_owner(*, actor, workspace: Workspace) -> None:
    if actor.is_superuser:
        return
    if not WorkspaceMembership.objects.filter(workspace=workspace, user=actor, role=WorkspaceRole.OWNER).exists():
        raise WorkspaceRoleRequired(workspace=workspace.name)


@transaction.atomic
def add_workspace_member(*, actor, workspace_id: int, user, role: str = WorkspaceRole.MEMBER) -> WorkspaceMembership:
    """Add a member — staff or an external user such as a delegate — to a workspace."""
    workspace = Workspace.objects.select_for_update(no_key=True).get(pk=workspace_id)
    require_workspace_owner(actor=actor, workspace=workspace)
    membership, _created = WorkspaceMembership.objects.update_or_create(
        workspace=workspace, user=user, defaults={"role": role})
    record_audit_event(actor=actor, action="content.workspace.member_added", target=workspace,
                       changes={"user": user.get_username(), "role": role})
    return membership


@transaction.atomic
def post_to_discussion(*, actor, workspace_id: int, body: str, thread_id: int | None = None, title: str = "",
                       reply_to_id: int | None = None) -> DiscussionPost:
    """Start a thread (give ``title``) or reply in one (give ``thread_id``, optionally ``reply_to_id``)."""
    workspace = Workspace.objects.get(pk=workspace_id)
    require_workspace_contributor(actor=actor, workspace=workspace)
    if not body.strip():
        raise InvalidInput(errors={"body": [str(_("Write a message."))]})
    if thread_id is None:
        thread = DiscussionThread.objects.create(workspace=workspace, title=title or body[:80], started_by=actor)
    else:
        thread = DiscussionThread.objects.get(pk=thread_id, workspace=workspace)
    reply_to = DiscussionPost.objects.get(pk=reply_to_id, thread=thread) if reply_to_id else None
    post = DiscussionPost.objects.create(thread=thread, reply_to=reply_to, author=actor, body=body)
    record_audit_event(actor=actor, action="content.workspace.posted", target=workspace,
                       changes={"thread": thread.pk, "post": post.pk})
    return post


@transaction.atomic
def create_poll(*, actor, workspace_id: int, question: str, options: list[str]) -> Poll:
    workspace = Workspace.objects.get(pk=workspace_id)
    require_workspace_contributor(actor=actor, workspace=workspace)
    options = [option.strip() for option in options if option.strip()]
    if len(options) < 2:
        raise InvalidInput(errors={"options": [str(_("A poll needs at least two options."))]})
    poll = Poll.objects.create(workspace=workspace, question=question, options=options, created_by=actor)
    record_audit_event(actor=actor, action="content.workspace.poll_created", target=workspace,
                       changes={"poll": poll.pk})
    return poll


@transaction.atomic
def vote_in_poll(*, actor, poll_id: int, option: int) -> PollVote:
    poll = Poll.objects.select_for_update(no_key=True).select_related("workspace").get(pk=poll_id)
    require_workspace_contributor(actor=actor, workspace=poll.workspace)
    if poll.closed_at is not None:
        raise PollClosed()
    if not 0 <= option < len(poll.options):
        raise InvalidInput(errors={"option": [str(_("Choose one of the poll's options."))]})
    vote, _created = PollVote.objects.update_or_create(poll=poll, voter=actor, defaults={"option": option})
    return vote


@transaction.atomic
def submit_draft_for_approval(*, actor, document_id: int) -> DraftApproval:
    """Ask for approval of the latest tracked version of a workspace draft."""
    document = lock_document(document_id)
    if document.workspace_id is None:
        raise DraftNotInWorkspace()
    require_workspace_contributor(actor=actor, workspace=document.workspace)
    approval = DraftApproval.objects.create(version=document.latest_version, submitted_by=actor)
    record_audit_event(actor=actor, action="content.draft.submitted", target=document,
                       changes={"version": approval.version.number})
    return approval


@transaction.atomic
def decide_draft_approval(*, actor, approval_id: int, approve: bool, comment: str = "") -> DraftApproval:
    approval = DraftApproval.objects.select_for_update(no_key=True, of=("self",)).select_related(
        "version__document__workspace").get(
        pk=approval_id)
    require_workspace_owner(actor=actor, workspace=approval.version.document.workspace)
    if approval.status != DraftApprovalStatus.SUBMITTED:
        raise ApprovalAlreadyDecided()
    if approval.submitted_by_id == actor.pk:
        raise SameApprover()
    approval.status = DraftApprovalStatus.APPROVED if approve else DraftApprovalStatus.REJECTED
    approval.decided_by, approval.decided_at, approval.comment = actor, timezone.now(), comment
    approval.save()
    record_audit_event(actor=actor, action="content.draft.decided", target=approval.version.document,
                       changes={"version": approval.version.number, "status": approval.status, "comment": comment})
    return approval
