"""REST API of the content app: viewsets registered on ``router``, mounted under /api/v1/content/.

Thin: parse input, call one service or selector, serialise. Uploads are multipart
(``file`` plus the metadata fields); downloads return the stored bytes.
"""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from secretariat.content import selectors, services
from secretariat.content.models import (
    DispositionRun,
    Document,
    DocumentType,
    DocumentVersion,
    LegalHold,
    Library,
    OfficialDocument,
    RecordClass,
    Workspace,
)
from secretariat.content.views import blob_response
from secretariat.core.api_base import idempotent
from secretariat.core.exceptions import InvalidInput
from secretariat.core.models import OrgUnit

router = DefaultRouter()
UPLOAD_PARSERS = [MultiPartParser, FormParser, JSONParser]


def valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# --- Serializers ----------------------------------------------------------------------------

class LibrarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Library
        fields = ["id", "code", "name", "org_unit", "allowed_extensions", "max_file_bytes", "default_classification"]


class VersionSerializer(serializers.ModelSerializer):
    sha256 = serializers.CharField(source="file.sha256")
    size_bytes = serializers.IntegerField(source="file.size_bytes")
    media_type = serializers.CharField(source="file.media_type")
    created_by = serializers.CharField(source="created_by.username")

    fixity_ok = serializers.BooleanField(source="file.fixity_ok", allow_null=True, read_only=True)

    class Meta:
        model = DocumentVersion
        fields = ["id", "number", "file_name", "sha256", "size_bytes", "media_type", "comment", "metadata",
                  "ocr_status", "fixity_ok", "created_by", "created_at"]


class DocumentSerializer(serializers.ModelSerializer):
    document_type = serializers.SlugRelatedField(slug_field="code", read_only=True)
    org_unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    record_class = serializers.SlugRelatedField(slug_field="code", read_only=True)
    symbol = serializers.CharField(source="official_document.symbol", default=None, read_only=True, allow_null=True)
    checked_out_by = serializers.CharField(source="checked_out_by.username", default=None, read_only=True,
                                           allow_null=True)
    is_record = serializers.BooleanField(read_only=True)

    class Meta:
        model = Document
        fields = ["id", "title", "language", "classification", "document_type", "org_unit", "author",
                  "document_date", "subject_terms", "custom_fields", "library", "workspace", "symbol",
                  "checked_out_by", "is_record", "record_class", "retain_until", "published_at", "created_at"]


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField()
    count = serializers.IntegerField()


class SnippetSerializer(serializers.Serializer):
    """The matching passage of a hit: ``highlights`` are [start, end) offsets of the marked terms in ``text``."""

    text = serializers.CharField()
    highlights = serializers.ListField(child=serializers.ListField(child=serializers.IntegerField()))
    language = serializers.CharField()
    direction = serializers.ChoiceField(choices=["ltr", "rtl"])
    cut_before = serializers.BooleanField()
    cut_after = serializers.BooleanField()


class SnippetMixin(serializers.Serializer):
    """A hit's matching passage, from the ``snippets`` (by document id) in the serializer's context."""

    snippet = serializers.SerializerMethodField()

    @extend_schema_field(SnippetSerializer(allow_null=True))
    def get_snippet(self, document):
        found = self.context.get("snippets", {}).get(document.pk)
        return SnippetSerializer(found).data if found is not None else None


class SearchHitSerializer(SnippetMixin, DocumentSerializer):
    class Meta(DocumentSerializer.Meta):
        fields = DocumentSerializer.Meta.fields + ["snippet"]


class SearchResultsSerializer(serializers.Serializer):
    """What a search answers: one page of hits (with their matching passage), the (possibly
    estimated) total, and facets."""

    count = serializers.IntegerField()
    count_is_estimate = serializers.BooleanField()
    results = SearchHitSerializer(many=True)
    facets = serializers.DictField(child=FacetValueSerializer(many=True))


class DocumentDetailSerializer(DocumentSerializer):
    versions = VersionSerializer(many=True, read_only=True)

    class Meta(DocumentSerializer.Meta):
        fields = DocumentSerializer.Meta.fields + ["versions"]


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    library = serializers.PrimaryKeyRelatedField(queryset=Library.objects.all(), required=False, allow_null=True)
    workspace = serializers.IntegerField(required=False, allow_null=True)
    title = serializers.CharField(max_length=500)
    language = serializers.CharField(max_length=10)
    document_type = serializers.SlugRelatedField(slug_field="code", queryset=DocumentType.objects.all())
    classification = serializers.CharField(required=False, allow_blank=True)
    subject_terms = serializers.ListField(child=serializers.CharField(), required=False)
    custom_fields = serializers.JSONField(required=False)
    author = serializers.CharField(required=False, allow_blank=True)
    document_date = serializers.DateField(required=False, allow_null=True)
    comment = serializers.CharField(required=False, allow_blank=True)


class CheckInSerializer(serializers.Serializer):
    file = serializers.FileField()
    comment = serializers.CharField(required=False, allow_blank=True)
    title = serializers.CharField(required=False, allow_blank=True)


class RestoreSerializer(serializers.Serializer):
    file = serializers.FileField()


class DeclareSerializer(serializers.Serializer):
    record_class = serializers.SlugRelatedField(slug_field="code", queryset=RecordClass.objects.all())
    closed_on = serializers.DateField(required=False, allow_null=True)


class AttachSerializer(serializers.Serializer):
    target_type = serializers.CharField(help_text=_("app_label.model, e.g. finance.journalentry"))
    target_id = serializers.CharField()


class OfficialSerializer(serializers.ModelSerializer):
    organ = serializers.CharField(source="body", read_only=True, help_text=_("Issuing organ: the symbol's first part."))
    languages = serializers.SerializerMethodField()

    class Meta:
        model = OfficialDocument
        fields = ["id", "symbol", "organ", "session", "document_kind", "number", "title", "status",
                  "required_languages", "issued_on", "release_at", "languages"]

    def get_languages(self, official) -> dict:
        return {document.language: {"document": document.pk, "title": document.title, "is_final": document.is_final,
                                    "published_at": document.published_at}
                for document in selectors.language_versions_visible_to(actor=self.context["request"].user,
                                                                       official=official)}


class ScheduleReleaseSerializer(serializers.Serializer):
    release_at = serializers.DateTimeField(help_text=_("ISO 8601 with its offset, e.g. 2027-01-15T15:00:00+01:00."))


class RegisterOfficialSerializer(serializers.Serializer):
    symbol = serializers.CharField(max_length=100)
    title = serializers.CharField(max_length=500)
    org_unit = serializers.IntegerField()
    required_languages = serializers.ListField(child=serializers.CharField(), required=False)


class LanguageVersionSerializer(serializers.Serializer):
    language = serializers.CharField()
    title = serializers.CharField(max_length=500)
    file = serializers.FileField()
    document_type = serializers.SlugRelatedField(slug_field="code", queryset=DocumentType.objects.all())


class PublishedVersionSerializer(serializers.ModelSerializer):
    symbol = serializers.CharField(source="official_document.symbol")
    issued_on = serializers.DateField(source="official_document.issued_on")

    class Meta:
        model = Document
        fields = ["id", "symbol", "language", "title", "issued_on", "published_at"]


class PublishedHitSerializer(SnippetMixin, PublishedVersionSerializer):
    class Meta(PublishedVersionSerializer.Meta):
        fields = PublishedVersionSerializer.Meta.fields + ["snippet"]


class RecordClassSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", queryset=RecordClass.objects.all(), required=False,
                                          allow_null=True)

    class Meta:
        model = RecordClass
        fields = ["id", "code", "title", "title_translations", "parent", "level", "retention_years",
                  "retention_trigger", "disposition_action"]


class LegalHoldSerializer(serializers.ModelSerializer):
    document_ids = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
                                         write_only=True)
    documents = serializers.SerializerMethodField()

    class Meta:
        model = LegalHold
        fields = ["id", "name", "reason", "placed_at", "released_at", "document_ids", "documents"]
        read_only_fields = ["placed_at", "released_at"]

    def get_documents(self, hold) -> list[int]:
        return [item.document_id for item in hold.items.all()]


class DispositionRunSerializer(serializers.ModelSerializer):
    items = serializers.SerializerMethodField()

    class Meta:
        model = DispositionRun
        fields = ["id", "due_on", "reason", "status", "proposed_at", "approved_at", "executed_at", "items"]
        read_only_fields = ["status", "proposed_at", "approved_at", "executed_at"]

    def get_items(self, run) -> list[dict]:
        return [{"document": item.document_id, "title": item.document_title, "action": item.action,
                 "outcome": item.outcome, "certificate": item.certificate_id} for item in run.items.all()]


class WorkspaceSerializer(serializers.ModelSerializer):
    members = serializers.SerializerMethodField()

    class Meta:
        model = Workspace
        fields = ["id", "name", "template", "purpose", "org_unit", "created_at", "members"]
        read_only_fields = ["created_at"]

    def get_members(self, workspace) -> list[dict]:
        return [{"username": membership.user.username, "role": membership.role}
                for membership in workspace.memberships.select_related("user")]


# --- Viewsets -------------------------------------------------------------------------------

class LibraryViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Library.objects.all()
    serializer_class = LibrarySerializer


class DocumentViewSet(viewsets.ReadOnlyModelViewSet):
    """Documents the user may open; upload, check out/in, declare, attach, search."""

    parser_classes = UPLOAD_PARSERS

    def get_queryset(self):
        return selectors.visible_documents(actor=self.request.user).select_related(
            "document_type", "org_unit", "record_class", "official_document", "checked_out_by")

    def get_serializer_class(self):
        return DocumentDetailSerializer if self.action == "retrieve" else DocumentSerializer

    @idempotent
    def create(self, request):
        data = valid(UploadSerializer, request.data)
        upload = data.pop("file")
        workspace_id = data.pop("workspace", None)
        workspace = selectors.accessible_workspace(actor=request.user, workspace_id=workspace_id) if workspace_id \
            else None
        document = services.upload_document(
            actor=request.user, file_name=upload.name, data=b"".join(upload.chunks()), workspace=workspace,
            classification=data.pop("classification", None) or None, **data)
        return Response(DocumentDetailSerializer(document).data, status=201)

    def acted(self, document_id: int, status: int = 200) -> Response:
        document = selectors.accessible_document(actor=self.request.user, document_id=document_id)
        return Response(DocumentDetailSerializer(document).data, status=status)

    @action(detail=True, methods=["post"], url_path="check-out")
    @idempotent
    def check_out(self, request, pk=None):
        self.get_object()
        services.check_out_document(actor=request.user, document_id=int(pk))
        return self.acted(int(pk))

    @action(detail=True, methods=["post"], url_path="cancel-check-out")
    @idempotent
    def cancel_check_out(self, request, pk=None):
        self.get_object()
        services.cancel_check_out(actor=request.user, document_id=int(pk))
        return self.acted(int(pk))

    @action(detail=True, methods=["post"], url_path="check-in")
    @idempotent
    def check_in(self, request, pk=None):
        self.get_object()
        data = valid(CheckInSerializer, request.data)
        services.check_in_document(actor=request.user, document_id=int(pk), file_name=data["file"].name,
                                   data=b"".join(data["file"].chunks()), comment=data.get("comment", ""),
                                   title=data.get("title") or None)
        return self.acted(int(pk), status=201)

    @action(detail=True, methods=["post"])
    @idempotent
    def declare(self, request, pk=None):
        self.get_object()
        data = valid(DeclareSerializer, request.data)
        services.declare_record(actor=request.user, document_id=int(pk), **data)
        return self.acted(int(pk))

    @action(detail=True, methods=["get"])
    def compare(self, request, pk=None):
        document = self.get_object()
        try:
            first = document.versions.get(number=int(request.query_params.get("from", "")))
            second = document.versions.get(number=int(request.query_params.get("to", "")))
        except (ValueError, DocumentVersion.DoesNotExist) as error:
            raise InvalidInput(errors={"from": [str(_("Give two version numbers as from= and to=."))]}) from error
        return Response([{"field": field, "from": before, "to": after}
                         for field, before, after in selectors.compare_versions(first=first, second=second)])

    @action(detail=True, methods=["post"])
    @idempotent
    def attach(self, request, pk=None):
        self.get_object()
        data = valid(AttachSerializer, request.data)
        try:
            model = apps.get_model(data["target_type"])
            target = model._default_manager.get(pk=data["target_id"])
        except Exception as error:  # unknown model, malformed or missing id: all "no such record"
            raise InvalidInput(errors={"target_type": [str(_("No such business record."))]}) from error
        link = services.attach_document(actor=request.user, document_id=int(pk), target=target)
        return Response({"link": link.pk, "document": link.document_id, "target_type": data["target_type"],
                         "target_id": link.target_id}, status=201)

    @action(detail=False, methods=["get"], url_path="attached-to/(?P<target_type>[a-z_]+\\.[a-z_]+)/(?P<target_id>[^/]+)")
    def attached_to(self, request, target_type=None, target_id=None):
        try:
            target = apps.get_model(target_type)._default_manager.get(pk=target_id)
        except Exception as error:
            raise Http404 from error
        documents = selectors.documents_attached_to(actor=request.user, target=target)
        return Response(DocumentSerializer(documents, many=True).data)

    @extend_schema(responses={200: SearchResultsSerializer})
    @action(detail=False, methods=["get"])
    def search(self, request):
        params = request.query_params
        try:
            limit = min(int(params.get("limit", 20)), 100)
            offset = max(int(params.get("offset", 0)), 0)
            year = int(params["year"]) if params.get("year") else None
        except ValueError as error:
            raise InvalidInput(errors={"limit": [str(_("Use whole numbers."))]}) from error
        results = selectors.search_documents(
            actor=request.user, query=params.get("q", ""), language=params.get("language") or None,
            document_type=params.get("document_type") or None, classification=params.get("classification") or None,
            year=year, limit=limit, offset=offset)
        return Response({"count": results.total, "count_is_estimate": results.total_is_estimate,
                         "results": SearchHitSerializer(results.hits, many=True,
                                                        context={"snippets": results.snippets}).data,
                         "facets": {name: [{"value": value, "count": count} for value, count in counts]
                                    for name, counts in results.facets.items()}})


class VersionViewSet(viewsets.GenericViewSet):
    queryset = DocumentVersion.objects.none()
    serializer_class = VersionSerializer

    def retrieve(self, request, pk=None):
        return Response(VersionSerializer(selectors.accessible_version(actor=request.user, version_id=int(pk))).data)

    @extend_schema(responses={(200, "*/*"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        version = selectors.accessible_version(actor=request.user, version_id=int(pk))
        services.require_intact_file(actor=request.user, version=version)
        return blob_response(version.file, version.file.media_type, version.file_name, inline=False)

    @action(detail=True, methods=["post"], parser_classes=UPLOAD_PARSERS)
    @idempotent
    def restore(self, request, pk=None):
        """Upload the original bytes of a file the fixity check flagged (records officers)."""
        selectors.accessible_version(actor=request.user, version_id=int(pk))
        upload = valid(RestoreSerializer, request.data)["file"]
        services.restore_stored_file(actor=request.user, version_id=int(pk), data=b"".join(upload.chunks()))
        return self.retrieve(request, pk=pk)

    @action(detail=True, methods=["post"], url_path="accept-fixity")
    @idempotent
    def accept_fixity(self, request, pk=None):
        """Accept the changed bytes of a flagged file, for a recorded reason (records officers)."""
        selectors.accessible_version(actor=request.user, version_id=int(pk))
        services.accept_changed_file(actor=request.user, version_id=int(pk), reason=str(request.data.get("reason", "")))
        return self.retrieve(request, pk=pk)


class OfficialDocumentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = OfficialSerializer
    parser_classes = UPLOAD_PARSERS

    def get_queryset(self):
        return selectors.official_documents_visible_to(actor=self.request.user)

    @idempotent
    def create(self, request):
        data = valid(RegisterOfficialSerializer, request.data)
        org_unit = OrgUnit.objects.filter(pk=data.pop("org_unit")).first()
        if org_unit is None:
            raise InvalidInput(errors={"org_unit": [str(_("No such org unit."))]})
        official = services.register_official_document(actor=request.user, org_unit=org_unit, **data)
        return Response(self.get_serializer(official).data, status=201)

    def reloaded(self, pk) -> Response:
        return Response(self.get_serializer(OfficialDocument.objects.get(pk=pk)).data)

    @action(detail=True, methods=["post"], url_path="language-versions")
    @idempotent
    def language_versions(self, request, pk=None):
        self.get_object()
        data = valid(LanguageVersionSerializer, request.data)
        upload = data.pop("file")
        services.add_language_version(actor=request.user, official_id=int(pk), file_name=upload.name,
                                      data=b"".join(upload.chunks()), **data)
        return self.reloaded(pk)

    @action(detail=True, methods=["post"])
    @idempotent
    def move(self, request, pk=None):
        self.get_object()
        services.move_official_document(actor=request.user, official_id=int(pk),
                                        to_status=str(request.data.get("to", "")),
                                        comment=str(request.data.get("comment", "")))
        return self.reloaded(pk)

    @action(detail=True, methods=["post"], url_path="final/(?P<language>[a-z-]+)")
    @idempotent
    def final(self, request, pk=None, language=None):
        official = self.get_object()
        document = official.language_versions.filter(language=language).first()
        if document is None:
            raise Http404
        services.mark_language_version_final(actor=request.user, document_id=document.pk)
        return self.reloaded(pk)

    @action(detail=True, methods=["post"])
    @idempotent
    def issue(self, request, pk=None):
        self.get_object()
        services.issue_official_document(actor=request.user, official_id=int(pk))
        return self.reloaded(pk)

    @extend_schema(request=ScheduleReleaseSerializer)
    @action(detail=True, methods=["post"], url_path="schedule-release")
    @idempotent
    def schedule_release(self, request, pk=None):
        self.get_object()
        data = valid(ScheduleReleaseSerializer, request.data)
        services.schedule_release(actor=request.user, official_id=int(pk), release_at=data["release_at"])
        return self.reloaded(pk)

    @action(detail=True, methods=["post"], url_path="cancel-release")
    @idempotent
    def cancel_release(self, request, pk=None):
        self.get_object()
        services.cancel_scheduled_release(actor=request.user, official_id=int(pk))
        return self.reloaded(pk)

    @action(detail=True, methods=["post"], url_path="release-subset")
    @idempotent
    def release_subset(self, request, pk=None):
        self.get_object()
        services.release_language_subset(actor=request.user, official_id=int(pk),
                                         languages=list(request.data.get("languages", [])),
                                         reason=str(request.data.get("reason", "")))
        return self.reloaded(pk)


class PublicOfficialViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Issued official documents, for everyone (no login)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    serializer_class = PublishedVersionSerializer
    filter_backends: list = []

    def get_queryset(self):
        params = self.request.query_params
        return selectors.public_official_documents(
            query=params.get("q", ""), symbol=params.get("symbol", ""), title=params.get("title", ""),
            organ=params.get("organ", ""), language=params.get("language", ""),
            issued_from=params.get("issued_from") or None, issued_to=params.get("issued_to") or None)

    @extend_schema(parameters=[
        OpenApiParameter("q", str, description="Words in the title, symbol or text (full text, best first)."),
        OpenApiParameter("symbol", str, description="The symbol begins with this."),
        OpenApiParameter("title", str, description="The title contains this."),
        OpenApiParameter("organ", str, description="Issuing organ: the symbol's first part (A, S, E…)."),
        OpenApiParameter("language", str), OpenApiParameter("issued_from", OpenApiTypes.DATE),
        OpenApiParameter("issued_to", OpenApiTypes.DATE)])
    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        query = request.query_params.get("q", "")
        snippets = selectors.hit_snippets(page, query) if query.strip() else {}
        return self.get_paginated_response(PublishedHitSerializer(page, many=True,
                                                                  context={"snippets": snippets}).data)


class RecordClassViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    queryset = RecordClass.objects.select_related("parent")
    serializer_class = RecordClassSerializer

    @idempotent
    def create(self, request):
        data = valid(RecordClassSerializer, request.data)
        record_class = services.create_record_class(actor=request.user, **data)
        return Response(RecordClassSerializer(record_class).data, status=201)


class LegalHoldViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = LegalHoldSerializer

    def get_queryset(self):
        return selectors.legal_holds_visible_to(actor=self.request.user).prefetch_related("items")

    @idempotent
    def create(self, request):
        data = valid(LegalHoldSerializer, request.data)
        hold = services.place_legal_hold(actor=request.user, **data)
        return Response(LegalHoldSerializer(hold).data, status=201)

    @action(detail=True, methods=["post"])
    @idempotent
    def release(self, request, pk=None):
        hold = services.release_legal_hold(actor=request.user, hold_id=int(pk), reason=str(request.data.get("reason", "")))
        return Response(LegalHoldSerializer(hold).data)


class DispositionRunViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DispositionRunSerializer

    def get_queryset(self):
        if not (selectors.may(self.request.user, "content.manage_records")
                or selectors.may(self.request.user, "content.approve_disposition")):
            return DispositionRun.objects.none()
        return selectors.disposition_runs()

    @idempotent
    def create(self, request):
        data = valid(DispositionRunSerializer, request.data)
        run = services.propose_disposition_run(actor=request.user, due_on=data["due_on"], reason=data["reason"])
        return Response(DispositionRunSerializer(run).data, status=201)

    @action(detail=True, methods=["post"])
    @idempotent
    def approve(self, request, pk=None):
        run = services.approve_disposition_run(actor=request.user, run_id=int(pk))
        return Response(DispositionRunSerializer(run).data)

    @action(detail=True, methods=["post"])
    @idempotent
    def execute(self, request, pk=None):
        run = services.execute_disposition_run(actor=request.user, run_id=int(pk))
        return Response(DispositionRunSerializer(run).data)


class WorkspaceViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = WorkspaceSerializer

    def get_queryset(self):
        return selectors.workspaces_of(actor=self.request.user)

    @idempotent
    def create(self, request):
        data = valid(WorkspaceSerializer, request.data)
        workspace = services.create_workspace(actor=request.user, name=data["name"], template=data["template"],
                                              purpose=data.get("purpose", ""),
                                              org_unit=OrgUnit.objects.get(pk=data["org_unit"].pk))
        return Response(WorkspaceSerializer(workspace).data, status=201)

    @action(detail=True, methods=["post"])
    @idempotent
    def members(self, request, pk=None):
        self.get_object()
        user = get_user_model().objects.filter(username=request.data.get("username", "")).first()
        if user is None:
            raise InvalidInput(errors={"username": [str(_("No user has this username."))]})
        services.add_workspace_member(actor=request.user, workspace_id=int(pk), user=user,
                                      role=str(request.data.get("role", "member")))
        return Response(WorkspaceSerializer(Workspace.objects.get(pk=pk)).data, status=201)

    @action(detail=True, methods=["post"])
    @idempotent
    def posts(self, request, pk=None):
        self.get_object()
        thread = request.data.get("thread")
        post = services.post_to_discussion(actor=request.user, workspace_id=int(pk),
                                           body=str(request.data.get("body", "")),
                                           thread_id=int(thread) if thread else None,
                                           title=str(request.data.get("title", "")),
                                           reply_to_id=request.data.get("reply_to") or None)
        return Response({"id": post.pk, "thread": post.thread_id, "reply_to": post.reply_to_id}, status=201)

    @action(detail=True, methods=["post"])
    @idempotent
    def polls(self, request, pk=None):
        self.get_object()
        poll = services.create_poll(actor=request.user, workspace_id=int(pk),
                                    question=str(request.data.get("question", "")),
                                    options=list(request.data.get("options", [])))
        return Response({"id": poll.pk, "question": poll.question, "options": poll.options}, status=201)


router.register("libraries", LibraryViewSet, basename="library")
router.register("documents", DocumentViewSet, basename="document")
router.register("versions", VersionViewSet, basename="version")
router.register("official-documents", OfficialDocumentViewSet, basename="official-document")
router.register("public/official-documents", PublicOfficialViewSet, basename="public-official-document")
router.register("record-classes", RecordClassViewSet, basename="record-class")
router.register("legal-holds", LegalHoldViewSet, basename="legal-hold")
router.register("disposition-runs", DispositionRunViewSet, basename="disposition-run")
router.register("workspaces", WorkspaceViewSet, basename="workspace")
