"""Every change to documents, official documents, records, holds, disposition and workspaces,
split by concern (ADR 0039):

- ``documents``: documents and their versions, metadata, check-out/in, links to business records;
- ``official``: official documents, simultaneous issue, release at a set time, early release;
- ``records``: the classification scheme, declaration, retention, legal holds, disposition;
- ``workspaces``: collaboration workspaces, discussions, polls, draft approval;
- ``indexing``: search indexing after the change (text read by OCR);
- ``fixity``: fixity checks and what follows a failed one;
- ``files``: the content-addressed store under the transaction; ``refusals``: the domain refusals;
- ``queue``: the one seam through which a service queues background work, after commit.

The tasks call these services, never the reverse. New code imports from the sub-modules; the
names are also re-exported here for the pages, the API, the demo and other apps.
"""

from secretariat.content.services.refusals import (  # noqa: F401
    AlreadyDeclared,
    ApprovalAlreadyDecided,
    CheckedOutByOther,
    DraftNotInWorkspace,
    HoldAlreadyReleased,
    LanguageVersionExists,
    LanguageVersionsNotFinal,
    NotARecord,
    NotCheckedOut,
    NotInTranslation,
    PollClosed,
    RecordIsImmutable,
    RetentionCannotShorten,
    SameApprover,
    SymbolTaken,
    UnderLegalHold,
    WorkspaceRoleRequired,
)

from secretariat.content.services.files import (  # noqa: F401
    atomic_with_files,
    staged_blobs,
    store_file,
)

from secretariat.content.services.documents import (  # noqa: F401
    KEY_METADATA,
    add_version,
    attach_document,
    cancel_check_out,
    check_in_document,
    check_language,
    check_out_document,
    delete_document,
    detach_document,
    lock_document,
    metadata_snapshot,
    release_unreferenced_blobs,
    require_can_edit,
    require_workspace_contributor,
    update_document_metadata,
    upload_document,
    validate_custom_fields,
)

from secretariat.content.services.indexing import (  # noqa: F401
    apply_recognised_text,
)

from secretariat.content.services.official import (  # noqa: F401
    RELEASE_AUTHORITY,
    add_language_version,
    cancel_scheduled_release,
    cannot_issue_here,
    final_versions,
    issue_official_document,
    lock_official,
    mark_language_version_final,
    move_official_document,
    official_document_type,
    publish_versions,
    register_official_document,
    release,
    release_due_documents,
    release_language_subset,
    schedule_release,
)

from secretariat.content.services.records import (  # noqa: F401
    add_years,
    approve_disposition_run,
    close_record_file,
    create_record_class,
    declare_record,
    destruction_stub,
    execute_disposition_run,
    extend_retention,
    place_legal_hold,
    propose_disposition_run,
    release_legal_hold,
    retention_end,
)

from secretariat.content.services.workspaces import (  # noqa: F401
    WORKSPACE_TEMPLATES,
    add_workspace_member,
    create_poll,
    create_workspace,
    decide_draft_approval,
    post_to_discussion,
    require_workspace_owner,
    submit_draft_for_approval,
    vote_in_poll,
)

from secretariat.content.services.fixity import (  # noqa: F401
    FileFailedFixity,
    FileIntact,
    NotTheOriginal,
    StoredFileMissing,
    accept_changed_file,
    check_fixity,
    lock_flagged_file,
    require_intact_file,
    restore_stored_file,
)
