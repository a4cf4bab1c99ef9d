"""HTML forms of the service desk (parsing only; the rules live in services)."""

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from secretariat.servicedesk import selectors
from secretariat.servicedesk.models import (
    ChangeKind,
    Cover,
    Impact,
    LinkKind,
    Macro,
    Priority,
    ServiceKind,
    TicketKind,
    TicketStatus,
    Urgency,
)
from secretariat.servicedesk.services import MAX_ATTACHMENT_BYTES, AttachmentUpload


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; empty files pass, so the service's refusal is the only one."""

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        super().__init__(allow_empty_file=True, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        clean_one = super().clean
        return [clean_one(file, initial) for file in files]


class AttachmentsForm(forms.Form):
    """A form that can carry files; they come last, after the message they belong to."""

    attachments = MultipleFileField(label=_("Attachments"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = _("Each file can be up to %(size)s.") % {
            "size": filesizeformat(MAX_ATTACHMENT_BYTES)}
        self.put_attachments_last()

    def put_attachments_last(self) -> None:
        self.fields["attachments"] = self.fields.pop("attachments")

    def uploads(self) -> list[AttachmentUpload]:
        return [AttachmentUpload.from_uploaded_file(file) for file in self.cleaned_data["attachments"]]


class RaiseTicketForm(AttachmentsForm):
    service = forms.ModelChoiceField(label=_("Service"), queryset=None, empty_label=None)
    kind = forms.ChoiceField(label=_("Type"), choices=TicketKind.choices)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    impact = forms.TypedChoiceField(label=_("Impact"), choices=Impact.choices, coerce=int, initial=Impact.MINOR)
    urgency = forms.TypedChoiceField(label=_("Urgency"), choices=Urgency.choices, coerce=int, initial=Urgency.MEDIUM)

    def __init__(self, *args, services, request_fields=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
        self.fields["service"].label_from_instance = lambda service: service.localized_name
        for spec in request_fields:
            self.fields[f"answer_{spec['name']}"] = forms.CharField(label=spec.get("label", spec["name"]),
                                                                    required=bool(spec.get("required")))
        self.put_attachments_last()

    def answers(self) -> dict:
        return {name.removeprefix("answer_"): value for name, value in self.cleaned_data.items()
                if name.startswith("answer_")}


class ReplyForm(AttachmentsForm):
    body = forms.CharField(label=_("Reply"), widget=forms.Textarea(attrs={"rows": 4}))
    is_public = forms.BooleanField(label=_("Visible to the requester"), required=False, initial=True)


class RequesterReplyForm(AttachmentsForm):
    body = forms.CharField(label=_("Your message"), widget=forms.Textarea(attrs={"rows": 4}))


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=_("Resolution"), widget=forms.Textarea(attrs={"rows": 3}))
    solved_by_article = forms.ModelChoiceField(label=_("Solved by article"), queryset=None, required=False)

    def __init__(self, *args, articles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["solved_by_article"].queryset = articles


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=[
        (TicketStatus.IN_PROGRESS, TicketStatus.IN_PROGRESS.label),
        (TicketStatus.AWAITING_USER, TicketStatus.AWAITING_USER.label),
        (TicketStatus.AWAITING_VENDOR, TicketStatus.AWAITING_VENDOR.label),
        (TicketStatus.CLOSED, TicketStatus.CLOSED.label),
    ])
    note = forms.CharField(label=_("Note"), required=False)


class AssignForm(forms.Form):
    desk = forms.ModelChoiceField(label=_("Desk"), queryset=selectors.active_desks(), required=False,
                                  to_field_name="code", empty_label=_("(keep the desk)"))
    assignee = forms.ModelChoiceField(label=_("Agent"), queryset=selectors.desk_agents(), required=False,
                                      to_field_name="username", empty_label=_("(the desk's queue)"))


class MacroForm(forms.Form):
    macro = forms.ModelChoiceField(label=_("Macro"), queryset=Macro.objects.filter(is_active=True),
                                   to_field_name="code")


class TimeSpentForm(forms.Form):
    minutes = forms.IntegerField(label=_("Minutes spent"), min_value=1, max_value=24 * 60)
    note = forms.CharField(label=_("What was done"), required=False)


class TagsForm(forms.Form):
    tags = forms.CharField(label=_("Tags"), required=False, help_text=_("Words separated by commas."))

    def clean_tags(self) -> list[str]:
        return [tag.strip() for tag in self.cleaned_data["tags"].split(",") if tag.strip()]


class MergeForm(forms.Form):
    into = forms.CharField(label=_("Merge into ticket"), max_length=40, help_text=_("Its reference, e.g. SD-0000042."))


class LinkTicketForm(forms.Form):
    related = forms.CharField(label=_("Related ticket"), max_length=40, help_text=_("Its reference, e.g. SD-0000042."))
    kind = forms.ChoiceField(label=_("Link"), choices=[(kind.value, kind.label) for kind in LinkKind
                                                        if kind != LinkKind.FOLLOW_UP])


class SurveyForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("How satisfied are you with the service?"), coerce=int, choices=[
        (5, _("Very satisfied")), (4, _("Satisfied")), (3, _("Neither satisfied nor dissatisfied")),
        (2, _("Dissatisfied")), (1, _("Very dissatisfied"))])
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class KnowledgeSearchForm(forms.Form):
    q = forms.CharField(label=_("Search the knowledge base"), required=False)


class ReverseChargebackForm(forms.Form):
    """A posted month to reverse, and why (the reversal is dated today)."""

    year = forms.IntegerField(widget=forms.HiddenInput, min_value=2000, max_value=2100)
    month = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=12)
    reason = forms.CharField(label=_("Reason for the reversal"), max_length=200)


class PostChargebackForm(forms.Form):
    """The month to post to the ledger, the fund it is posted in and the unit that provides the services."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=_("Month"), min_value=1, max_value=12)
    fund = forms.ModelChoiceField(label=_("Fund"), queryset=None, empty_label=None)
    providing_unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, empty_label=None)

    def __init__(self, *args, funds, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = funds
        self.fields["providing_unit"].queryset = units
        self.fields["providing_unit"].label_from_instance = lambda unit: f"{unit.code} — {unit.name}"


class PublishServiceForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40)
    kind = forms.ChoiceField(label=_("Type"), choices=ServiceKind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    unit_price = forms.DecimalField(label=_("Unit price"), max_digits=19, decimal_places=4, min_value=0)
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="USD")
    is_core_ict = forms.BooleanField(label=_("Core ICT service"), required=False)


class DefineServiceLevelForm(forms.Form):
    """A level with its response and resolution minutes for each of the four priorities."""

    service = forms.ModelChoiceField(label=_("Service"), queryset=None, empty_label=None)
    code = forms.SlugField(label=_("Code"), max_length=20)
    name = forms.CharField(label=_("Name"), max_length=100)
    cover = forms.ChoiceField(label=_("Hours of cover"), choices=Cover.choices)

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
        self.fields["service"].label_from_instance = lambda service: service.localized_name
        for priority in Priority:
            self.fields[f"response_{priority.value}"] = forms.IntegerField(
                label=_("Response, priority %(priority)s (minutes)") % {"priority": priority.label}, min_value=1)
            self.fields[f"resolution_{priority.value}"] = forms.IntegerField(
                label=_("Resolution, priority %(priority)s (minutes)") % {"priority": priority.label}, min_value=1)

    def targets(self) -> dict[int, tuple[int, int]]:
        data = self.cleaned_data
        return {p.value: (data[f"response_{p.value}"], data[f"resolution_{p.value}"]) for p in Priority}


class SubmitChangeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=ChangeKind.choices, initial=ChangeKind.NORMAL)
    title = forms.CharField(label=_("Title"), max_length=200)
    risk = forms.TypedChoiceField(label=_("Risk"), choices=Impact.choices, coerce=int, initial=Impact.MINOR)
    configuration_items = forms.ModelMultipleChoiceField(label=_("Configuration items"), queryset=None,
                                                         required=False)

    def __init__(self, *args, configuration_items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["configuration_items"].queryset = configuration_items


class DecideChangeForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("approve", _("Approve")), ("reject", _("Reject"))])


class ImplementChangeForm(forms.Form):
    record = forms.CharField(label=_("Implementation record"), widget=forms.Textarea(attrs={"rows": 3}))


class RecordProblemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)


class ProblemDiagnosisForm(forms.Form):
    root_cause = forms.CharField(label=_("Root cause"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    workaround = forms.CharField(label=_("Workaround"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class LinkIncidentForm(forms.Form):
    reference = forms.CharField(label=_("Ticket reference"), max_length=40)
