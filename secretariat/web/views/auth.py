"""Login with the TOTP second factor, lockout page, logout, and two-factor enrolment.

This login page is the only way to sign in to a session: the admin's login sends here, so no
session skips the second factor (``core.second_factor`` keeps unconfirmed ones out).
"""

import base64

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from secretariat.core import services
from secretariat.core.exceptions import DomainError
from secretariat.core.second_factor import second_factor_required
from secretariat.web.forms import LoginForm, TwoFactorConfirmForm, locked_out_message


def safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


def login_view(request):
    if request.method == "POST":
        form = LoginForm(request, data=request.POST)
        if form.is_valid():
            login(request, form.user, backend="django.contrib.auth.backends.ModelBackend")
            if form.device is not None:
                otp_login(request, form.device)
            return redirect(safe_next(request))
    else:
        form = LoginForm(request)
    return render(request, "web/login.html", {"form": form, "next": safe_next(request)},
                  status=200 if request.method == "GET" or form.is_valid() else 401)


def locked_out(request, response=None, credentials=None, *args, **kwargs):
    """django-axes calls this when a locked-out account tries again."""
    form = LoginForm(request)
    return render(request, "web/login.html", {"form": form, "locked_out_message": locked_out_message()}, status=403)


def admin_login(request):
    """Replace the admin's own login form, which knows nothing of the second factor."""
    return redirect_to_login(safe_next(request) if "next" in request.GET else "/admin/")


@require_POST
def logout_view(request):
    logout(request)
    return redirect("web:login")


@login_required
def two_factor(request):
    if request.method == "POST" and "token" in request.POST:
        form = TwoFactorConfirmForm(request.POST)
        if form.is_valid():
            try:
                device = services.confirm_two_factor_enrollment(actor=request.user, token=form.cleaned_data["token"])
            except DomainError as error:
                form.add_error("token", str(error))
            else:
                otp_login(request, device)  # the code just checked confirms this session too
                messages.success(request, _("Two-factor authentication is on."))
                return redirect("web:home")
        device = request.user.totpdevice_set.filter(confirmed=False).first()
    else:
        form = TwoFactorConfirmForm()
        device = services.begin_two_factor_enrollment(actor=request.user) if request.method == "POST" else None
    secret = base64.b32encode(device.bin_key).decode() if device else None
    return render(request, "web/two_factor.html", {
        "form": form, "device": device, "secret": secret, "config_url": device.config_url if device else None,
        "enabled": request.user.totpdevice_set.filter(confirmed=True).exists(),
        "required": second_factor_required(request.user),
    })
