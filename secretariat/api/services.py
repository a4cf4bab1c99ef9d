"""Writes of the API app: issuing and revoking API tokens, each checked and audited here, so the
API and the account page give one answer."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from secretariat.api.models import ApiToken
from secretariat.api.selectors import REVOKE_OTHERS_PERMISSION
from secretariat.core.access import has_permission
from secretariat.core.audit import record_audit_event
from secretariat.core.exceptions import DomainError, InvalidInput
from secretariat.core.second_factor import second_factor_required


class TokenNeedsSecondFactor(DomainError):
    message = _("Sign in with the code from your authenticator app before creating an API token.")
    code = "second_factor_required"
    status = 403


class TokenCannotCreateToken(DomainError):
    message = _("API tokens are created from a signed-in session, not with another token.")
    code = "token_cannot_create_token"
    status = 403


class TokenNotFound(DomainError):
    message = _("There is no API token with this number that you may revoke.")
    code = "not_found"
    status = 404


@transaction.atomic
def create_api_token(
    *, actor, name: str, valid_days: int, signed_in_with_second_factor: bool, using_token: bool
) -> tuple[ApiToken, str]:
    """Issue a token to ``actor``; returns it and its secret, which is shown once and never stored.

    A user who needs a second factor must have used it for this session. A token may not mint
    another, or a leaked one could renew itself for ever.
    """
    if using_token:
        raise TokenCannotCreateToken()
    if not signed_in_with_second_factor and second_factor_required(actor):
        raise TokenNeedsSecondFactor()
    maximum = settings.SECRETARIAT_API_TOKEN_MAX_DAYS
    if not 1 <= valid_days <= maximum:
        raise InvalidInput({"valid_days": [_("Choose between 1 and %(maximum)s days.") % {"maximum": maximum}]})
    token, secret = ApiToken.objects.create(
        user=actor, expiry=timedelta(days=valid_days), name=name,
        is_second_factor_verified=signed_in_with_second_factor,
    )
    record_audit_event(actor=actor, action="security.api_token_created", target=token,
                       changes={"name": name, "expires_at": token.expiry.isoformat()})
    return token, secret


@transaction.atomic
def revoke_api_token(*, actor, token_id: int) -> None:
    """Delete a token at once; its owner or an access administrator over the owner may."""
    token = ApiToken.objects.select_for_update().filter(pk=token_id).first()
    if token is None or not (
        token.user_id == actor.pk or has_permission(actor=actor, permission=REVOKE_OTHERS_PERMISSION, target=token)
    ):
        raise TokenNotFound()
    record_audit_event(actor=actor, action="security.api_token_revoked", target=token,
                       changes={"owner": token.user.get_username(), "name": token.name})
    token.delete()
