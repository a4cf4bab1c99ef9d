from django.shortcuts import render

from secretariat.core.audit import record_audit_event


def refused(request, error):
    """A clear page for a refused action; refusals of authority are audited as security events."""
    detail = str(error) if error is not None else ""
    status = getattr(error, "status", 403)
    if status == 403:
        record_audit_event(actor=request.user, action="security.access_denied",
                           changes={"method": request.method, "path": request.path, "detail": detail})
    return render(request, "web/refused.html", {"detail": detail}, status=status)
