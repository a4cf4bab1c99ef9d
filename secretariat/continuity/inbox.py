"""Continuity work waiting for the user (read by the work inbox, see core/work_inbox.py): draft
business impact analyses of the departments where they may sign them off."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from secretariat.continuity.models import BiaStatus, BusinessImpactAnalysis
from secretariat.core.access import scoped
from secretariat.core.work_inbox import Waiting, register


@register
def analyses_to_sign_off(user):
    drafts = BusinessImpactAnalysis.objects.filter(status=BiaStatus.DRAFT).select_related("org_unit")
    yield Waiting(_("Business impact analyses to sign off"),
                  scoped(drafts, actor=user, permission="continuity.sign_off_businessimpactanalysis").order_by("pk"),
                  str, lambda analysis: reverse("continuity:analysis", args=[analysis.pk]))
