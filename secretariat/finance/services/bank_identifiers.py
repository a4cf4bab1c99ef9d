"""IBAN and BIC checked with schwifty (country lengths and structures, check digits), so that
every refusal is a 400 with its reason rather than a database constraint failing later."""

import re

from django.utils.translation import gettext_lazy as _
from schwifty import BIC, IBAN
from schwifty import exceptions as schwifty_errors

from secretariat.core.exceptions import InvalidInput

# The database's check constraint on vendors' BICs (six letters first): refused here, with a reason.
BIC_FORMAT = re.compile(r"^[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?$")

IBAN_REASONS = {
    schwifty_errors.InvalidCountryCode: _("%(value)s does not start with a known country code."),
    schwifty_errors.InvalidLength: _("%(value)s has the wrong length for an IBAN of its country."),
    schwifty_errors.InvalidStructure: _("%(value)s does not have the structure of an IBAN of its country."),
    schwifty_errors.InvalidChecksumDigits: _("%(value)s has wrong check digits."),
}


def checked_iban(value: str, *, field: str = "iban") -> str:
    """The IBAN in electronic form (no spaces, upper case), or ``InvalidInput`` saying what is wrong."""
    iban = value.replace(" ", "").upper()
    try:
        IBAN(iban, validate_bban=True)
    except schwifty_errors.SchwiftyException as error:
        reason = next((message for kind, message in IBAN_REASONS.items() if isinstance(error, kind)),
                      _("%(value)s is not a valid IBAN."))
        raise InvalidInput({field: [reason % {"value": iban}]}) from None
    return iban


def checked_bic(value: str, *, field: str = "bic") -> str:
    """The BIC (8 or 11 characters, upper case), or ``InvalidInput`` saying what is wrong."""
    bic = value.replace(" ", "").upper()
    if len(bic) not in (8, 11):
        raise InvalidInput({field: [_("A BIC has 8 or 11 characters; %(value)s has %(length)s.") % {
            "value": bic, "length": len(bic)}]})
    try:
        BIC(bic)
    except schwifty_errors.InvalidCountryCode:
        raise InvalidInput({field: [_("%(value)s does not name a known country in characters 5 and 6.") % {
            "value": bic}]}) from None
    except schwifty_errors.SchwiftyException:
        raise InvalidInput({field: [_("%(value)s is not a valid BIC.") % {"value": bic}]}) from None
    if not BIC_FORMAT.match(bic):
        raise InvalidInput({field: [_("%(value)s is not a valid BIC: it starts with six letters (bank and "
                                      "country code).") % {"value": bic}]})
    return bic
