"""The client's address behind load balancers and proxies, for the sign-in lockout
(django-axes) and the rate limits.

``X-Forwarded-For`` is believed only as far as it was written by a trusted proxy
(``settings.POLKU_TRUSTED_PROXIES``, addresses or networks): the list is read from the
right, where the nearest proxy appended the address it saw, and the first address that
is not a trusted proxy is the client. Whatever a client writes into the header itself
stands further left and is never reached, so it cannot choose whom a lockout hits.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return any(address in network for network in settings.POLKU_TRUSTED_PROXY_NETWORKS)


def client_ip(request: HttpRequest) -> str:
    """The client's address as the nearest untrusted hop saw it (AXES_CLIENT_IP_CALLABLE)."""
    remote = str(request.META.get("REMOTE_ADDR", ""))
    nearest = _address(remote)
    if nearest is None or not _trusted(nearest):
        return remote
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    for hop in reversed(forwarded.split(",")):
        address = _address(hop)
        if address is None:  # not written by a proxy we trust: stop believing the header
            break
        if not _trusted(address):
            return str(address)
    return remote
