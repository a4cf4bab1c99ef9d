"""HTML pages of the knowledge pillar: thin, every decision is in a service or selector."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from secretariat.content import selectors, services, storage
from secretariat.content.facets import facet_links
from secretariat.content.forms import (
    CheckInForm,
    DeclareRecordForm,
    DispositionForm,
    LanguageVersionForm,
    LegalHoldForm,
    MemberForm,
    PollForm,
    PostForm,
    PublicSearchForm,
    RegisterOfficialForm,
    ReleaseSubsetForm,
    RestoreFileForm,
    ScheduleReleaseForm,
    SearchForm,
    UploadForm,
    WorkspaceForm,
    WorkspaceUploadForm,
    split_terms,
)
from secretariat.content.models import (
    Library,
    OcrStatus,
    OfficialStatus,
    Workspace,
    WorkspaceRole,
)
from secretariat.core.exceptions import DomainError, InvalidInput
from secretariat.core.refusals import apply_refusal, refused


def libraries_for_upload(user):
    return [library.pk for library in Library.objects.select_related("org_unit")
            if selectors.may(user, "content.add_document", library)]


def read_upload(upload) -> bytes:
    return b"".join(upload.chunks())


# --- Documents ------------------------------------------------------------------------------

@login_required
def document_list(request):
    libraries = Library.objects.filter(pk__in=libraries_for_upload(request.user))
    form = UploadForm(request.POST or None, request.FILES or None, libraries=libraries,
                      initial={"document_type": request.GET.get("document_type")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = services.upload_document(
                actor=request.user, library=data["library"], file_name=data["file"].name,
                data=read_upload(data["file"]), title=data["title"], language=data["language"],
                document_type=data["document_type"], classification=data["classification"] or None,
                subject_terms=split_terms(data["subject_terms"]), author=data["author"],
                document_date=data["document_date"], comment=data["comment"],
                custom_fields=form.custom_field_values())
        except DomainError as error:
            apply_refusal(request, form, error)
        else:
            messages.success(request, _("Document uploaded."))
            return redirect("content:document_detail", document.pk)
    documents = selectors.visible_documents(actor=request.user).select_related("document_type", "org_unit")
    page = Paginator(documents, 50).get_page(request.GET.get("page"))
    return render(request, "content/document_list.html", {
        "page": page, "form": form, "can_upload": libraries.exists()}, status=400 if form.errors else 200)


@login_required
def document_detail(request, pk):
    document = selectors.accessible_document(actor=request.user, document_id=pk)
    versions = list(document.versions.select_related("file", "created_by"))
    comparison = None
    if "compare" in request.GET:
        numbers = {version.number: version for version in versions}
        try:
            first, second = (numbers[int(part)] for part in request.GET.get("compare", "").split(",", 1))
            comparison = selectors.compare_versions(first=first, second=second)
        except (KeyError, ValueError):
            comparison = None
    return render(request, "content/document_detail.html", {
        "document": document, "versions": versions, "comparison": comparison,
        "reading": next((version for version in versions if version.ocr_status == OcrStatus.PENDING), None),
        "check_in_form": CheckInForm(), "declare_form": DeclareRecordForm(), "restore_form": RestoreFileForm(),
        "can_manage_records": selectors.may(request.user, "content.manage_records", document),
        "holds": selectors.active_holds_on(document.pk), "links": selectors.links_of(document=document),
        "approvals": [approval for version in versions for approval in version.approvals.all()],
    })


def redirect_with_refusal(request, error: DomainError, target: str, *args):
    """Back to ``target`` with the refusal shown; for invalid input, the fields' own messages."""
    field_messages = [str(message) for field in getattr(error, "errors", {}).values() for message in field]
    messages.error(request, " ".join(field_messages) or str(error))
    return redirect(target, *args)


@login_required
@require_POST
def check_out(request, pk):
    selectors.accessible_document(actor=request.user, document_id=pk)
    try:
        services.check_out_document(actor=request.user, document_id=pk)
    except DomainError as error:
        return redirect_with_refusal(request, error, "content:document_detail", pk)
    messages.success(request, _("Checked out to you. Check in a new version when you are done."))
    return redirect("content:document_detail", pk)


@login_required
@require_POST
def cancel_check_out(request, pk):
    selectors.accessible_document(actor=request.user, document_id=pk)
    try:
        services.cancel_check_out(actor=request.user, document_id=pk)
    except DomainError as error:
        return redirect_with_refusal(request, error, "content:document_detail", pk)
    messages.success(request, _("Check-out cancelled."))
    return redirect("content:document_detail", pk)


@login_required
@require_POST
def check_in(request, pk):
    document = selectors.accessible_document(actor=request.user, document_id=pk)
    form = CheckInForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            version = services.check_in_document(
                actor=request.user, document_id=pk, file_name=data["file"].name, data=read_upload(data["file"]),
                comment=data["comment"], title=data["title"] or None,
                subject_terms=split_terms(data["subject_terms"]) if data["subject_terms"] else None)
        except DomainError as error:
            apply_refusal(request, form, error)
        else:
            messages.success(request, _("Version %(number)s checked in.") % {"number": version.number})
            return redirect("content:document_detail", pk)
    return render(request, "content/document_detail.html", {
        "document": document, "versions": list(document.versions.select_related("file", "created_by")),
        "check_in_form": form, "declare_form": DeclareRecordForm(),
        "holds": selectors.active_holds_on(document.pk), "links": selectors.links_of(document=document),
    }, status=400)


@login_required
@require_POST
def declare_record(request, pk):
    selectors.accessible_document(actor=request.user, document_id=pk)
    form = DeclareRecordForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a record class."))
        return redirect("content:document_detail", pk)
    try:
        services.declare_record(actor=request.user, document_id=pk, record_class=form.cleaned_data["record_class"],
                                closed_on=form.cleaned_data["closed_on"])
    except DomainError as error:
        return redirect_with_refusal(request, error, "content:document_detail", pk)
    messages.success(request, _("Declared as a record."))
    return redirect("content:document_detail", pk)


def blob_response(stored, media_type: str, file_name: str, inline: bool) -> HttpResponse:
    try:
        data = storage.read_blob(stored.sha256)
    except FileNotFoundError as error:
        raise Http404 from error
    response = HttpResponse(data, content_type=media_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{file_name}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def version_download(request, pk):
    version = selectors.accessible_version(actor=request.user, version_id=pk)
    try:
        services.require_intact_file(actor=request.user, version=version)
    except DomainError as error:
        return refused(request, error)
    return blob_response(version.file, version.file.media_type, version.file_name, inline=False)


def version_preview(request, pk):
    version = selectors.accessible_version(actor=request.user, version_id=pk)
    if version.preview is None:
        raise Http404
    try:
        services.require_intact_file(actor=request.user, version=version, preview=True)
    except DomainError as error:
        return refused(request, error)
    return blob_response(version.preview, "image/png", "preview.png", inline=True)


@login_required
@require_POST
def restore_file(request, pk):
    """A records officer uploads the original bytes of a file the fixity check flagged."""
    version = selectors.accessible_version(actor=request.user, version_id=pk)
    form = RestoreFileForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the original file."))
        return redirect("content:document_detail", version.document_id)
    try:
        services.restore_stored_file(actor=request.user, version_id=pk, data=read_upload(form.cleaned_data["file"]))
    except DomainError as error:
        return redirect_with_refusal(request, error, "content:document_detail", version.document_id)
    messages.success(request, _("The original file is restored."))
    return redirect("content:document_detail", version.document_id)


@login_required
@require_POST
def accept_changed_file(request, pk):
    """A records officer accepts the changed bytes of a flagged file, for a recorded reason."""
    version = selectors.accessible_version(actor=request.user, version_id=pk)
    try:
        services.accept_changed_file(actor=request.user, version_id=pk, reason=request.POST.get("reason", ""))
    except DomainError as error:
        return redirect_with_refusal(request, error, "content:document_detail", version.document_id)
    messages.success(request, _("The changed file is accepted; it is served again."))
    return redirect("content:document_detail", version.document_id)


# --- Search ---------------------------------------------------------------------------------

@login_required
def search(request):
    form = SearchForm(request.GET or None)
    results = None
    if form.is_valid() and any(form.cleaned_data.values()):
        data = form.cleaned_data
        page_number = int(request.GET["page"]) if request.GET.get("page", "").isdigit() else 1
        results = selectors.search_documents(
            actor=request.user, query=data["q"], language=data["language"] or None,
            classification=data["classification"] or None, document_type=data["document_type"] or None,
            org_unit=selectors.org_unit_filter(data["org_unit"]), year=data["year"], limit=20,
            offset=(max(page_number, 1) - 1) * 20)
    return render(request, "content/search.html", {
        "form": form, "results": results, "query_string": request.GET.urlencode(),
        "hits": [(hit, results.snippets.get(hit.pk)) for hit in results.hits] if results is not None else [],
        "facets": facet_links(request.GET, results.facets) if results is not None else []})


# --- Official documents ---------------------------------------------------------------------

@login_required
def official_list(request):
    form = RegisterOfficialForm(request.POST or None)
    person = getattr(request.user, "person", None)
    unit = person.org_unit if person is not None else None
    if request.method == "POST" and form.is_valid():
        try:
            if unit is None:
                raise InvalidInput(errors={"symbol": [_("Only staff of an org unit can register documents.")]})
            official = services.register_official_document(actor=request.user, symbol=form.cleaned_data["symbol"],
                                                           title=form.cleaned_data["title"], org_unit=unit)
        except DomainError as error:
            apply_refusal(request, form, error)
        else:
            messages.success(request, _("Symbol registered."))
            return redirect("content:official_detail", official.pk)
    officials = selectors.official_documents_visible_to(actor=request.user).order_by("-created_at")
    return render(request, "content/official_list.html", {
        "page": Paginator(officials, 50).get_page(request.GET.get("page")), "form": form,
        "can_register": unit is not None and selectors.may(request.user, "content.add_officialdocument", unit),
    }, status=400 if form.errors else 200)


@login_required
def official_detail(request, pk):
    official = selectors.accessible_official_document(actor=request.user, official_id=pk)
    form = LanguageVersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_language_version(
                actor=request.user, official_id=pk, language=data["language"], title=data["title"],
                file_name=data["file"].name, data=read_upload(data["file"]))
        except DomainError as error:
            apply_refusal(request, form, error)
        else:
            messages.success(request, _("Language version added."))
            return redirect("content:official_detail", pk)
    versions = {document.language: document
                for document in selectors.language_versions_visible_to(actor=request.user, official=official)}
    return render(request, "content/official_detail.html", {
        "official": official, "form": form, "release_form": ReleaseSubsetForm(), "schedule_form": ScheduleReleaseForm(),
        "language_rows": [(code, name, versions.get(code), code in official.required_languages)
                      for code, name in LanguageVersionForm.base_fields["language"].choices],
        "can_change": selectors.may(request.user, "content.change_officialdocument", official),
        "can_release": selectors.may(request.user, "content.release_official_document", official),
        "statuses": OfficialStatus,
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def official_move(request, pk):
    selectors.accessible_official_document(actor=request.user, official_id=pk)
    try:
        services.move_official_document(actor=request.user, official_id=pk, to_status=request.POST.get("to", ""),
                                        comment=request.POST.get("comment", ""))
    except (DomainError, ValueError) as error:
        return redirect_with_refusal(request, error, "content:official_detail", pk)
    return redirect("content:official_detail", pk)


@login_required
@require_POST
def official_finalise(request, pk, document_pk):
    selectors.accessible_official_document(actor=request.user, official_id=pk)
    try:
        services.mark_language_version_final(actor=request.user, document_id=document_pk)
    except DomainError as error:
        return redirect_with_refusal(request, error, "content:official_detail", pk)
    return redirect("content:official_detail", pk)


@login_required
@require_POST
def official_issue(request, pk):
    selectors.accessible_official_document(actor=request.user, official_id=pk)
    try:
        official = services.issue_official_document(actor=request.user, official_id=pk)
    except DomainError as error:
        return redirect_with_refusal(request, error, "content:official_detail", pk)
    messages.success(request, _("%(symbol)s issued in all its languages at once.") % {"symbol": official.symbol})
    return redirect("content:official_detail", pk)


@login_required
@require_POST
def official_schedule_release(request, pk):
    selectors.accessible_official_document(actor=request.user, official_id=pk)
    form = ScheduleReleaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date and time of the release."))
        return redirect("content:official_detail", pk)
    try:
        official = services.schedule_release(actor=request.user, official_id=pk,
                                             release_at=form.cleaned_data["release_at"])
    except DomainError as error:
        return redirect_with_refusal(request, error, "content:official_detail", pk)
    messages.success(request, _("%(symbol)s will be released in all its languages at %(time)s.") % {
        "symbol": official.symbol, "time": formats.date_format(timezone.localtime(official.release_at),
                                                                "SHORT_DATETIME_FORMAT")})
    return redirect("content:official_detail", pk)


@login_required
@require_POST
def official_cancel_release(request, pk):
    selectors.accessible_official_document(actor=request.user, official_id=pk)
    try:
        services.cancel_scheduled_release(actor=request.user, official_id=pk)
    except DomainError as error:
        return redirect_with_refusal(request, error, "content:official_detail", pk)
    messages.success(request, _("The scheduled release is cancelled; the document is back in translation."))
    return redirect("content:official_detail", pk)


@login_required
@require_POST
def official_release_subset(request, pk):
    selectors.accessible_official_document(actor=request.user, official_id=pk)
    form = ReleaseSubsetForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the languages and give a reason."))
        return redirect("content:official_detail", pk)
    try:
        services.release_language_subset(actor=request.user, official_id=pk,
                                         languages=form.cleaned_data["languages"], reason=form.cleaned_data["reason"])
    except DomainError as error:
        return redirect_with_refusal(request, error, "content:official_detail", pk)
    messages.success(request, _("The chosen language versions are released."))
    return redirect("content:official_detail", pk)


def public_official_search(request):
    """Issued documents for everyone, without a login."""
    form = PublicSearchForm(request.GET or None)
    versions, rows = None, []
    if form.is_valid() and any(form.cleaned_data.values()):
        filters = dict(form.cleaned_data)
        query = filters.pop("q")
        versions = Paginator(selectors.public_official_documents(query=query, **filters), 50).get_page(
            request.GET.get("page"))
        snippets = selectors.hit_snippets(list(versions), query) if query else {}
        rows = [(document, snippets.get(document.pk)) for document in versions]
    return render(request, "content/public_search.html", {"form": form, "page": versions, "rows": rows})


# --- Records --------------------------------------------------------------------------------

@login_required
def records(request):
    if not selectors.may(request.user, "content.view_document"):
        raise Http404
    hold_form = LegalHoldForm(request.POST if request.POST.get("form") == "hold" else None)
    disposition_form = DispositionForm(request.POST if request.POST.get("form") == "disposition" else None)
    if request.method == "POST":
        try:
            if request.POST.get("form") == "hold" and hold_form.is_valid():
                services.place_legal_hold(actor=request.user, **hold_form.cleaned_data)
                messages.success(request, _("Legal hold placed."))
                return redirect("content:records")
            if request.POST.get("form") == "disposition" and disposition_form.is_valid():
                services.propose_disposition_run(actor=request.user, **disposition_form.cleaned_data)
                messages.success(request, _("Disposition run proposed for review."))
                return redirect("content:records")
        except DomainError as error:
            apply_refusal(request, hold_form if request.POST.get("form") == "hold" else disposition_form, error)
    return render(request, "content/records.html", {
        "scheme": selectors.classification_scheme(), "hold_form": hold_form, "disposition_form": disposition_form,
        "holds": selectors.legal_holds_visible_to(actor=request.user)[:50],
        "due": selectors.records_due_for_disposition(on=timezone.localdate())[:100],
        "runs": selectors.disposition_runs()[:20], "certificates": selectors.destruction_certificates()[:50],
    })


@login_required
@require_POST
def disposition_step(request, pk, step):
    actions = {"approve": services.approve_disposition_run, "execute": services.execute_disposition_run}
    if step not in actions:
        raise Http404
    try:
        actions[step](actor=request.user, run_id=pk)
    except DomainError as error:
        return redirect_with_refusal(request, error, "content:records")
    messages.success(request, _("Disposition run updated."))
    return redirect("content:records")


@login_required
@require_POST
def release_hold(request, pk):
    try:
        services.release_legal_hold(actor=request.user, hold_id=pk, reason=request.POST.get("reason", ""))
    except DomainError as error:
        return redirect_with_refusal(request, error, "content:records")
    messages.success(request, _("Legal hold released."))
    return redirect("content:records")


# --- Workspaces -----------------------------------------------------------------------------

def template_choices():
    return [(code, str(spec["label"])) for code, spec in services.WORKSPACE_TEMPLATES.items()]


@login_required
def workspace_list(request):
    form = WorkspaceForm(request.POST or None)
    form.fields["template"].choices = template_choices()
    person = getattr(request.user, "person", None)
    if request.method == "POST" and form.is_valid():
        try:
            if person is None or person.org_unit is None:
                raise InvalidInput(errors={"name": [_("Only staff of an org unit can create workspaces.")]})
            workspace = services.create_workspace(actor=request.user, org_unit=person.org_unit, **form.cleaned_data)
        except DomainError as error:
            apply_refusal(request, form, error)
        else:
            return redirect("content:workspace_detail", workspace.pk)
    return render(request, "content/workspace_list.html", {
        "workspaces": selectors.workspaces_of(actor=request.user), "form": form}, status=400 if form.errors else 200)


@login_required
def workspace_detail(request, pk):
    workspace = selectors.accessible_workspace(actor=request.user, workspace_id=pk)
    kind = request.POST.get("form")
    upload_form = WorkspaceUploadForm(request.POST if kind == "upload" else None,
                                      request.FILES if kind == "upload" else None,
                                      initial={"document_type": request.GET.get("document_type")})
    member_form = MemberForm(request.POST if kind == "member" else None)
    member_form.fields["role"].choices = WorkspaceRole.choices
    post_form = PostForm(request.POST if kind == "post" else None)
    poll_form = PollForm(request.POST if kind == "poll" else None)
    if request.method == "POST":
        try:
            done = workspace_action(request, workspace, kind, upload_form, member_form, post_form, poll_form)
        except DomainError as error:
            form = {"upload": upload_form, "member": member_form, "poll": poll_form}.get(kind, post_form)
            if form.is_bound:
                apply_refusal(request, form, error)
            else:
                messages.error(request, str(error))
            done = False
        if done:
            return redirect("content:workspace_detail", pk)
    documents = selectors.visible_documents(actor=request.user).filter(workspace=workspace)
    return render(request, "content/workspace_detail.html", {
        "workspace": workspace, "documents": documents, "upload_form": upload_form, "member_form": member_form,
        "post_form": post_form, "poll_form": poll_form,
        "membership": selectors.membership_of(actor=request.user, workspace=workspace),
        "threads": workspace.threads.prefetch_related("posts__author"),
        "polls": workspace.polls.prefetch_related("votes"),
        "members": workspace.memberships.select_related("user__person"),
    })


def workspace_action(request, workspace: Workspace, kind, upload_form, member_form, post_form, poll_form) -> bool:
    if kind == "upload" and upload_form.is_valid():
        data = upload_form.cleaned_data
        services.upload_document(
            actor=request.user, workspace=workspace, file_name=data["file"].name, data=read_upload(data["file"]),
            title=data["title"], language=data["language"], document_type=data["document_type"],
            classification=data["classification"] or None, subject_terms=split_terms(data["subject_terms"]),
            comment=data["comment"], custom_fields=upload_form.custom_field_values())
        return True
    if kind == "member" and member_form.is_valid():
        user = get_user_model().objects.filter(username=member_form.cleaned_data["username"]).first()
        if user is None:
            raise InvalidInput(errors={"username": [_("No user has this username.")]})
        services.add_workspace_member(actor=request.user, workspace_id=workspace.pk, user=user,
                                      role=member_form.cleaned_data["role"])
        return True
    if kind == "post" and post_form.is_valid():
        thread_id = request.POST.get("thread")
        services.post_to_discussion(actor=request.user, workspace_id=workspace.pk, body=post_form.cleaned_data["body"],
                                    thread_id=int(thread_id) if thread_id else None,
                                    title=request.POST.get("title", ""))
        return True
    if kind == "poll" and poll_form.is_valid():
        services.create_poll(actor=request.user, workspace_id=workspace.pk, question=poll_form.cleaned_data["question"],
                             options=split_terms(poll_form.cleaned_data["options"]))
        return True
    if kind == "vote":
        services.vote_in_poll(actor=request.user, poll_id=int(request.POST["poll"]), option=int(request.POST["option"]))
        return True
    if kind == "submit_draft":
        selectors.accessible_document(actor=request.user, document_id=int(request.POST["document"]))
        services.submit_draft_for_approval(actor=request.user, document_id=int(request.POST["document"]))
        return True
    if kind == "decide":
        services.decide_draft_approval(actor=request.user, approval_id=int(request.POST["approval"]),
                                       approve=request.POST.get("decision") == "approve",
                                       comment=request.POST.get("comment", ""))
        return True
    return False

