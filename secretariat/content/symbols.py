"""Official document symbols (A/62/510, A/RES/63/262, A/C.5/63/L.24/Rev.1/Add.2/Corr.1).

A symbol reads: body, subsidiary organs, an optional series (RES, DEC, PRST, INF), the session
or year, the number (with L., PV., SR., CRP. or WP. for limited distribution and records), then
revisions, addenda and corrigenda in that order, each at most once.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from secretariat.core.exceptions import DomainError

SERIES = ("RES", "DEC", "PRST", "INF")
NUMBER_PREFIXES = ("L", "PV", "SR", "CRP", "WP")
MODIFIERS = ("Rev", "Add", "Corr")

SYMBOL = re.compile(
    r"^(?P<body>[A-Z]{1,6})"
    r"(?P<organs>(?:/(?!(?:RES|DEC|PRST|INF)/)[A-Z]{1,8}(?:\.[1-9]\d{0,2})?)*)"
    r"(?:/(?P<series>RES|DEC|PRST|INF))?"
    r"/(?P<session>[1-9]\d{0,3}|ES-[1-9]\d?|S-[1-9]\d?)"
    r"/(?:(?P<prefix>L|PV|SR|CRP|WP)\.)?(?P<number>[1-9]\d{0,4})"
    r"(?P<modifiers>(?:/(?:Rev|Add|Corr)\.[1-9]\d{0,2})*)$"
)


class MalformedSymbol(DomainError):
    message = _("“%(symbol)s” is not a valid document symbol (expected a form such as A/62/510 or A/RES/63/262).")
    code = "malformed_symbol"
    status = 400


@dataclass(frozen=True)
class Symbol:
    body: str
    organs: tuple[str, ...] = ()
    series: str = ""
    session: str = ""
    prefix: str = ""
    number: str = ""
    revision: int | None = None
    addendum: int | None = None
    corrigendum: int | None = None

    def __str__(self) -> str:
        parts = [self.body, *self.organs]
        if self.series:
            parts.append(self.series)
        parts.append(self.session)
        parts.append(f"{self.prefix}.{self.number}" if self.prefix else self.number)
        for name, value in (("Rev", self.revision), ("Add", self.addendum), ("Corr", self.corrigendum)):
            if value is not None:
                parts.append(f"{name}.{value}")
        return "/".join(parts)

    @property
    def document_kind(self) -> str:
        return self.series or self.prefix or "report"


def parse_symbol(text: str) -> Symbol:
    """Parse and validate a symbol; raise ``MalformedSymbol`` for anything else."""
    candidate = (text or "").strip()
    match = SYMBOL.match(candidate)
    if match is None:
        raise MalformedSymbol(symbol=candidate[:100])
    modifiers: dict[str, int] = {}
    for part in filter(None, match["modifiers"].split("/")):
        name, value = part.split(".")
        if name in modifiers or any(MODIFIERS.index(name) < MODIFIERS.index(seen) for seen in modifiers):
            raise MalformedSymbol(symbol=candidate[:100])
        modifiers[name] = int(value)
    return Symbol(
        body=match["body"], organs=tuple(filter(None, match["organs"].split("/"))), series=match["series"] or "",
        session=match["session"], prefix=match["prefix"] or "", number=match["number"],
        revision=modifiers.get("Rev"), addendum=modifiers.get("Add"), corrigendum=modifiers.get("Corr"),
    )
