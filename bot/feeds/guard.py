"""The private-address guard: which hosts and IP addresses Dispatch may connect to.

Private, loopback and reserved addresses are refused unless ``DISPATCH_FETCH_ALLOW`` names the
host or a network holding the address (optionally with a port: ``localhost:8080``,
``[::1]:8080``, ``10.0.0.0/8:443``). Cloud metadata and link-local addresses are refused
whatever the allow-list says: an allow-listed name can still resolve (or rebind) to one, and a
metadata service hands out credentials.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable

from bot.feeds.urls import ascii_host

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]

# Cloud metadata endpoints: AWS/GCP/Azure/OpenStack share the v4 one, AWS Nitro has a v6 one,
# Alibaba Cloud uses 100.100.100.200 and Azure's WireServer 168.63.129.16.
METADATA = frozenset(
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "fd00:ec2::254", "100.100.100.200", "168.63.129.16")
)
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class Blocked(Exception):
    """A URL or address the guard refuses to connect to."""


def system_resolver(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to, via the system resolver."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise OSError(f"cannot resolve {host}: {exc}") from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _embedded(ip: IPAddress) -> list[IPAddress]:
    """IPv4 addresses hidden inside an IPv6 one (mapped, 6to4, Teredo, NAT64)."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return []
    out: list[IPAddress] = []
    if ip.ipv4_mapped:
        out.append(ip.ipv4_mapped)
    if ip.sixtofour:
        out.append(ip.sixtofour)
    if ip.teredo:
        out.extend(ip.teredo)
    if ip in NAT64:
        out.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return out


def why_never(ip: IPAddress) -> str | None:
    """Why ``ip`` is refused whatever the allow-list (metadata, link-local), or None."""
    for inner in _embedded(ip):
        reason = why_never(inner)
        if reason:
            return reason
    if ip in METADATA:
        return "a cloud metadata address"
    return "a link-local address" if ip.is_link_local else None


def why_forbidden(ip: IPAddress) -> str | None:
    """Why connecting to ``ip`` is refused by default, or None for a public address."""
    for inner in _embedded(ip):
        reason = why_forbidden(inner)
        if reason:
            return reason
    checks = (
        (ip in METADATA, "a cloud metadata address"),
        (ip.is_loopback, "a loopback address"),
        (ip.is_link_local, "a link-local address"),
        (ip.is_multicast, "a multicast address"),
        (ip.is_unspecified, "an unspecified address"),
        (ip.is_reserved, "a reserved address"),
        (ip.is_private, "a private address"),
        (not ip.is_global, "a reserved address"),
    )
    return next((reason for hit, reason in checks if hit), None)


def _split_port(entry: str) -> tuple[str, int | None]:
    """An allow-list entry as (host or network, port or None): ``[::1]:8080``, ``host:80``."""
    if entry.startswith("["):
        inside, _, rest = entry[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else ""
        return inside, int(port) if port.isdigit() else None
    host, colon, port = entry.partition(":")
    if colon and port.isdigit() and ":" not in port:
        return host, int(port)
    return entry, None


class Guard:
    """Refuses non-public addresses unless the allow-list (hosts or CIDRs, maybe with a port)
    permits them, and metadata or link-local addresses always."""

    def __init__(self, allow: Iterable[str] = (), resolver: Resolver | None = None) -> None:
        self.hosts: set[tuple[str, int | None]] = set()
        self.networks: list[tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, int | None]] = []
        for raw in allow:
            entry, port = _split_port(raw.strip().lower())
            if not entry:
                continue
            try:
                self.networks.append((ipaddress.ip_network(entry, strict=False), port))
            except ValueError:  # "пример.рф" and its punycode are one host
                self.hosts.add((ascii_host(entry), port))
        self.resolver = resolver or system_resolver

    def allowed_ip(self, ip: IPAddress, port: int | None = None) -> bool:
        """Whether an address (on ``port``) is in an allow-listed network."""
        return any(
            ip.version == net.version and ip in net and only in (None, port)
            for net, only in self.networks
        )

    def allowed_host(self, host: str, port: int) -> bool:
        """Whether a host name is allow-listed (for any port, or for this one)."""
        return (host, None) in self.hosts or (host, port) in self.hosts

    def vet(self, host: str, port: int) -> str:
        """Resolve ``host`` and return an address to connect to, or raise ``Blocked``.

        Every address of the answer is checked (one bad address refuses the host), so a
        name answering with a public and a private address cannot pick the private one.
        """
        host = ascii_host(host)
        addresses = [ipaddress.ip_address(a.split("%")[0]) for a in self.resolver(host, port)]
        if not addresses:
            raise OSError(f"cannot resolve {host}")
        host_ok = self.allowed_host(host, port)
        for ip in addresses:
            shown = host if host == str(ip) else f"{host} ({ip})"
            never = why_never(ip)
            if never:
                raise Blocked(f"refused to connect to {shown}: {never}, never allowed")
            reason = why_forbidden(ip)
            if reason and not host_ok and not self.allowed_ip(ip, port):
                raise Blocked(
                    f"refused to connect to {shown}: {reason} (allow it with DISPATCH_FETCH_ALLOW)"
                )
        return str(addresses[0])
