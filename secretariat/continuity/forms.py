"""HTML forms of the continuity registry: parse input only; the services decide."""

from decimal import Decimal

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from secretariat.continuity import selectors
from secretariat.continuity.models import (
    Application,
    DataCentre,
    DataClassification,
    ImpactCategory,
    ImpactHorizon,
    ImpactSeverity,
    InfrastructureComponent,
    InfrastructureKind,
    NodeKind,
    ReplicationMethod,
    RtoBand,
    SiteDistance,
)
from secretariat.continuity.services import APPLICATION_AMOUNT_FIELDS, BIA_QUESTIONS
from secretariat.core.models import DutyStation, OrgUnit, Person


class OrgUnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit) -> str:
        return f"{unit.code} — {unit}"


class BusinessProcessForm(forms.Form):
    org_unit = OrgUnitChoiceField(label=_("Department"), queryset=OrgUnit.objects.order_by("code"))
    name = forms.CharField(label=_("Name"), max_length=200)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=Person.objects.order_by("family_name"), required=False)
    maximum_tolerable_downtime_hours = forms.IntegerField(label=_("Maximum tolerable downtime (hours)"), min_value=1)
    rto_band = forms.ChoiceField(label=_("RTO band"), choices=RtoBand.choices)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class StartAnalysisForm(forms.Form):
    org_unit = OrgUnitChoiceField(label=_("Department"), queryset=OrgUnit.objects.order_by("code"))


class ImpactsForm(forms.Form):
    """One severity per impact category and horizon, the questionnaire and the RPO."""

    rpo_hours = forms.DecimalField(label=_("RPO (hours of work that may be lost)"), min_value=0, max_digits=7,
                                   decimal_places=2, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, question in BIA_QUESTIONS:
            self.fields[f"question_{code}"] = forms.CharField(label=question, required=False,
                                                              widget=forms.Textarea(attrs={"rows": 2}))
        for category in ImpactCategory:
            for horizon in ImpactHorizon:
                self.fields[f"impact_{category.value}_{horizon.value}"] = forms.TypedChoiceField(
                    label=f"{category.label} — {horizon.label}", choices=ImpactSeverity.choices, coerce=int,
                    initial=ImpactSeverity.NONE)

    def impacts(self) -> dict[tuple[str, int], int]:
        return {(category.value, horizon.value): self.cleaned_data[f"impact_{category.value}_{horizon.value}"]
                for category in ImpactCategory for horizon in ImpactHorizon}

    def questionnaire(self) -> dict[str, str]:
        return {code: self.cleaned_data[f"question_{code}"] for code, _q in BIA_QUESTIONS
                if self.cleaned_data[f"question_{code}"]}


class DataCentreForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20)
    name = forms.CharField(label=_("Name"), max_length=200)
    duty_station = forms.ModelChoiceField(label=_("Duty station"), queryset=DutyStation.objects.order_by("code"))
    recovery_site = forms.ModelChoiceField(label=_("Recovery site"), queryset=DataCentre.objects.order_by("code"),
                                           required=False)


class InfrastructureComponentForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=InfrastructureKind.choices)
    data_centre = forms.ModelChoiceField(label=_("Data centre"), queryset=DataCentre.objects.order_by("code"))


class ApplicationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=Person.objects.order_by("family_name"), required=False)
    owner_unit = OrgUnitChoiceField(label=_("Department"), queryset=OrgUnit.objects.order_by("code"))
    data_centre = forms.ModelChoiceField(label=_("Data centre"), queryset=DataCentre.objects.order_by("code"))
    user_count = forms.IntegerField(label=_("Users"), min_value=0, initial=0)
    data_classification = forms.ChoiceField(label=_("Data classification"), choices=DataClassification.choices,
                                            initial=DataClassification.INTERNAL)
    replication_method = forms.ChoiceField(label=_("Replication"), choices=ReplicationMethod.choices)
    recovery_site_distance = forms.ChoiceField(label=_("Recovery site"), choices=SiteDistance.choices,
                                               initial=SiteDistance.REMOTE)
    is_replication_software_compatible = forms.BooleanField(label=capfirst(_("replication software compatible")),
                                                            required=False, initial=True)
    currency = forms.CharField(label=capfirst(_("currency")), max_length=3, initial="USD")
    link_cost_amount = forms.DecimalField(label=capfirst(_("annual link cost")), max_digits=19, decimal_places=4,
                                          required=False)
    compute_amount = forms.DecimalField(label=capfirst(_("annual compute cost")), max_digits=19, decimal_places=4,
                                        required=False)
    storage_amount = forms.DecimalField(label=capfirst(_("annual storage cost")), max_digits=19, decimal_places=4,
                                        required=False)
    licence_amount = forms.DecimalField(label=capfirst(_("annual licence cost")), max_digits=19, decimal_places=4,
                                        required=False)
    reconfiguration_amount = forms.DecimalField(label=capfirst(_("one-off reconfiguration cost")), max_digits=19,
                                                decimal_places=4, required=False)
    current_support_amount = forms.DecimalField(label=capfirst(_("current annual support cost")), max_digits=19,
                                                decimal_places=4, required=False)

    def clean(self):
        cleaned = super().clean()
        for field in APPLICATION_AMOUNT_FIELDS:
            if field in cleaned and cleaned[field] is None:
                cleaned[field] = Decimal("0")  # a cost factor left empty costs nothing
        return cleaned


class ApplicationChangeForm(ApplicationForm):
    """The same factors without the owning unit and currency, which an application keeps."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["owner_unit"], self.fields["currency"]


class BusinessProcessChangeForm(BusinessProcessForm):
    """The same fields without the department, which a process keeps."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["org_unit"]


def node_choices(*, actor) -> list[tuple[str, list[tuple[str, str]]]]:
    """Every node of the dependency graph the actor sees, grouped by kind, as ``kind:id`` choices."""
    groups = [
        (NodeKind.PROCESS, selectors.visible_business_processes(actor=actor).order_by("name")),
        (NodeKind.APPLICATION, selectors.visible_applications(actor=actor).order_by("name")),
        (NodeKind.INFRASTRUCTURE, InfrastructureComponent.objects.order_by("name")),
        (NodeKind.DATA_CENTRE, selectors.visible_data_centres(actor=actor).order_by("code")),
    ]
    choices = [(kind.label, [(f"{kind.value}:{row.pk}", str(row)) for row in rows]) for kind, rows in groups]
    return [(label, options) for label, options in choices if options]


class DependencyForm(forms.Form):
    """The dependent node needs the required node; the service refuses a cycle."""

    dependent = forms.ChoiceField(label=capfirst(_("dependent")))
    required = forms.ChoiceField(label=capfirst(_("required")))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "---------"), *node_choices(actor=actor)]
        self.fields["dependent"].choices = self.fields["required"].choices = choices

    def service_arguments(self) -> dict:
        dependent_kind, dependent_id = self.cleaned_data["dependent"].split(":")
        required_kind, required_id = self.cleaned_data["required"].split(":")
        return {"dependent_kind": dependent_kind, "dependent_id": int(dependent_id),
                "required_kind": required_kind, "required_id": int(required_id)}


class RecoveryPlanForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    owner_unit = OrgUnitChoiceField(label=_("Department"), queryset=OrgUnit.objects.order_by("code"))
    application = forms.ModelChoiceField(label=_("Application"), queryset=Application.objects.order_by("name"),
                                         required=False)
    data_centre = forms.ModelChoiceField(label=_("Data centre"), queryset=DataCentre.objects.order_by("code"),
                                         required=False)
    steps = forms.CharField(label=_("Steps"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    roles = forms.CharField(label=capfirst(_("roles")), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    contacts = forms.CharField(label=capfirst(_("contacts")), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    call_tree = forms.CharField(label=_("Call tree"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ReviseRecoveryPlanForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    steps = forms.CharField(label=_("Steps"), widget=forms.Textarea(attrs={"rows": 6}), required=False)
    roles = forms.CharField(label=capfirst(_("roles")), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    contacts = forms.CharField(label=capfirst(_("contacts")), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    call_tree = forms.CharField(label=_("Call tree"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ApproveRecoveryPlanForm(forms.Form):
    review_due_on = forms.DateField(label=_("Review due on"), widget=forms.DateInput(attrs={"type": "date"}))


class PlanExerciseForm(forms.Form):
    planned_on = forms.DateField(label=_("Planned on"), widget=forms.DateInput(attrs={"type": "date"}))
    target_rto_seconds = forms.DecimalField(label=_("Target RTO (seconds)"), max_digits=12, decimal_places=3,
                                            required=False)
    target_rpo_seconds = forms.DecimalField(label=_("Target RPO (seconds)"), max_digits=12, decimal_places=3,
                                            required=False)


class ExerciseResultsForm(forms.Form):
    run_at = forms.DateTimeField(label=capfirst(_("run at")),
                                 widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    measured_rto_seconds = forms.DecimalField(label=_("Measured RTO (seconds)"), max_digits=12, decimal_places=3)
    measured_rpo_seconds = forms.DecimalField(label=_("Measured RPO (seconds)"), max_digits=12, decimal_places=3)
    lost_transactions = forms.IntegerField(label=capfirst(_("acknowledged transactions lost")), min_value=0,
                                           required=False)
    issues = forms.CharField(label=capfirst(_("issues")), widget=forms.Textarea(attrs={"rows": 3}),
                             required=False)
    follow_up_actions = forms.CharField(label=capfirst(_("follow-up actions")),
                                        widget=forms.Textarea(attrs={"rows": 3}), required=False)
