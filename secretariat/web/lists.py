"""One list component for every list page: text search, filters, sortable columns, paging with a
total, export to XLSX or CSV of exactly the rows filtered, and saved views per user.

A page describes its list with a django-filter ``FilterSet`` (a ``SearchFilterSet`` gives the text
search) and a django-tables2 ``Table``, and answers with ``list_page``; the template includes
``web/includes/list.html``. See docs/architecture.md, "List pages".
"""

from functools import reduce
from operator import or_

import django_filters
from django import forms
from django.db.models import Q
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django_tables2 import RequestConfig
from django_tables2.export import TableExport

from secretariat.core.saved_views import NOT_SAVED, saved_views_of
from secretariat.core.services import record_data_export

PER_PAGE = 50
EXPORT_FORMATS = ("csv", "xlsx")
EXPORT_PARAMETER = "_export"


class SearchFilterSet(django_filters.FilterSet):
    """A filter set with a text search ("q") over ``search_fields`` (any of them may match)."""

    search_fields: tuple[str, ...] = ()
    q = django_filters.CharFilter(label=gettext_lazy("Search"), method="search",
                                  widget=forms.TextInput(attrs={"type": "search"}))

    def search(self, queryset, name, value):
        words = value.split()
        for word in words:
            queryset = queryset.filter(reduce(or_, (Q(**{f"{field}__icontains": word}) for field in self.search_fields)))
        return queryset


def saved_query(request) -> str:
    """The page's query string without what is not a view (page number, export)."""
    query = request.GET.copy()
    for key in NOT_SAVED:
        query.pop(key, None)
    return query.urlencode()


def list_page(request, *, name: str, title: str, queryset, filterset_class, table_class,
              template: str = "web/list_page.html", context: dict | None = None, exported: str | None = None):
    """Render the list ``name`` (also its export file's and saved views' name), or, when asked
    with ``?_export=csv|xlsx``, the filtered and sorted rows as a file. ``exported`` names the data
    in the audit trail: an export of it is recorded as a data export (personal data, audit)."""
    filterset = filterset_class(request.GET or None, queryset=queryset, request=request)
    rows = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
    table = table_class(rows)
    export_format = request.GET.get(EXPORT_PARAMETER)
    if export_format in EXPORT_FORMATS:
        RequestConfig(request, paginate=False).configure(table)
        if exported:
            record_data_export(actor=request.user, what=exported, row_count=len(table.rows),
                               filters={key: value for key, value in request.GET.items() if key != EXPORT_PARAMETER})
        return TableExport(export_format, table, exclude_columns=getattr(table_class, "not_exported", ())).response(
            f"{name}.{export_format}")
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    query = saved_query(request)
    return render(request, template, {
        "title": title, "list_name": name, "filter": filterset, "table": table, "total": table.paginator.count,
        "saved_views": saved_views_of(actor=request.user, list_name=name), "query": query,
        "export_links": [(fmt.upper(), "?" + "&".join(filter(None, [query, f"{EXPORT_PARAMETER}={fmt}"])))
                         for fmt in EXPORT_FORMATS],
        **(context or {}),
    })
