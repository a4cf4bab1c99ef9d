"""``{% may_open "app.permission" … as name %}``: whether the signed-in user holds any of the
permissions, for links inside an app's pages (the main menu does the same in web/navigation.py)."""

from django import template

from secretariat.core.access import permission_checker

register = template.Library()


@register.simple_tag(takes_context=True)
def may_open(context, *permissions: str) -> bool:
    request = context.get("request")
    if request is None:
        return False
    # One query per request, however many links ask.
    if not hasattr(request, "_permission_checker"):
        request._permission_checker = permission_checker(actor=request.user)
    return any(request._permission_checker(permission) for permission in permissions)
