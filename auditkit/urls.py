"""URL normalisation and classification shared by the crawler and the link checker."""

from __future__ import annotations

import ipaddress
from urllib.parse import urldefrag, urlsplit, urlunsplit

LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "::1"]


def normalize(url: str) -> str:
    """Drop the fragment, lower-case scheme and host, drop default ports."""
    url, _ = urldefrag(url.strip())
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    port = parts.port
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    netloc = host if port in (None, default) else f"{host}:{port}"
    if ":" in host and not host.startswith("["):
        netloc = f"[{host}]" if port in (None, default) else f"[{host}]:{port}"
    path = parts.path or "/"
    return urlunsplit((parts.scheme.lower(), netloc, path, parts.query, ""))


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def is_http(url: str) -> bool:
    return urlsplit(url).scheme.lower() in ("http", "https")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def host_allowed(url: str, allow_hosts: list[str] | None) -> bool:
    """Offline mode: with an allow-list, only those hosts (and loopback addresses) are contacted."""
    return allowed_host(host_of(url), allow_hosts)


def allowed_host(host: str, allow_hosts: list[str] | None) -> bool:
    """``host_allowed`` for a bare host name."""
    if allow_hosts is None:
        return True
    host = host.lower()
    return host in allow_hosts or (is_loopback(host) and any(is_loopback(h) for h in allow_hosts))


def site_hosts(start_url: str, extra: list[str]) -> set[str]:
    host = host_of(start_url)
    hosts = {host, *(h.lower() for h in extra)}
    if host.startswith("www."):
        hosts.add(host[4:])
    elif not is_loopback(host):
        hosts.add("www." + host)
    return hosts


def has_extension(url: str, extensions: list[str]) -> bool:
    path = urlsplit(url).path.lower()
    return any(path.endswith(ext) for ext in extensions)
