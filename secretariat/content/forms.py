"""HTML forms of the content app: input parsing only; the services decide."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from secretariat.content.models import Classification, DocumentType, Library, RecordClass

LANGUAGE_CHOICES = settings.LANGUAGES


def split_terms(value: str) -> list[str]:
    return [term.strip() for term in (value or "").split(";") if term.strip()]


CUSTOM_FIELD_PREFIX = "custom_fields."  # the service names its errors on custom fields this way


def custom_form_field(rule: dict) -> forms.Field:
    """A form field for one of a document type's custom field rules; the service checks them again."""
    options = {"label": rule.get("label") or rule["name"], "required": bool(rule.get("required"))}
    kind = rule.get("type", "text")
    if kind == "integer":
        return forms.IntegerField(**options)
    if kind == "date":
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **options)
    if kind == "choice":
        return forms.ChoiceField(choices=[("", "—")] + [(choice, choice) for choice in rule.get("choices", [])],
                                 **options)
    return forms.CharField(max_length=500, **options)


class UploadForm(forms.Form):
    library = forms.ModelChoiceField(label=_("Library"), queryset=Library.objects.none())
    file = forms.FileField(label=_("File"))
    title = forms.CharField(label=_("Title"), max_length=500)
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES, initial="en")
    document_type = forms.ModelChoiceField(label=_("Document type"), queryset=DocumentType.objects.all())
    classification = forms.ChoiceField(label=_("Security classification"),
                                       choices=[("", _("Library default"))] + Classification.choices, required=False)
    subject_terms = forms.CharField(label=_("Subject terms"), required=False,
                                    help_text=_("Separate terms with semicolons."))
    author = forms.CharField(label=_("Author"), required=False, max_length=200)
    document_date = forms.DateField(label=_("Document date"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}))
    comment = forms.CharField(label=_("Version comment"), required=False)

    def __init__(self, *args, libraries=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["library"].queryset = libraries if libraries is not None else Library.objects.none()
        # Choosing another type fetches this page again and swaps in that type's custom fields.
        self.fields["document_type"].widget.attrs.update({
            "hx-get": "", "hx-trigger": "change", "hx-include": "this", "hx-target": "#custom-fields",
            "hx-select": "#custom-fields", "hx-swap": "outerHTML"})
        self.custom_field_names = []
        for rule in self.chosen_document_type_rules():
            name = CUSTOM_FIELD_PREFIX + rule["name"]
            self.fields[name] = custom_form_field(rule)
            self.custom_field_names.append(name)

    def chosen_document_type_rules(self) -> list[dict]:
        """The custom fields of the document type chosen (posted, or asked for when the choice changes)."""
        chosen = self.data.get("document_type") if self.is_bound else self.initial.get("document_type")
        try:
            document_type = DocumentType.objects.filter(pk=int(chosen)).first() if chosen else None
        except (TypeError, ValueError):
            return []
        return list(document_type.field_rules) if document_type else []

    @property
    def standard_fields(self):
        return [field for field in self.visible_fields() if field.name not in self.custom_field_names]

    @property
    def custom_fields(self):
        return [self[name] for name in self.custom_field_names]

    def custom_field_values(self) -> dict:
        """The custom fields filled in, as the service takes them (dates in ISO form)."""
        values = {}
        for name in self.custom_field_names:
            value = self.cleaned_data.get(name)
            if value not in (None, ""):
                values[name.removeprefix(CUSTOM_FIELD_PREFIX)] = value.isoformat() if hasattr(value, "isoformat") \
                    else value
        return values


class WorkspaceUploadForm(UploadForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["library"]


class CheckInForm(forms.Form):
    file = forms.FileField(label=_("New version"))
    comment = forms.CharField(label=_("Comment"), required=False)
    title = forms.CharField(label=_("Title"), required=False, max_length=500)
    subject_terms = forms.CharField(label=_("Subject terms"), required=False,
                                    help_text=_("Separate terms with semicolons; leave empty to keep them."))


class RestoreFileForm(forms.Form):
    file = forms.FileField(label=_("Original file"))


class DeclareRecordForm(forms.Form):
    record_class = forms.ModelChoiceField(label=_("Record class"),
                                          queryset=RecordClass.objects.filter(retention_years__isnull=False))
    closed_on = forms.DateField(label=_("File closed on"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search for"), required=False)
    language = forms.ChoiceField(label=_("Language"), choices=[("", _("All languages"))] + list(LANGUAGE_CHOICES),
                                 required=False)
    classification = forms.ChoiceField(label=_("Classification"),
                                       choices=[("", _("Any classification"))] + Classification.choices,
                                       required=False)
    document_type = forms.CharField(required=False, widget=forms.HiddenInput)
    org_unit = forms.CharField(required=False, widget=forms.HiddenInput)
    year = forms.IntegerField(required=False, widget=forms.HiddenInput)


class RegisterOfficialForm(forms.Form):
    symbol = forms.CharField(label=_("Symbol"), max_length=100, help_text=_("For example A/62/510 or A/RES/63/262."))
    title = forms.CharField(label=_("Title"), max_length=500)


class LanguageVersionForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)
    title = forms.CharField(label=_("Title in this language"), max_length=500)
    file = forms.FileField(label=_("File"))


class ReleaseSubsetForm(forms.Form):
    languages = forms.MultipleChoiceField(label=_("Languages to release now"), choices=LANGUAGE_CHOICES,
                                          widget=forms.CheckboxSelectMultiple)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class PublicSearchForm(forms.Form):
    q = forms.CharField(label=_("Words in the document"), required=False, max_length=200)
    symbol = forms.CharField(label=_("Symbol"), required=False)
    title = forms.CharField(label=_("Title contains"), required=False)
    organ = forms.CharField(label=_("Issuing organ"), required=False,
                            help_text=_("For example A (General Assembly), S (Security Council), E (ECOSOC)."))
    language = forms.ChoiceField(label=_("Language"), choices=[("", _("All languages"))] + list(LANGUAGE_CHOICES),
                                 required=False)
    issued_from = forms.DateField(label=_("Issued from"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))
    issued_to = forms.DateField(label=_("Issued until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class ScheduleReleaseForm(forms.Form):
    release_at = forms.DateTimeField(label=_("Release at"), help_text=_("Your time zone; to the minute."),
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))


class LegalHoldForm(forms.Form):
    name = forms.CharField(label=_("Name of the hold"), max_length=200)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    document_ids = forms.CharField(label=_("Document numbers"), help_text=_("Separate numbers with commas."))

    def clean_document_ids(self):
        try:
            return [int(part) for part in self.cleaned_data["document_ids"].split(",") if part.strip()]
        except ValueError as error:
            raise forms.ValidationError(_("Give document numbers separated by commas.")) from error


class DispositionForm(forms.Form):
    due_on = forms.DateField(label=_("Retention ended by"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), max_length=500)


class WorkspaceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    template = forms.ChoiceField(label=_("Template"), choices=[])
    purpose = forms.CharField(label=_("Purpose"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MemberForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    role = forms.ChoiceField(label=_("Role in the workspace"), choices=[])


class PostForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 2}))


class PollForm(forms.Form):
    question = forms.CharField(label=_("Question"), max_length=300)
    options = forms.CharField(label=_("Options"), help_text=_("Separate options with semicolons."))
