"""Who is calling the API, and how often: knox tokens and sessions, each held to the second factor
the user needs, and throttles keyed by user or by client address."""

from django.utils.translation import gettext_lazy as _
from django_otp import user_has_device
from knox.auth import TokenAuthentication
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from secretariat.core.request_context import client_ip
from secretariat.core.second_factor import second_factor_required, session_verified


class SecondFactorRequired(exceptions.PermissionDenied):
    default_detail = _("Your account requires two-factor authentication for the API.")
    default_code = "second_factor_required"


ENROL_FOR_API = _("Your roles require two-factor authentication. Set up an authenticator app on the "
                  "Two-factor authentication page before using the API.")
SESSION_NOT_VERIFIED = _("This session was not confirmed with your authenticator code. "
                         "Sign in again with the code before using the API.")
TOKEN_NOT_VERIFIED = _("This token was created without two-factor authentication, which your account now "
                       "requires. Create a new token from a session signed in with your authenticator code.")


class ApiTokenAuthentication(TokenAuthentication):
    """``Authorization: Token …`` with a knox token; refused if the user has since come to need a
    second factor that the token's session did not have."""

    def validate_user(self, auth_token):
        user, token = super().validate_user(auth_token)
        if not token.is_second_factor_verified and second_factor_required(user):
            raise SecondFactorRequired(TOKEN_NOT_VERIFIED)
        return user, token


class VerifiedSessionAuthentication(SessionAuthentication):
    """The browser session, accepted only once its second factor (if the user needs one) was checked."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            user = result[0]
            if not session_verified(user) and second_factor_required(user):
                raise SecondFactorRequired(
                    SESSION_NOT_VERIFIED if user_has_device(user, confirmed=True) else ENROL_FOR_API)
        return result


class CurrentRateMixin:
    """Identify anonymous clients by the address ``client_ip`` trusts, not by any X-Forwarded-For
    sent, and read the rate when asked (DRF reads it once at import, which tests cannot change)."""

    def get_ident(self, request):
        return client_ip(request._request) or ""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]


class AnonymousClientThrottle(CurrentRateMixin, AnonRateThrottle):
    pass


class UserThrottle(CurrentRateMixin, UserRateThrottle):
    pass
