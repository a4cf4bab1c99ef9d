"""API tokens: issued only to a signed-in session that passed the second factor its user needs,
each with an expiry, listed and revoked by their owner and by access administrators, and audited.

The page for them lives here too, not in ``web``: ``web`` and ``api`` may not import each other,
so the root URLconf wires it under the user's account.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response

from secretariat.api.models import ApiToken
from secretariat.api.selectors import api_tokens_visible_to
from secretariat.api.services import TokenNotFound, create_api_token, revoke_api_token
from secretariat.core.exceptions import DomainError
from secretariat.core.refusals import apply_refusal
from secretariat.core.second_factor import session_verified


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
                apply_refusal(request, form, error)
        status = 200 if form.is_valid() and secret else 400
    return render(request, "web/api_tokens.html", {
        "form": form, "secret": secret, "tokens": api_tokens_visible_to(actor=request.user),
        "max_days": settings.SECRETARIAT_API_TOKEN_MAX_DAYS,
    }, status=status)
