"""URL hygiene: validating what users type, and one canonical form per article."""

from __future__ import annotations

from urllib.parse import SplitResult, parse_qsl, urlencode, urlsplit, urlunsplit

from bot.errors import UsageError

# Query parameters that only track the reader; they never change which article a URL names.
TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "_ga", "ref_src"}
)
TRACKING_PREFIXES = ("utm_", "mc_")


def ascii_host(host: str) -> str:
    """A host name as DNS sees it: lowercase ASCII (IDNA punycode), no trailing dot."""
    host = host.strip().lower().rstrip(".")
    if host.isascii():
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:  # not a valid IDN: left as is, it will not resolve
        return host


def check_url(url: str) -> str:
    """Return a stripped http(s) URL with a host, or raise ``UsageError`` saying what is wrong."""
    url = url.strip().strip("<>")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError as exc:
        raise UsageError(f"Not a valid URL: {url!r} ({exc}).") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise UsageError(f"Only http and https URLs can be followed, not {url!r}.")
    if not parts.hostname:
        raise UsageError(f"The URL {url!r} has no host.")
    if parts.username is not None or parts.password is not None:
        shown = urlunsplit((parts.scheme, _netloc(parts), parts.path, "", ""))
        raise UsageError(
            f"URLs with a user name or password are not followed ({shown}): "
            "they would be shown to everyone in `source list`."
        )
    return urlunsplit((parts.scheme.lower(), parts.netloc, parts.path or "/", parts.query, ""))


def item_link(url: str | None) -> str | None:
    """A feed item's link when it is a usable http(s) URL (cleaned, credentials dropped)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None  # javascript:, data:, mailto:, file: … are never fetched nor shown
    return clean_url(url)


def _tracking(name: str) -> bool:
    low = name.lower()
    return low in TRACKING_PARAMS or low.startswith(TRACKING_PREFIXES)


def _netloc(parts: SplitResult, host: str | None = None, *, default_ports: bool = True) -> str:
    """Host (bracketed when IPv6) and port, without any user name or password."""
    host = parts.hostname or "" if host is None else host
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    if port and (default_ports or port not in (80, 443)):
        return f"{host}:{port}"
    return host


def clean_url(url: str) -> str:
    """The URL without its fragment, tracking parameters or credentials (host spelling kept)."""
    parts = urlsplit(url.strip())
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _tracking(k)]
    netloc = parts.netloc.rsplit("@", 1)[-1]  # keeps the host's own spelling and port
    return urlunsplit((parts.scheme.lower(), netloc, parts.path, urlencode(query), ""))


def canonical_url(url: str) -> str:
    """One key per article: https, lowercase ASCII host without ``www.``, no default port, no
    fragment, credentials or tracking parameters, sorted query, no trailing slash."""
    parts = urlsplit(url.strip())
    host = ascii_host(parts.hostname or "").removeprefix("www.")
    query = sorted(
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _tracking(k)
    )
    path = parts.path.rstrip("/")
    scheme = "https" if parts.scheme.lower() in ("http", "https") else parts.scheme.lower()
    netloc = _netloc(parts, host, default_ports=False)
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))
