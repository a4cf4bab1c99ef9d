"""Work waiting in the core: privileged role grants the user may approve or reject."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from secretariat.core.selectors import pending_role_grants_visible_to
from secretariat.core.work_inbox import Waiting, register


def describe_grant(assignment) -> str:
    return _("%(role)s for %(user)s") % {"role": assignment.role.localized_name,
                                        "user": assignment.user.get_username()}


@register
def role_grants_to_decide(user):
    decidable = [grant.assignment for grant in pending_role_grants_visible_to(actor=user) if grant.may_decide]
    yield Waiting(_("Role grants to approve"), decidable, describe_grant,
                  lambda assignment: reverse("web:role_assignments") + f"#grant-{assignment.pk}")
