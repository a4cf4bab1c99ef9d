"""API tokens: django-rest-knox's hashed, expiring tokens, with a name and how they were issued."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken


class ApiToken(AbstractAuthToken):
    """A token for scripts and integrations; only its SHA-512 digest is stored.

    ``is_second_factor_verified`` records whether the session that created it was confirmed by
    an authenticator code: a user who needs a second factor can use only such tokens.
    """

    id = models.BigAutoField(primary_key=True)
    # knox keys tokens by their digest; a plain id keeps the digest out of URLs and audit events.
    digest = models.CharField(max_length=128, unique=True)
    expiry = models.DateTimeField(_("expires at"))
    name = models.CharField(_("name"), max_length=100)
    is_second_factor_verified = models.BooleanField(_("created with a second factor"))

    # Access administrators see the tokens of the people in their scope.
    scope_paths = {
        "org_unit": "user__person__org_unit",
        "entity": "user__person__org_unit__entity",
        "duty_station": "user__person__duty_station",
    }

    class Meta:
        ordering = ["-created"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def prefix(self) -> str:
        """The token's first characters, enough for its owner to recognise it."""
        return self.token_key[:8]
