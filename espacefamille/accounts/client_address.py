"""The client's address, read through the reverse proxies the deployment trusts.

Behind a proxy every request comes from the proxy's address; the client's is in
``X-Forwarded-For``, which anybody can also forge. So the header is read only when the
connection comes from a trusted proxy (``TRUSTED_PROXIES``: addresses or networks), from the
right, skipping the trusted proxies: the first address that is not one of them is the client.
Without trusted proxies the connection's address is the client's. Used by axes
(``AXES_CLIENT_IP_CALLABLE``) and by the sign-up limit."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _parse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return any(address in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address as text, or None when the connection gives none."""
    peer = _parse(request.META.get("REMOTE_ADDR", ""))
    if peer is None:
        return None
    if not _trusted(peer):
        return str(peer)
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:
            return str(peer)  # a garbled header: trust nothing beyond the proxy
        if not _trusted(address):
            return str(address)
    return str(peer)
