from django import forms
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.signals import user_login_failed
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from secretariat.core.models import AuthorityKind, Role
from secretariat.core.scopes import Scope, scope_kind, scope_kinds

User = get_user_model()


class LoginForm(forms.Form):
    """Username and password, plus the authenticator code for users who turned it on."""

    username = forms.CharField(label=_("Username"), max_length=150,
                               widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}))
    password = forms.CharField(label=_("Password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    otp_token = forms.CharField(
        label=_("Authenticator code"), required=False, max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text=_("Only if you turned on two-factor authentication."),
    )

    def __init__(self, request, *args, **kwargs):
        self.request = request
        self.user = None
        self.device = None
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        username, password = cleaned.get("username"), cleaned.get("password")
        if not username or not password:
            return cleaned
        user = authenticate(self.request, username=username, password=password)
        if getattr(self.request, "axes_locked_out", False):
            raise forms.ValidationError(locked_out_message(), code="locked_out")
        if user is None:
            raise forms.ValidationError(_("Username or password is not correct."), code="invalid_login")
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None and not device.verify_token(cleaned.get("otp_token", "").strip()):
            # Counts towards the lockout like a wrong password.
            user_login_failed.send(sender=__name__, credentials={"username": username}, request=self.request)
            raise forms.ValidationError(_("The code from your authenticator app is not valid."), code="invalid_otp")
        self.user, self.device = user, device
        return cleaned


def locked_out_message():
    return _("This account is locked after too many failed attempts. Try again later or ask the service desk.")


class TwoFactorConfirmForm(forms.Form):
    token = forms.CharField(label=_("Code shown by your authenticator app"), max_length=8,
                            widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))


class ScopeChoiceForm(forms.Form):
    """A scope picked by kind and the code of its entity, org unit or duty station."""

    scope_kind = forms.ChoiceField(label=_("Scope"))
    scope_code = forms.CharField(label=_("Code of the entity, org unit or duty station"), required=False,
                                 max_length=30)
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(label=_("Valid until"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope_kind"].choices = [(kind.code, kind.label) for kind in scope_kinds()]

    def clean(self):
        cleaned = super().clean()
        kind_code = cleaned.get("scope_kind")
        if not kind_code:
            return cleaned
        kind = scope_kind(kind_code)
        if kind.model is None:
            cleaned["scope"] = Scope(kind.code)
            return cleaned
        scope_object = kind.model._default_manager.filter(code=cleaned.get("scope_code", "")).first()
        if scope_object is None:
            self.add_error("scope_code", _("No %(kind)s has this code.") % {"kind": kind.label})
        else:
            cleaned["scope"] = Scope(kind.code, scope_object.pk)
        return cleaned


class GrantRoleForm(ScopeChoiceForm):
    username = forms.CharField(label=_("Username"), max_length=150)
    role = forms.ModelChoiceField(label=_("Role"), queryset=Role.objects.all())
    field_order = ["username", "role", "scope_kind", "scope_code", "valid_from", "valid_until"]

    def clean_username(self):
        user = User.objects.filter(username=self.cleaned_data["username"]).first()
        if user is None:
            raise forms.ValidationError(_("No user has this username."))
        return user


class DelegateAuthorityForm(GrantRoleForm):
    role = None
    authority = forms.ModelChoiceField(label=_("Authority"), queryset=AuthorityKind.objects.all())
    limit_amount = forms.DecimalField(label=_("Monetary limit (USD)"), required=False, max_digits=19,
                                      decimal_places=2, min_value=0)
    reference = forms.CharField(label=_("Reference"), required=False, max_length=100)
    field_order = ["username", "authority", "limit_amount", "scope_kind", "scope_code", "valid_from", "valid_until",
                   "reference"]


class AuditSearchForm(forms.Form):
    action = forms.CharField(label=_("Action starts with"), required=False, max_length=100)
    who = forms.CharField(label=_("Who"), required=False, max_length=150)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
