"""Reads of the API app: which API tokens a user may see."""

from django.db.models import QuerySet
from django.utils import timezone

from secretariat.api.models import ApiToken
from secretariat.core.access import scoped

# Whoever may revoke a person's roles may see and revoke their tokens.
REVOKE_OTHERS_PERMISSION = "core.delete_roleassignment"


def api_tokens_visible_to(*, actor) -> QuerySet:
    """The unexpired tokens ``actor`` owns, and those of the people whose roles they may revoke."""
    own = ApiToken.objects.filter(user=actor)
    administered = scoped(ApiToken.objects.all(), actor=actor, permission=REVOKE_OTHERS_PERMISSION)
    return (own | administered).filter(expiry__gt=timezone.now()).select_related("user").distinct()
