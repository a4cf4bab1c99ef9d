"""Saving and deleting a user's views of a list page (see web/lists.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from secretariat.core.exceptions import DomainError, InvalidInput
from secretariat.core.saved_views import delete_list_view, save_list_view


def refusal_text(error: DomainError) -> str:
    if isinstance(error, InvalidInput) and error.errors:
        return " ".join(str(message) for messages_ in error.errors.values() for message in messages_)
    return str(error)


def back_to(request, fallback: str) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = fallback
    return HttpResponseRedirect(target or fallback)


@login_required
@require_POST
def save_view(request):
    try:
        view = save_list_view(actor=request.user, list_name=request.POST.get("list_name", "")[:100],
                              name=request.POST.get("name", ""), query=request.POST.get("query", ""))
    except DomainError as error:
        messages.error(request, refusal_text(error))
        return back_to(request, "/")
    messages.success(request, _("View “%(name)s” saved.") % {"name": view.name})
    return back_to(request, "/")


@login_required
@require_POST
def delete_view(request, pk):
    try:
        delete_list_view(actor=request.user, view_id=pk)
    except DomainError as error:
        messages.error(request, refusal_text(error))
    else:
        messages.success(request, _("View deleted."))
    return back_to(request, "/")
