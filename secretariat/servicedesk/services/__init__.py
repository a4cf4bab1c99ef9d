"""Every write of the service desk, split by concern (like ``finance.services``):

- ``sla``: priority, duty-station calendars, SLA clocks; ``escalation``: the escalation rules;
- ``raising``: subscriptions, routing, raising and importing tickets;
- ``tickets``: working tickets (replies, reopening, resolution, merge, links, surveys); ``closing``: auto-close;
- ``assignment``: desks and agents, round-robin, taking tickets, the follow-the-sun hand-over;
- ``macros``: canned replies with placeholders;
- ``attachments``: files on tickets; ``common``: locking, history entries, status moves;
- ``changes``: changes and problems; ``catalogue``: catalogue, desks, CMDB and knowledge;
- ``chargeback``: the monthly chargeback in the ledger; ``mail``: the record of mail read.

Every permission and scope check is made in the service itself, so pages, API, mail channel,
tasks, commands and the demo loader get the same answer. ``actor=None`` means the platform
itself (the mail channel acting for a sender without an account, the scheduled tasks); only the
services that say so accept it, every other one refuses ``None`` like any user without the
permission. The names below are re-exported for the app's clients.
"""

from secretariat.servicedesk.services.sla import (
    CalendarWithoutTimeZone as CalendarWithoutTimeZone,
    ClockBook as ClockBook,
    NoTargetForPriority as NoTargetForPriority,
    SLA_FIELDS as SLA_FIELDS,
    apply_sla as apply_sla,
    as_time as as_time,
    calendar_for as calendar_for,
    priority_for as priority_for,
    recompute_sla as recompute_sla,
    target_for as target_for,
    targets_by_level_priority as targets_by_level_priority,
    ticket_pauses as ticket_pauses,
)
from secretariat.servicedesk.services.routing import (
    active_desks as active_desks,
    choose_desk as choose_desk,
    department_subscription as department_subscription,
)
from secretariat.servicedesk.services.common import (
    TicketClosed as TicketClosed,
    add_entry as add_entry,
    lock_ticket as lock_ticket,
    move_ticket as move_ticket,
    refuse_if_finished as refuse_if_finished,
    requester_user as requester_user,
    require_agent as require_agent,
    require_on_ticket as require_on_ticket,
)
from secretariat.servicedesk.services.attachments import (
    AttachmentEmpty as AttachmentEmpty,
    AttachmentRefused as AttachmentRefused,
    AttachmentTooLarge as AttachmentTooLarge,
    AttachmentUpload as AttachmentUpload,
    MAX_ATTACHMENT_BYTES as MAX_ATTACHMENT_BYTES,
    SAFE_CONTENT_TYPE as SAFE_CONTENT_TYPE,
    attach_files_to_ticket as attach_files_to_ticket,
    check_attachment as check_attachment,
    stored_content_type as stored_content_type,
    stored_file_name as stored_file_name,
)
from secretariat.servicedesk.services.raising import (
    IMPORT_FIELDS as IMPORT_FIELDS,
    NoDeskAvailable as NoDeskAvailable,
    RequesterHasNoDepartment as RequesterHasNoDepartment,
    ServiceNotPublished as ServiceNotPublished,
    ServiceNotSubscribed as ServiceNotSubscribed,
    TicketDraft as TicketDraft,
    check_request_answers as check_request_answers,
    import_tickets as import_tickets,
    plan_ticket as plan_ticket,
    raise_ticket as raise_ticket,
)
from secretariat.servicedesk.services.tickets import (
    CannotLinkToItself as CannotLinkToItself,
    CannotMergeIntoItself as CannotMergeIntoItself,
    MAX_MINUTES_PER_ENTRY as MAX_MINUTES_PER_ENTRY,
    MAX_TAGS as MAX_TAGS,
    NotOnTheTicket as NotOnTheTicket,
    NotTheRequester as NotTheRequester,
    RequestApprovalBySelf as RequestApprovalBySelf,
    SurveyAlreadyAnswered as SurveyAlreadyAnswered,
    SurveyNotOpen as SurveyNotOpen,
    add_requester_reply as add_requester_reply,
    answer_survey as answer_survey,
    approve_service_request as approve_service_request,
    change_ticket_level as change_ticket_level,
    change_ticket_priority as change_ticket_priority,
    change_ticket_status as change_ticket_status,
    link_tickets as link_tickets,
    log_time_spent as log_time_spent,
    merge_tickets as merge_tickets,
    raise_follow_up as raise_follow_up,
    recompute_sla_for_duty_station as recompute_sla_for_duty_station,
    reopen_window as reopen_window,
    reopens as reopens,
    reply_to_ticket as reply_to_ticket,
    resolve_ticket as resolve_ticket,
    subscribe_webhook as subscribe_webhook,
    tag_ticket as tag_ticket,
    watch_ticket as watch_ticket,
)
from secretariat.servicedesk.services.assignment import (
    AssigneeNotAnAgent as AssigneeNotAnAgent,
    DeskInactive as DeskInactive,
    assign_ticket as assign_ticket,
    auto_assign as auto_assign,
    hand_over_closed_desks as hand_over_closed_desks,
    hand_over_shift as hand_over_shift,
    pick_agent as pick_agent,
    take_ticket as take_ticket,
)
from secretariat.servicedesk.services.escalation import (
    escalate_tickets as escalate_tickets,
)
from secretariat.servicedesk.services.changes import (
    ChangeApprovalBySelf as ChangeApprovalBySelf,
    ChangeNotApproved as ChangeNotApproved,
    ChangeNotSubmitted as ChangeNotSubmitted,
    NotAnIncident as NotAnIncident,
    decide_change as decide_change,
    implement_change as implement_change,
    link_incidents_to_problem as link_incidents_to_problem,
    record_problem as record_problem,
    record_problem_diagnosis as record_problem_diagnosis,
    submit_change as submit_change,
)
from secretariat.servicedesk.services.catalogue import (
    IncompleteTargets as IncompleteTargets,
    LevelOfAnotherService as LevelOfAnotherService,
    define_escalation_rule as define_escalation_rule,
    define_service_level as define_service_level,
    open_desk as open_desk,
    publish_article as publish_article,
    publish_service as publish_service,
    record_annual_survey_result as record_annual_survey_result,
    record_configuration_item as record_configuration_item,
    relate_configuration_items as relate_configuration_items,
    staff_desk as staff_desk,
    subscribe_department as subscribe_department,
)
from secretariat.servicedesk.services.chargeback import (
    CHARGEBACK_EXPENSE_ACCOUNT as CHARGEBACK_EXPENSE_ACCOUNT,
    CHARGEBACK_RECOVERY_ACCOUNT as CHARGEBACK_RECOVERY_ACCOUNT,
    ChargebackAccountMissing as ChargebackAccountMissing,
    ChargebackAlreadyPosted as ChargebackAlreadyPosted,
    ChargebackNotPosted as ChargebackNotPosted,
    MonthNotEnded as MonthNotEnded,
    NothingToCharge as NothingToCharge,
    month_label as month_label,
    post_monthly_chargeback as post_monthly_chargeback,
    refuse_if_chargeback_posted as refuse_if_chargeback_posted,
    reverse_monthly_chargeback as reverse_monthly_chargeback,
    standing_posting as standing_posting,
)
from secretariat.servicedesk.services.mail import (
    record_inbound_message as record_inbound_message,
)
from secretariat.servicedesk.services.closing import (
    auto_close_days as auto_close_days,
    close_resolved_tickets as close_resolved_tickets,
)
from secretariat.servicedesk.services.macros import (
    MacroInactive as MacroInactive,
    PLACEHOLDER as PLACEHOLDER,
    apply_macro as apply_macro,
    define_macro as define_macro,
    fill_placeholders as fill_placeholders,
    macro_text as macro_text,
)
