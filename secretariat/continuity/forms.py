"""HTML forms of the continuity registry: parse input only; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from secretariat.continuity.models import ImpactCategory, ImpactHorizon, ImpactSeverity, RtoBand
from secretariat.continuity.services import BIA_QUESTIONS
from secretariat.core.models import OrgUnit, Person


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
