"""Clickable facets for the search page: each value links to the same search narrowed to it, and
an applied value links back to the search without it."""

from dataclasses import dataclass

from django.conf import settings
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from secretariat.content.models import Classification, DocumentType

FACET_HEADINGS = {
    "language": _("Language"),
    "classification": _("Classification"),
    "document_type": _("Document type"),
    "org_unit": _("Org unit"),
    "year": _("Year"),
}


@dataclass(frozen=True)
class FacetLink:
    label: str
    count: int
    url: str
    applied: bool


def value_labels() -> dict[str, dict]:
    return {
        "language": dict(settings.LANGUAGES),
        "classification": dict(Classification.choices),
        "document_type": {code: str(document_type) for code, document_type in
                          ((t.code, t) for t in DocumentType.objects.all())},
    }


def facet_links(query: QueryDict, facets: dict[str, list[tuple[object, int]]]) -> list[tuple[str, list[FacetLink]]]:
    """(heading, links) per facet; values without a value (no date, no unit) are counted, not linked."""
    labels = value_labels()
    groups = []
    for facet, counts in facets.items():
        links = []
        for value, count in counts:
            if value is None or value == "":
                links.append(FacetLink("—", count, "", False))
                continue
            params = query.copy()
            params.pop("page", None)
            applied = params.get(facet) == str(value)
            if applied:
                params.pop(facet)
            else:
                params[facet] = str(value)
            links.append(FacetLink(str(labels.get(facet, {}).get(value, value)), count, f"?{params.urlencode()}",
                                   applied))
        groups.append((FACET_HEADINGS[facet], links))
    return groups
