"""REST API of the servicedesk app: viewsets registered on ``router``, mounted under /api/v1/servicedesk/.

Thin: parse, find what the user may see through selectors (not found otherwise), call one
service, serialise. The services decide what the user may do.
"""


from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from secretariat.core.access import has_permission
from secretariat.core.api_base import idempotent, one_object
from secretariat.core.exceptions import AccessDenied, InvalidInput
from secretariat.core.models import OrgUnit, Person
from secretariat.finance.models import Fund
from secretariat.finance.selectors import accessible_funds
from secretariat.servicedesk import selectors, services
from secretariat.servicedesk.downloads import attachment_response
from secretariat.servicedesk.notifications import TICKET_EVENTS
from secretariat.servicedesk.models import (
    ChangeRequest,
    Channel,
    ChargebackPosting,
    ConfigurationItem,
    Impact,
    KnowledgeArticle,
    Macro,
    Problem,
    Service,
    ServiceLevel,
    ServiceLevelTarget,
    Ticket,
    TicketAttachment,
    TicketKind,
    TicketStatus,
    Urgency,
    WebhookSubscription,
)

router = DefaultRouter()


# --- Serializers ------------------------------------------------------------------------------
class TargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceLevelTarget
        fields = ["priority", "response_minutes", "resolution_minutes"]


class LevelSerializer(serializers.ModelSerializer):
    targets = TargetSerializer(many=True, read_only=True)

    class Meta:
        model = ServiceLevel
        fields = ["id", "code", "name", "cover", "targets"]


class ServiceSerializer(serializers.ModelSerializer):
    levels = LevelSerializer(many=True, read_only=True)

    class Meta:
        model = Service
        fields = ["id", "code", "name", "name_translations", "localized_name", "kind", "description_translations",
                  "unit_price_amount", "currency", "request_fields", "requires_approval", "levels"]


class TicketSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    service = serializers.SlugRelatedField(slug_field="code", read_only=True)
    level = serializers.SlugRelatedField(slug_field="code", read_only=True)
    desk = serializers.SlugRelatedField(slug_field="code", read_only=True)
    duty_station = serializers.SlugRelatedField(slug_field="code", read_only=True)
    requester = serializers.CharField(source="requester.email", read_only=True)

    class Meta:
        model = Ticket
        fields = ["id", "reference", "kind", "service", "level", "requester", "duty_station", "channel", "language",
                  "subject", "description", "category", "impact", "urgency", "priority", "desk", "assignee",
                  "status", "opened_at", "responded_at", "resolved_at", "response_due_at", "resolution_due_at",
                  "resolution_used_seconds", "response_breached", "resolution_breached",
                  "is_first_contact_resolution", "merged_into", "solved_by_article"]
        read_only_fields = fields


class RaiseTicketSerializer(serializers.Serializer):
    service = serializers.SlugRelatedField(slug_field="code", queryset=Service.objects.all())
    subject = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    kind = serializers.ChoiceField(choices=TicketKind.choices, default=TicketKind.INCIDENT)
    impact = serializers.ChoiceField(choices=Impact.choices, default=Impact.MINOR)
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.MEDIUM)
    category = serializers.CharField(required=False, allow_blank=True, default="")
    answers = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False, default=dict)
    requester = serializers.SlugRelatedField(slug_field="email", queryset=Person.objects.all(), required=False,
                                             help_text="Agents only: raise on behalf of this person.")


class ReplySerializer(serializers.Serializer):
    body = serializers.CharField()
    is_public = serializers.BooleanField(default=True)


class ResolveSerializer(serializers.Serializer):
    resolution = serializers.CharField()
    solved_by_article = serializers.SlugRelatedField(slug_field="code", queryset=KnowledgeArticle.objects.all(),
                                                     required=False, allow_null=True)


class StatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=TicketStatus.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class PrioritySerializer(serializers.Serializer):
    impact = serializers.ChoiceField(choices=Impact.choices)
    urgency = serializers.ChoiceField(choices=Urgency.choices)


class MergeSerializer(serializers.Serializer):
    into = serializers.PrimaryKeyRelatedField(queryset=Ticket.objects.all())


class AssignSerializer(serializers.Serializer):
    desk = serializers.SlugRelatedField(slug_field="code", queryset=selectors.active_desks(), required=False,
                                        allow_null=True, default=None)
    assignee = serializers.SlugRelatedField(slug_field="username", queryset=selectors.desk_agents(),
                                            required=False, allow_null=True, default=None)


class TimeSpentSerializer(serializers.Serializer):
    minutes = serializers.IntegerField(min_value=1, max_value=24 * 60)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class TagsSerializer(serializers.Serializer):
    tags = serializers.ListField(child=serializers.CharField(max_length=40), max_length=10)


class ApplyMacroSerializer(serializers.Serializer):
    macro = serializers.SlugRelatedField(slug_field="code", queryset=Macro.objects.filter(is_active=True))


class SurveySerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class EntrySerializer(serializers.Serializer):
    kind = serializers.CharField()
    author_label = serializers.CharField()
    is_from_requester = serializers.BooleanField()
    body = serializers.CharField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    created_at = serializers.DateTimeField()
    minutes_spent = serializers.IntegerField()


class AttachmentSerializer(serializers.ModelSerializer):
    attached_at = serializers.DateTimeField(source="entry.created_at", read_only=True, default=None)
    attached_by = serializers.CharField(source="entry.author_label", read_only=True, default="")
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = TicketAttachment
        fields = ["id", "file_name", "content_type", "size", "attached_at", "attached_by", "download_url"]

    def get_download_url(self, attachment) -> str:
        return reverse("ticket-attachment-download",
                       kwargs={"pk": attachment.ticket_id, "attachment_id": attachment.pk})


class UploadAttachmentsSerializer(serializers.Serializer):
    files = serializers.ListField(child=serializers.FileField(allow_empty_file=True, use_url=False),
                                  allow_empty=False, help_text="One or more files, sent as multipart/form-data.")


# --- Viewsets ---------------------------------------------------------------------------------
class PublishServiceSerializer(serializers.Serializer):
    code = serializers.SlugField(max_length=40)
    kind = serializers.ChoiceField(choices=["ict", "facilities"])
    names = serializers.DictField(child=serializers.CharField(max_length=200))
    descriptions = serializers.DictField(child=serializers.CharField(), required=False, default=dict)
    unit_price = serializers.DecimalField(max_digits=19, decimal_places=4)
    currency = serializers.CharField(max_length=3, default="USD")
    request_fields = serializers.ListField(child=serializers.DictField(), required=False, default=list)
    is_core_ict = serializers.BooleanField(default=False)


class ServiceViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The published catalogue with levels, targets and prices; service owners publish (POST)."""

    serializer_class = ServiceSerializer
    queryset = Service.objects.filter(is_published=True).prefetch_related(
        Prefetch("levels", queryset=ServiceLevel.objects.prefetch_related("targets")))
    lookup_field = "code"

    @idempotent
    def create(self, request, *args, **kwargs):
        data = PublishServiceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        service = services.publish_service(actor=request.user, **data.validated_data)
        return Response(ServiceSerializer(service).data, status=201)


def visible_ticket(request, pk) -> Ticket:
    """The ticket if the user may see it (not found otherwise); the service decides what they may do."""
    return selectors.accessible_ticket(actor=request.user, ticket_id=int(pk))


class TicketViewSet(viewsets.GenericViewSet, mixins.ListModelMixin):
    """Tickets: agents see those in their scope, everyone sees their own (``?mine=true``)."""

    serializer_class = TicketSerializer
    filterset_fields = ["status", "priority", "service__code", "desk__code", "kind"]

    def get_queryset(self):
        if self.request.query_params.get("mine") in {"1", "true"}:
            return selectors.my_tickets(actor=self.request.user)
        return selectors.tickets_for_agent(actor=self.request.user)

    def retrieve(self, request, pk=None):
        return Response(TicketSerializer(selectors.accessible_ticket(actor=request.user, ticket_id=int(pk))).data)

    @idempotent
    def create(self, request):
        data = RaiseTicketSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        requester = values.get("requester") or getattr(request.user, "person", None)
        if requester is None:
            raise AccessDenied(action=_("raise tickets without a staff record"))
        ticket = services.raise_ticket(actor=request.user, draft=services.TicketDraft(
            requester=requester, service=values["service"], subject=values["subject"],
            description=values["description"], kind=values["kind"], impact=values["impact"],
            urgency=values["urgency"], category=values["category"], answers=values["answers"],
            channel=Channel.API))
        return Response(TicketSerializer(ticket).data, status=201)

    @action(detail=True, methods=["get"])
    def entries(self, request, pk=None):
        ticket = selectors.accessible_ticket(actor=request.user, ticket_id=int(pk))
        as_agent = selectors.is_agent_for(actor=request.user, ticket=ticket)
        return Response(EntrySerializer(selectors.visible_entries(ticket=ticket, as_agent=as_agent), many=True).data)

    @extend_schema(responses=AttachmentSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def attachments(self, request, pk=None):
        """The ticket's files (without content); those on internal notes for agents only."""
        ticket = selectors.accessible_ticket(actor=request.user, ticket_id=int(pk))
        as_agent = selectors.is_agent_for(actor=request.user, ticket=ticket)
        return Response(AttachmentSerializer(selectors.visible_attachments(ticket=ticket, as_agent=as_agent),
                                             many=True).data)

    @extend_schema(request={"multipart/form-data": UploadAttachmentsSerializer},
                   responses={201: AttachmentSerializer(many=True)})
    @attachments.mapping.post
    @idempotent
    def upload_attachments(self, request, pk=None):
        """Attach files (multipart ``files``), all or none; whoever may see the ticket may add to it."""
        ticket = selectors.accessible_ticket(actor=request.user, ticket_id=int(pk))
        data = UploadAttachmentsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        stored = services.attach_files_to_ticket(actor=request.user, ticket_id=ticket.pk, uploads=[
            services.AttachmentUpload.from_uploaded_file(file) for file in data.validated_data["files"]])
        return Response(AttachmentSerializer(stored, many=True).data, status=201)

    @extend_schema(operation_id="servicedesk_tickets_attachments_download",
                   responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path=r"attachments/(?P<attachment_id>[0-9]+)",
            url_name="attachment-download", filter_backends=[])
    def download_attachment(self, request, pk=None, attachment_id=None):
        """The file itself, as a download with its stored content type."""
        return attachment_response(selectors.accessible_attachment(actor=request.user, ticket_id=int(pk),
                                                                   attachment_id=int(attachment_id)))

    @action(detail=True, methods=["post"])
    @idempotent
    def reply(self, request, pk=None):
        data = ReplySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ticket = selectors.accessible_ticket(actor=request.user, ticket_id=int(pk))
        if selectors.is_agent_for(actor=request.user, ticket=ticket):
            services.reply_to_ticket(actor=request.user, ticket_id=ticket.pk, **data.validated_data)
        else:
            # The ticket replied on, reopened, or the follow-up raised when the reply came too late.
            ticket = services.add_requester_reply(actor=request.user, ticket_id=ticket.pk, channel=Channel.API,
                                                  body=data.validated_data["body"]).ticket
        ticket.refresh_from_db()
        return Response(TicketSerializer(ticket).data)

    @action(detail=True, methods=["post"])
    @idempotent
    def resolve(self, request, pk=None):
        data = ResolveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ticket = services.resolve_ticket(actor=request.user, ticket_id=visible_ticket(request, pk).pk,
                                         **data.validated_data)
        return Response(TicketSerializer(ticket).data)

    @action(detail=True, methods=["post"])
    @idempotent
    def status(self, request, pk=None):
        data = StatusSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ticket = services.change_ticket_status(actor=request.user, ticket_id=visible_ticket(request, pk).pk,
                                               **data.validated_data)
        return Response(TicketSerializer(ticket).data)

    @action(detail=True, methods=["post"])
    @idempotent
    def priority(self, request, pk=None):
        data = PrioritySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ticket = services.change_ticket_priority(actor=request.user, ticket_id=visible_ticket(request, pk).pk,
                                                 **data.validated_data)
        return Response(TicketSerializer(ticket).data)

    @action(detail=True, methods=["post"])
    @idempotent
    def approve(self, request, pk=None):
        """Approve (``{"approve": true}``) or reject a service request pending approval."""
        ticket = selectors.approvable_ticket(actor=request.user, ticket_id=int(pk))
        ticket = services.approve_service_request(actor=request.user, ticket_id=ticket.pk,
                                                  approve=request.data.get("approve", True) not in {False, "false"})
        return Response(TicketSerializer(ticket).data)

    @action(detail=True, methods=["post"])
    @idempotent
    def merge(self, request, pk=None):
        data = MergeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ticket = services.merge_tickets(actor=request.user, ticket_id=visible_ticket(request, pk).pk,
                                        into_id=visible_ticket(request, data.validated_data["into"].pk).pk)
        return Response(TicketSerializer(ticket).data)

    @extend_schema(request=AssignSerializer, responses=TicketSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def assign(self, request, pk=None):
        """Assign to a desk (``desk`` code) and an agent (``assignee`` user name; null: the desk's queue)."""
        data = AssignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ticket = services.assign_ticket(actor=request.user, ticket_id=visible_ticket(request, pk).pk,
                                        **data.validated_data)
        return Response(TicketSerializer(ticket).data)

    @extend_schema(request=TimeSpentSerializer, responses=EntrySerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def time(self, request, pk=None):
        """Record minutes of work on the ticket (``{"minutes", "note"}``)."""
        data = TimeSpentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.log_time_spent(actor=request.user, ticket_id=visible_ticket(request, pk).pk,
                                        **data.validated_data)
        return Response(EntrySerializer(entry).data, status=201)

    @extend_schema(request=TagsSerializer, responses=TagsSerializer)
    @action(detail=True, methods=["put"])
    @idempotent
    def tags(self, request, pk=None):
        """Replace the ticket's tags (``{"tags": [...]}``)."""
        data = TagsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        tags = services.tag_ticket(actor=request.user, ticket_id=visible_ticket(request, pk).pk,
                                   tags=data.validated_data["tags"])
        return Response({"tags": tags})

    @extend_schema(request=ApplyMacroSerializer, responses=TicketSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def macro(self, request, pk=None):
        """Answer the requester with a macro (``{"macro": code}``) in the ticket's language."""
        data = ApplyMacroSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ticket = visible_ticket(request, pk)
        services.apply_macro(actor=request.user, ticket_id=ticket.pk, macro=data.validated_data["macro"])
        ticket.refresh_from_db()
        return Response(TicketSerializer(ticket).data)

    @extend_schema(request=None, responses=TicketSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def take(self, request, pk=None):
        """The agent takes the ticket for themself."""
        ticket = services.take_ticket(actor=request.user, ticket_id=visible_ticket(request, pk).pk)
        return Response(TicketSerializer(ticket).data)

    @action(detail=True, methods=["post"])
    @idempotent
    def survey(self, request, pk=None):
        data = SurveySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ticket = selectors.accessible_ticket(actor=request.user, ticket_id=int(pk))
        response = services.answer_survey(actor=request.user, ticket_id=ticket.pk, **data.validated_data)
        return Response({"ticket": ticket.reference, "rating": response.rating}, status=201)


class KnowledgeViewSet(viewsets.ViewSet):
    """Knowledge search in the user's language: ``?q=words&language=es``."""

    @extend_schema(
        parameters=[OpenApiParameter("q", str), OpenApiParameter("language", str)],
        responses={200: inline_serializer("KnowledgeHit", {
            "article": serializers.CharField(), "language": serializers.CharField(),
            "version": serializers.IntegerField(), "title": serializers.CharField(),
            "body": serializers.CharField()}, many=True)})
    def list(self, request):
        language = request.query_params.get("language") or request.LANGUAGE_CODE
        versions = selectors.search_knowledge(query=request.query_params.get("q", ""), language=language)
        return Response([{"article": v.article.code, "language": v.language, "version": v.version,
                          "title": v.title, "body": v.body} for v in versions])


class ConfigurationItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ConfigurationItem
        fields = ["id", "code", "name", "ci_type", "attributes", "owner", "location"]


class ConfigurationItemViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ConfigurationItemSerializer
    queryset = ConfigurationItem.objects.all()
    lookup_field = "code"

    @action(detail=True, methods=["get"])
    def impact(self, request, code=None):
        item = self.get_object()
        return Response(ConfigurationItemSerializer(selectors.configuration_item_impact(item=item), many=True).data)


class ChangeSerializer(serializers.ModelSerializer):
    configuration_items = serializers.SlugRelatedField(slug_field="code", many=True,
                                                       queryset=ConfigurationItem.objects.all(), required=False)

    class Meta:
        model = ChangeRequest
        fields = ["id", "kind", "title", "risk", "status", "approved_by", "scheduled_start_at", "scheduled_end_at",
                  "implemented_at", "implementation_record", "configuration_items"]
        read_only_fields = ["status", "approved_by", "implemented_at", "implementation_record"]


class ChangeViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ChangeSerializer
    queryset = ChangeRequest.objects.prefetch_related("configuration_items").order_by("-pk")

    @idempotent
    def create(self, request, *args, **kwargs):
        data = ChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        change = services.submit_change(actor=request.user, **data.validated_data)
        return Response(ChangeSerializer(change).data, status=201)

    @action(detail=True, methods=["post"])
    @idempotent
    def approve(self, request, pk=None):
        change = services.decide_change(actor=request.user, change_id=int(pk),
                                        approve=request.data.get("approve", True) not in {False, "false"})
        return Response(ChangeSerializer(change).data)

    @action(detail=True, methods=["post"])
    @idempotent
    def implement(self, request, pk=None):
        change = services.implement_change(actor=request.user, change_id=int(pk),
                                           record=str(request.data.get("record", "")))
        return Response(ChangeSerializer(change).data)


class ProblemSerializer(serializers.ModelSerializer):
    incidents = serializers.SlugRelatedField(slug_field="reference", many=True, read_only=True)
    raised_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Problem
        fields = ["id", "title", "root_cause", "workaround", "is_known_error", "incidents", "raised_by", "raised_at"]
        read_only_fields = fields


class RecordProblemSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)


class ProblemDiagnosisSerializer(serializers.Serializer):
    root_cause = serializers.CharField(allow_blank=True)
    workaround = serializers.CharField(allow_blank=True)


class LinkIncidentsSerializer(serializers.Serializer):
    incidents = serializers.ListField(child=serializers.CharField(max_length=40), allow_empty=False,
                                      help_text="Ticket references, e.g. SD-0000042.")


class ProblemViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Problems for agents, as on the problem pages: organisation-wide, since one cause behind
    incidents at several duty stations is what problem management looks for, so not scoped."""

    serializer_class = ProblemSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI schema is built without a user
            return Problem.objects.none()
        if not has_permission(actor=self.request.user, permission=selectors.VIEW_TICKET):
            raise AccessDenied(action=_("work on problems"))
        return selectors.problems()

    @extend_schema(request=RecordProblemSerializer)
    @idempotent
    def create(self, request, *args, **kwargs):
        data = RecordProblemSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        problem = services.record_problem(actor=request.user, title=data.validated_data["title"])
        return Response(ProblemSerializer(problem).data, status=201)

    @extend_schema(request=ProblemDiagnosisSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def diagnosis(self, request, pk=None):
        """Record root cause and workaround (``services.record_problem_diagnosis``); both make a known error."""
        problem = self.get_object()
        data = ProblemDiagnosisSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        problem = services.record_problem_diagnosis(actor=request.user, problem_id=problem.pk, **data.validated_data)
        return Response(ProblemSerializer(problem).data)

    @extend_schema(request=LinkIncidentsSerializer)
    @action(detail=True, methods=["post"])
    @idempotent
    def incidents(self, request, pk=None):
        """Link incidents by reference (``services.link_incidents_to_problem``); service requests are refused."""
        problem = self.get_object()
        data = LinkIncidentsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        references = data.validated_data["incidents"]
        found = {reference: selectors.agent_ticket_by_reference(actor=request.user, reference=reference)
                 for reference in references}
        unknown = [reference for reference, ticket in found.items() if ticket is None]
        if unknown:
            raise InvalidInput(errors={"incidents": [_("No ticket with the reference %(reference)s.") % {
                "reference": reference} for reference in unknown]})
        problem = services.link_incidents_to_problem(actor=request.user, problem_id=problem.pk,
                                                     incidents=list(found.values()))
        return Response(ProblemSerializer(problem).data)


class PostChargebackSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    month = serializers.IntegerField(min_value=1, max_value=12)
    fund = serializers.SlugRelatedField(slug_field="code", queryset=Fund.objects.all())
    providing_unit = serializers.SlugRelatedField(slug_field="code", queryset=OrgUnit.objects.filter(is_active=True))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = accessible_funds(actor=self.context["request"].user)


class ReverseChargebackSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    month = serializers.IntegerField(min_value=1, max_value=12)
    reason = serializers.CharField(max_length=200)
    reversal_on = serializers.DateField(required=False)


class ChargebackPostingSerializer(serializers.ModelSerializer):
    fund = serializers.SlugRelatedField(slug_field="code", read_only=True)
    providing_unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    journal_entry = serializers.SlugRelatedField(slug_field="number", read_only=True)
    reversal_entry = serializers.SlugRelatedField(slug_field="number", read_only=True)

    class Meta:
        model = ChargebackPosting
        fields = ["year", "month", "fund", "providing_unit", "journal_entry", "posted_at", "reversal_entry",
                  "reversed_at"]


class ReportPeriodSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
    month = serializers.IntegerField(min_value=1, max_value=12, required=False)


REPORT_ROWS = {"type": "array", "items": {"type": "object", "additionalProperties": True}}
YEAR = OpenApiParameter("year", int, description="Calendar year (default: this year).")


class ReportViewSet(viewsets.ViewSet):
    """SLA compliance (``sla``), satisfaction and monthly chargeback, over the tickets in the user's scope."""

    @extend_schema(responses={200: one_object(inline_serializer("ReportList", {
        "reports": serializers.ListField(child=serializers.CharField())}))})
    def list(self, request):
        return Response({"reports": ["sla", "satisfaction", "chargeback", "cost"]})

    def period(self, request) -> dict:
        period = ReportPeriodSerializer(data=request.query_params)
        period.is_valid(raise_exception=True)
        today = timezone.localdate()
        return {"year": period.validated_data.get("year", today.year),
                "month": period.validated_data.get("month", today.month)}

    def year(self, request) -> int:
        return self.period(request)["year"]

    @extend_schema(parameters=[YEAR, OpenApiParameter("group_by", str, enum=[*selectors.GROUPINGS])],
                   responses={200: REPORT_ROWS})
    @action(detail=False, methods=["get"])
    def sla(self, request):
        group_by = request.query_params.get("group_by", "service")
        if group_by not in selectors.GROUPINGS:
            raise serializers.ValidationError({"group_by": [f"one of {', '.join(selectors.GROUPINGS)}"]})
        return Response(selectors.sla_compliance(tickets=selectors.tickets_for_agent(actor=request.user),
                                                 year=self.year(request), group_by=group_by))

    @extend_schema(parameters=[YEAR], responses={200: {
        "type": "object", "properties": {"tickets": REPORT_ROWS, "annual_survey": REPORT_ROWS}}})
    @action(detail=False, methods=["get"])
    def satisfaction(self, request):
        year = self.year(request)
        return Response({
            "tickets": selectors.satisfaction_by_service(tickets=selectors.tickets_for_agent(actor=request.user),
                                                         year=year),
            "annual_survey": [{"service": r.service.code, "year": r.year, "satisfied_percent": r.satisfied_percent,
                               "target_percent": r.target_percent} for r in selectors.annual_survey(year=year)],
        })

    @extend_schema(parameters=[YEAR, OpenApiParameter("month", int, description="1–12 (default: this month).")],
                   responses={200: REPORT_ROWS})
    @action(detail=False, methods=["get"])
    def chargeback(self, request):
        return Response(selectors.chargeback_statements(
            tickets=selectors.tickets_for_agent(actor=request.user), **self.period(request)))

    @action(detail=False, methods=["post"], url_path="chargeback/post")
    @idempotent
    def post_chargeback(self, request):
        """Post a month's chargeback statements to the ledger (``services.post_monthly_chargeback``)."""
        data = PostChargebackSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        posting = services.post_monthly_chargeback(actor=request.user, **data.validated_data)
        return Response(ChargebackPostingSerializer(posting).data, status=201)

    @extend_schema(request=ReverseChargebackSerializer, responses={200: ChargebackPostingSerializer})
    @action(detail=False, methods=["post"], url_path="chargeback/reverse")
    @idempotent
    def reverse_chargeback(self, request):
        """Reverse a month's posted chargeback so that it can be posted again (``services.reverse_monthly_chargeback``)."""
        data = ReverseChargebackSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        posting = services.reverse_monthly_chargeback(actor=request.user, **data.validated_data)
        return Response(ChargebackPostingSerializer(posting).data)

    @extend_schema(parameters=[YEAR], responses={200: REPORT_ROWS})
    @action(detail=False, methods=["get"])
    def cost(self, request):
        return Response(selectors.cost_per_ticket_by_service(
            tickets=selectors.tickets_for_agent(actor=request.user), year=self.year(request)))


class WebhookSerializer(serializers.ModelSerializer):
    events = serializers.ListField(child=serializers.ChoiceField(choices=TICKET_EVENTS), allow_empty=False)

    class Meta:
        model = WebhookSubscription
        fields = ["id", "url", "events", "secret", "is_active"]
        extra_kwargs = {"secret": {"write_only": True}}


class WebhookViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Webhooks for ticket events (ticket.raised, ticket.status_changed, ticket.resolved or "*")."""

    serializer_class = WebhookSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user to check
            return WebhookSubscription.objects.none()
        return selectors.webhook_subscriptions(actor=self.request.user)

    @idempotent
    def create(self, request, *args, **kwargs):
        data = WebhookSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        hook = services.subscribe_webhook(actor=request.user, **data.validated_data)
        return Response(WebhookSerializer(hook).data, status=201)


router.register("services", ServiceViewSet, basename="service")
router.register("tickets", TicketViewSet, basename="ticket")
router.register("knowledge", KnowledgeViewSet, basename="knowledge")
router.register("configuration-items", ConfigurationItemViewSet, basename="configuration-item")
router.register("changes", ChangeViewSet, basename="change")
router.register("problems", ProblemViewSet, basename="problem")
router.register("reports", ReportViewSet, basename="report")
router.register("webhooks", WebhookViewSet, basename="webhook")
