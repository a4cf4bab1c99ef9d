"""Idle and absolute limits on a signed-in session, shorter for privileged users.

Django's own expiry is one fixed age; the limits here depend on who is signed in and on when
they were last seen, so they are kept in the session and checked on every request.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils.translation import gettext_lazy as _

from secretariat.core.second_factor import holds_privileged_role

SIGNED_IN_AT = "secretariat_signed_in_at"
LAST_SEEN_AT = "secretariat_last_seen_at"
# Writing the session on every request costs a query; a minute's precision is enough.
LAST_SEEN_PRECISION_SECONDS = 60

SESSION_EXPIRED = _("Your session has expired. Please sign in again.")


def session_limits(user) -> tuple[float, float]:
    """(idle, absolute) limits in seconds for this user's sessions."""
    if holds_privileged_role(user):
        return (settings.SECRETARIAT_PRIVILEGED_SESSION_IDLE_MINUTES * 60,
                settings.SECRETARIAT_PRIVILEGED_SESSION_ABSOLUTE_HOURS * 3600)
    return settings.SECRETARIAT_SESSION_IDLE_MINUTES * 60, settings.SECRETARIAT_SESSION_ABSOLUTE_HOURS * 3600


class SessionTimeoutMiddleware:
    """Sign out a session idle or old beyond its user's limits, with a message on the login page.

    The API gets no redirect: the request simply goes on unauthenticated and is refused there.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            signed_in_at = session.setdefault(SIGNED_IN_AT, now)
            last_seen_at = session.get(LAST_SEEN_AT, now)
            idle_limit, absolute_limit = session_limits(request.user)
            if now - last_seen_at > idle_limit or now - signed_in_at > absolute_limit:
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                messages.info(request, SESSION_EXPIRED)
                return redirect_to_login(request.get_full_path())
            if now - session.get(LAST_SEEN_AT, 0) >= LAST_SEEN_PRECISION_SECONDS:
                session[LAST_SEEN_AT] = now
        return self.get_response(request)
