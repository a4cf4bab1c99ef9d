"""API tokens: issued only to a signed-in session that passed the second factor its user needs,
each with an expiry, listed and revoked by their owner and by access administrators, and audited.

The page for them lives here too, not in ``web``: ``web`` and ``api`` may not import each other,
so the root URLconf wires it under the user's account.
"""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response

from secretariat.api.models import ApiToken
from secretariat.core.access import has_permission, scoped
from secretariat.core.audit import record_audit_event
from secretariat.core.exceptions import DomainError, InvalidInput
from secretariat.core.second_factor import second_factor_required, session_verified

# Whoever may revoke a person's roles may revoke their tokens.
REVOKE_OTHERS_PERMISSION = "core.delete_roleassignment"


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


def api_tokens_visible_to(*, actor) -> QuerySet:
    """The unexpired tokens ``actor`` owns, and those of the people whose roles they may revoke."""
    own = ApiToken.objects.filter(user=actor)
    administered = scoped(ApiToken.objects.all(), actor=actor, permission=REVOKE_OTHERS_PERMISSION)
    return (own | administered).filter(expiry__gt=timezone.now()).select_related("user").distinct()


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


class ApiTokenSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = ApiToken
        fields = ["id", "name", "owner", "prefix", "created", "expiry", "is_second_factor_verified"]


class NewApiTokenSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    valid_days = serializers.IntegerField(required=False)


class IssuedApiTokenSerializer(ApiTokenSerializer):
    token = serializers.CharField(read_only=True, help_text=_("The secret; shown only in this response."))

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "token"]


class ApiTokenViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Your API tokens (and, for access administrators, those of the people they administer)."""

    serializer_class = ApiTokenSerializer
    queryset = ApiToken.objects.none()
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return api_tokens_visible_to(actor=self.request.user)

    # No Idempotency-Key here: a replay would have to store the secret.
    @extend_schema(request=NewApiTokenSerializer, responses={201: IssuedApiTokenSerializer})
    def create(self, request):
        serializer = NewApiTokenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, secret = create_api_token(
            actor=request.user, name=serializer.validated_data["name"],
            valid_days=serializer.validated_data.get("valid_days", settings.SECRETARIAT_API_TOKEN_DAYS),
            signed_in_with_second_factor=request.auth is None and session_verified(request.user),
            using_token=request.auth is not None,
        )
        token.token = secret
        return Response(IssuedApiTokenSerializer(token).data, status=201)

    def destroy(self, request, pk=None):
        revoke_api_token(actor=request.user, token_id=self.get_object().pk)
        return Response(status=204)


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100,
                           help_text=_("What the token is for, e.g. the script or system using it."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["valid_days"] = forms.IntegerField(
            label=_("Valid for (days)"), min_value=1, max_value=settings.SECRETARIAT_API_TOKEN_MAX_DAYS,
            initial=settings.SECRETARIAT_API_TOKEN_DAYS)


@login_required
def api_tokens_page(request):
    """List, create and revoke API tokens; a new token's secret is shown on this one response."""
    form, secret, status = ApiTokenForm(), None, 200
    if request.method == "POST" and "revoke" in request.POST:
        try:
            revoke_api_token(actor=request.user, token_id=int(request.POST["revoke"]))
        except (DomainError, ValueError):
            messages.error(request, TokenNotFound.message)
            status = 404
        else:
            messages.success(request, _("The token is revoked."))
    elif request.method == "POST":
        form = ApiTokenForm(request.POST)
        if form.is_valid():
            try:
                _token, secret = create_api_token(
                    actor=request.user, name=form.cleaned_data["name"], valid_days=form.cleaned_data["valid_days"],
                    signed_in_with_second_factor=session_verified(request.user), using_token=False,
                )
            except DomainError as error:
                form.add_error(None, str(error))
        status = 200 if form.is_valid() and secret else 400
    return render(request, "web/api_tokens.html", {
        "form": form, "secret": secret, "tokens": api_tokens_visible_to(actor=request.user),
        "max_days": settings.SECRETARIAT_API_TOKEN_MAX_DAYS,
    }, status=status)
