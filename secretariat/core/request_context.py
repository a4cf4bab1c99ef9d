"""Who is acting and from where, for the audit trail, without passing the request around."""

import ipaddress
from contextvars import ContextVar
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv6Address

from django.conf import settings


@dataclass(frozen=True)
class RequestContext:
    ip_address: str | None
    user_agent: str = ""


IPAddress = IPv4Address | IPv6Address

current_request_context: ContextVar[RequestContext | None] = ContextVar("current_request_context", default=None)


def parsed_address(value: str | None) -> IPAddress | None:
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def is_trusted_proxy(address: IPAddress | None) -> bool:
    return address is not None and any(address in network for network in settings.SECRETARIAT_TRUSTED_PROXIES)


def client_ip(request) -> str | None:
    """The client's address: the socket's, unless a configured proxy forwarded the request.

    Anyone can send X-Forwarded-For, and each proxy appends the address it saw, so the header is
    read from the right while the hops are our own proxies; the first other address is the
    client (a malformed one stops the walk at the last proxy). django-axes locks out by this
    address too (AXES_CLIENT_IP_CALLABLE).
    """
    address = request.META.get("REMOTE_ADDR") or None
    if not is_trusted_proxy(parsed_address(address)):
        return address
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed(hops):
        hop_address = parsed_address(hop)
        if hop_address is None:
            return address
        if not is_trusted_proxy(hop_address):
            return str(hop_address)
        address = str(hop_address)
    return address


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_request_context.set(
            RequestContext(ip_address=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")[:200])
        )
        try:
            return self.get_response(request)
        finally:
            current_request_context.reset(token)
