"""Official document symbols, as the United Nations writes them.

A symbol reads: the body (A, S, E, ST, TD, UNEP…), subsidiary organs (C.5, CN.6, AC.96, HRC, and
mixed-case components such as Sub.2 or Agenda), an optional series (RES, DEC, PRST, INF), the
session or year, the number (with L., PV., SR., CRP. or WP. for limited distribution and
records), then revisions, addenda and corrigenda in that order, each at most once, and an
optional parenthesised qualifier: the year of a Security Council resolution (S/RES/2532 (2020))
or a section or part of a report (A/75/6 (Sect. 29A)).

The session is left out by bodies without sessions: the Security Council's records and
resolutions (S/PV.8000, S/RES/2532 (2020)), conferences and committees (A/CONF.62/122, TD/B/1,
CCPR/C/GC/36). A symbol without a session must still name an organ or a record prefix, or be a
Security Council resolution (A/62 and A/RES/63 are not symbols).
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
    r"(?P<organs>(?:/(?!(?:RES|DEC|PRST|INF)/)(?:[A-Z]{1,8}|(?!(?:Rev|Add|Corr)\.)[A-Z][a-z]{1,8})"
    r"(?:\.[1-9]\d{0,2})?)*)"
    r"(?:/(?P<series>RES|DEC|PRST|INF))?"
    r"(?:/(?P<session>[1-9]\d{0,3}|ES-[1-9]\d?|S-[1-9]\d?))?"
    r"/(?:(?P<prefix>L|PV|SR|CRP|WP)\.)?(?P<number>[1-9]\d{0,4})"
    r"(?P<modifiers>(?:/(?:Rev|Add|Corr)\.[1-9]\d{0,2})*)"
    r"(?: \((?P<qualifier>[12]\d{3}|Sect\. [1-9]\d{0,2}[A-Z]?|Part [IVX]{1,4})\))?$"
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
    qualifier: str = ""  # "2020" for S/RES/2532 (2020), "Sect. 29A" for A/75/6 (Sect. 29A)

    def __str__(self) -> str:
        parts = [self.body, *self.organs]
        if self.series:
            parts.append(self.series)
        if self.session:
            parts.append(self.session)
        parts.append(f"{self.prefix}.{self.number}" if self.prefix else self.number)
        for name, value in (("Rev", self.revision), ("Add", self.addendum), ("Corr", self.corrigendum)):
            if value is not None:
                parts.append(f"{name}.{value}")
        return "/".join(parts) + (f" ({self.qualifier})" if self.qualifier else "")

    @property
    def document_kind(self) -> str:
        return self.series or self.prefix or "report"


def parse_symbol(text: str) -> Symbol:
    """Parse and validate a symbol; raise ``MalformedSymbol`` for anything else."""
    candidate = (text or "").strip()
    match = SYMBOL.match(candidate)
    if match is None or not (match["session"] or match["organs"] or match["prefix"]
                             or (match["body"] == "S" and match["series"] == "RES")):
        raise MalformedSymbol(symbol=candidate[:100])
    modifiers: dict[str, int] = {}
    for part in filter(None, match["modifiers"].split("/")):
        name, value = part.split(".")
        if name in modifiers or any(MODIFIERS.index(name) < MODIFIERS.index(seen) for seen in modifiers):
            raise MalformedSymbol(symbol=candidate[:100])
        modifiers[name] = int(value)
    return Symbol(
        body=match["body"], organs=tuple(filter(None, match["organs"].split("/"))), series=match["series"] or "",
        session=match["session"] or "", prefix=match["prefix"] or "", number=match["number"],
        revision=modifiers.get("Rev"), addendum=modifiers.get("Add"), corrigendum=modifiers.get("Corr"),
        qualifier=match["qualifier"] or "",
    )
