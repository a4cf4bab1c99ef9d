"""Who must sign in with a second factor, and the gate that keeps everyone else out until they have.

A user needs the second factor when they turned it on (a confirmed authenticator) or when they
hold a privileged role (finance, budget, audit, access administration) or are a superuser.
django-otp's middleware marks a session verified when the login form checked the code; every
way in (the login page, the admin, which sends to it, and API tokens) depends on that mark.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp import user_has_device

from secretariat.core.access import roles_in_force_on
from secretariat.core.models import RoleAssignment

ENROL_FIRST = _("Your roles require two-factor authentication. Set up an authenticator app to continue.")
SIGN_IN_WITH_CODE = _("Sign in again with the code from your authenticator app.")


def holds_privileged_role(user) -> bool:
    """Superusers, and holders of an in-force privileged role assignment."""
    if user.is_superuser:
        return True
    return RoleAssignment.objects.filter(
        roles_in_force_on(timezone.localdate()), user=user, role__is_privileged=True
    ).exists()


def session_verified(user) -> bool:
    """Whether django-otp confirmed this request's session with a second factor (never for tokens)."""
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def second_factor_required(user) -> bool:
    """Whether this user may act only from a session (or token) confirmed by a second factor."""
    if not user.is_authenticated:
        return False
    if user_has_device(user, confirmed=True):
        return True
    return settings.SECRETARIAT_PRIVILEGED_NEED_SECOND_FACTOR and holds_privileged_role(user)


# The API checks tokens and sessions itself; static files, probes and the language switch need no user.
EXEMPT_PREFIXES = ("/api/", "/static/", "/healthz", "/readyz", "/i18n/", "/jsi18n/")


class SecondFactorMiddleware:
    """Keep a session that skipped a required second factor away from every page.

    A user without an authenticator is sent to enrol (and may reach nothing else); a user with
    one whose session was not confirmed by a code is signed out. The API answers for itself
    (``api.authentication``), as its requests may not carry a session at all.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if not user.is_authenticated or session_verified(user) or request.path.startswith(EXEMPT_PREFIXES):
            return self.get_response(request)
        if not second_factor_required(user):
            return self.get_response(request)
        if user_has_device(user, confirmed=True):
            logout(request)
            messages.error(request, SIGN_IN_WITH_CODE)
            return redirect(settings.LOGIN_URL)
        open_paths = [reverse(name) for name in settings.SECRETARIAT_SECOND_FACTOR_OPEN_URLS]
        if request.path in open_paths:
            return self.get_response(request)
        messages.warning(request, ENROL_FIRST)
        return redirect(open_paths[0])
