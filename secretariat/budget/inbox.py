"""Budget work waiting for the user (read by the work inbox, see core/work_inbox.py): draft
appropriations they may approve, listed on budgetary control."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from secretariat.budget.models import Appropriation, AppropriationStatus
from secretariat.core.access import scoped
from secretariat.core.work_inbox import Waiting, register


@register
def appropriations_to_approve(user):
    drafts = Appropriation.objects.filter(status=AppropriationStatus.DRAFT).select_related("section", "fund")
    yield Waiting(_("Appropriations to approve"),
                  scoped(drafts, actor=user, permission="budget.change_appropriation").order_by("pk"),
                  str, lambda appropriation: reverse("budget:control"))
