"""The private-address guard: which hosts and IP addresses Dispatch may connect to."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable

from bot.feeds.urls import ascii_host

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]

# Cloud metadata endpoints (AWS/GCP/Azure/OpenStack share the v4 one; AWS Nitro has a v6 one).
METADATA = frozenset(
    {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
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


class Guard:
    """Refuses non-public addresses unless the allow-list (hosts or CIDRs) permits them."""

    def __init__(self, allow: Iterable[str] = (), resolver: Resolver | None = None) -> None:
        self.hosts: set[str] = set()
        self.networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
        for entry in allow:
            entry = entry.strip().lower().strip("[]")
            if not entry:
                continue
            try:
                self.networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                self.hosts.add(ascii_host(entry))  # "пример.рф" and its punycode are one host
        self.resolver = resolver or system_resolver

    def allowed_ip(self, ip: IPAddress) -> bool:
        """Whether an address is in an allow-listed network."""
        return any(ip.version == net.version and ip in net for net in self.networks)

    def vet(self, host: str, port: int) -> str:
        """Resolve ``host`` and return an address to connect to, or raise ``Blocked``."""
        host = ascii_host(host)
        addresses = [ipaddress.ip_address(a.split("%")[0]) for a in self.resolver(host, port)]
        if not addresses:
            raise OSError(f"cannot resolve {host}")
        if host in self.hosts:
            return str(addresses[0])
        for ip in addresses:
            reason = why_forbidden(ip)
            if reason and not self.allowed_ip(ip):
                shown = host if host == str(ip) else f"{host} ({ip})"
                raise Blocked(
                    f"refused to connect to {shown}: {reason} (allow it with DISPATCH_FETCH_ALLOW)"
                )
        return str(addresses[0])
