"""HTML forms of the service desk (parsing only; the rules live in services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from secretariat.servicedesk.models import Impact, TicketKind, TicketStatus, Urgency


class RaiseTicketForm(forms.Form):
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

    def answers(self) -> dict:
        return {name.removeprefix("answer_"): value for name, value in self.cleaned_data.items()
                if name.startswith("answer_")}


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Reply"), widget=forms.Textarea(attrs={"rows": 4}))
    is_public = forms.BooleanField(label=_("Visible to the requester"), required=False, initial=True)


class RequesterReplyForm(forms.Form):
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


class SurveyForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("How satisfied are you with the service?"), coerce=int, choices=[
        (5, _("Very satisfied")), (4, _("Satisfied")), (3, _("Neither satisfied nor dissatisfied")),
        (2, _("Dissatisfied")), (1, _("Very dissatisfied"))])
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class KnowledgeSearchForm(forms.Form):
    q = forms.CharField(label=_("Search the knowledge base"), required=False)
