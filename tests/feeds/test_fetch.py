"""The fetcher: the private-address guard, redirects, size cap, content types, politeness."""

from __future__ import annotations

import gzip
import ipaddress
from datetime import timedelta
from typing import Any

import pytest

from bot.feeds.fetch import USER_AGENT, Fetcher, FetchError, Refused
from bot.feeds.guard import Blocked, Guard, why_forbidden
from bot.settings import Settings
from tests.conftest import T0, Clock
from tests.feeds.conftest import Site


def fetcher(allow: list[str] | None = None, resolver: Any = None, **kw: Any) -> Fetcher:
    settings = Settings(fetch_allow=allow or [], **kw)
    return Fetcher(settings, clock=Clock(T0), resolver=resolver, timeout=5, deadline=10)


def fake_dns(table: dict[str, list[str]], calls: list[str] | None = None) -> Any:
    """A resolver answering from a table (never the real DNS)."""

    def resolve(host: str, port: int) -> list[str]:
        if calls is not None:
            calls.append(host)
        if host in table:
            return table[host]
        ipaddress.ip_address(host)  # literal addresses resolve to themselves
        return [host]

    return resolve


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("127.0.0.2", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.9", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "metadata"),
        ("169.254.1.1", "link-local"),
        ("100.64.0.1", "reserved"),
        ("0.0.0.0", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("::1", "loopback"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("fd00:ec2::254", "metadata"),
        ("100.100.100.200", "metadata"),  # Alibaba Cloud
        ("169.254.170.2", "link-local"),  # ECS task credentials
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:169.254.169.254", "metadata"),
        ("2002:a00:1::", "private"),  # 6to4 wrapping 10.0.0.1
        ("64:ff9b::a00:1", "private"),  # NAT64 wrapping 10.0.0.1
    ],
)
def test_non_public_addresses_are_forbidden(address: str, reason: str) -> None:
    found = why_forbidden(ipaddress.ip_address(address))
    assert found is not None and reason in found


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses_pass(address: str) -> None:
    assert why_forbidden(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/feed",
        "http://10.0.0.7/feed",
        "http://[::1]:{port}/feed",
    ],
)
def test_private_urls_are_refused_without_allow_list(site: Site, url: str) -> None:
    site.put("/feed", "<rss/>", "application/rss+xml")
    with pytest.raises(Refused, match="DISPATCH_FETCH_ALLOW"):
        fetcher().get(url.format(port=site.port), accept="feed")
    assert site.hits == []


@pytest.mark.parametrize(
    "url", ["http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/latest/meta-data/"]
)
def test_metadata_urls_are_refused_without_suggesting_the_allow_list(url: str) -> None:
    with pytest.raises(Refused, match=r"a cloud metadata address, never allowed$"):
        fetcher(["0.0.0.0/0", "::/0"]).get(url, accept="feed")


def test_hostnames_are_checked_after_resolution() -> None:
    dns = fake_dns({"evil.test": ["10.0.0.5"], "mixed.test": ["93.184.216.34", "127.0.0.1"]})
    with pytest.raises(Refused, match=r"evil\.test \(10\.0\.0\.5\): a private address"):
        fetcher(resolver=dns).get("http://evil.test/feed", accept="feed")
    with pytest.raises(Refused, match="loopback"):
        fetcher(resolver=dns).get("https://mixed.test/feed", accept="feed")


@pytest.mark.parametrize(
    "scheme_url", ["file:///etc/passwd", "ftp://example.com/feed", "gopher://x/"]
)
def test_only_http_and_https_are_fetched(scheme_url: str) -> None:
    with pytest.raises(Refused, match="only http and https"):
        fetcher().get(scheme_url, accept="feed")


def test_allow_list_admits_the_loopback_server_and_sends_a_clear_user_agent(site: Site) -> None:
    site.put("/feed", "<rss/>", "application/rss+xml")
    resp = fetcher(["127.0.0.1"]).get(site.url("/feed"), accept="feed")
    assert resp.status == 200 and resp.body == b"<rss/>"
    assert site.hits[0].headers["user-agent"] == USER_AGENT


def test_redirect_to_a_private_address_is_refused_after_the_hop(site: Site) -> None:
    site.put("/go", "", status=302, headers={"Location": f"http://127.0.0.2:{site.port}/secret"})
    with pytest.raises(Refused, match=r"127\.0\.0\.2: a loopback address"):
        fetcher(["127.0.0.1"]).get(site.url("/go"), accept="page")
    assert site.count("/go") == 1


def test_allowed_hostname_does_not_open_other_loopback_addresses(site: Site) -> None:
    dns = fake_dns({"localhost": ["127.0.0.1"]})
    site.put("/ok", "<html><body>fine</body></html>")
    site.put("/go-ok", "", status=301, headers={"Location": "/ok"})
    site.put("/go-bad", "", status=307, headers={"Location": f"http://127.0.0.2:{site.port}/ok"})
    allowed = fetcher(["localhost"], resolver=dns)
    resp = allowed.get(site.url("/go-ok", host="localhost"), accept="page")
    assert resp.url == site.url("/ok", host="localhost") and b"fine" in resp.body
    with pytest.raises(Refused, match=r"127\.0\.0\.2"):
        allowed.get(site.url("/go-bad", host="localhost"), accept="page")


def test_connection_goes_to_the_vetted_address(site: Site) -> None:
    calls: list[str] = []
    dns = fake_dns({"news.test": ["127.0.0.1"]}, calls)
    site.put("/feed", "<rss/>", "application/rss+xml")
    fetcher(["127.0.0.1"], resolver=dns).get(site.url("/feed", host="news.test"), accept="feed")
    assert calls == ["news.test"]  # resolved once, by the guard; the socket reused its answer
    assert site.hits[0].headers["host"] == f"news.test:{site.port}"


def test_redirect_loops_stop_after_five_hops(site: Site) -> None:
    site.put("/loop", "", status=302, headers={"Location": "/loop"})
    with pytest.raises(FetchError, match="more than 5 redirects"):
        fetcher(["127.0.0.1"]).get(site.url("/loop"), accept="page")
    assert site.count("/loop") == 6


@pytest.mark.parametrize("declared", [True, False])
def test_oversize_responses_are_abandoned(site: Site, declared: bool) -> None:
    site.put("/big", "<p>" + "x" * 5000 + "</p>", length=declared)
    with pytest.raises(FetchError, match="larger than the 2,000-byte cap"):
        fetcher(["127.0.0.1"], max_article_bytes=2000).get(site.url("/big"), accept="page")


def test_gzip_bodies_are_decoded_and_capped(site: Site) -> None:
    small = gzip.compress(b"<html>hello</html>")
    bomb = gzip.compress(b"<html>" + b" " * 1_000_000)
    for path, body in (("/small", small), ("/bomb", bomb)):
        site.put(path, body, headers={"Content-Encoding": "gzip"})
    f = fetcher(["127.0.0.1"], max_article_bytes=50_000)
    assert f.get(site.url("/small"), accept="page").body == b"<html>hello</html>"
    with pytest.raises(FetchError, match="larger than"):
        f.get(site.url("/bomb"), accept="page")


@pytest.mark.parametrize(
    ("accept", "ctype", "ok"),
    [
        ("page", "application/pdf", False),
        ("page", "application/rss+xml", False),
        ("page", "application/xhtml+xml", True),
        ("feed", "image/png", False),
        ("feed", "application/atom+xml; charset=utf-8", True),
        ("feed", "text/xml", True),
    ],
)
def test_content_types_are_checked(site: Site, accept: Any, ctype: str, ok: bool) -> None:
    site.put("/doc", "<x/>", ctype)
    f = fetcher(["127.0.0.1"])
    if ok:
        assert f.get(site.url("/doc"), accept=accept).status == 200
    else:
        with pytest.raises(FetchError, match="expected a"):
            f.get(site.url("/doc"), accept=accept)


def test_http_errors_carry_retry_after(site: Site) -> None:
    site.put("/busy", "slow down", "text/plain", status=429, headers={"Retry-After": "120"})
    site.put("/gone", "nope", "text/plain", status=404)
    f = fetcher(["127.0.0.1"])
    with pytest.raises(FetchError) as busy:
        f.get(site.url("/busy"), accept="feed")
    assert busy.value.retry_at == T0 + timedelta(seconds=120)
    with pytest.raises(FetchError, match="HTTP 404"):
        f.get(site.url("/gone"), accept="feed")


@pytest.mark.parametrize(
    ("value", "asked"),
    [
        ("99999999999999999999", "server asked to wait 1,157,407,407,407,407 days"),
        ("86400000000000", "server asked to wait 1,000,000,000 days"),
        ("Fri, 31 Dec 9999 23:59:59 GMT", "server asked to wait until 9999-12-31"),
    ],
    ids=["20-digit seconds", "past timedelta", "year 9999"],
)
def test_a_retry_after_far_in_the_future_is_clamped_to_a_day(
    site: Site, value: str, asked: str
) -> None:
    site.put("/busy", "slow down", "text/plain", status=429, headers={"Retry-After": value})
    with pytest.raises(FetchError) as busy:
        fetcher(["127.0.0.1"]).get(site.url("/busy"), accept="feed")
    assert busy.value.retry_at == T0 + timedelta(days=1)
    assert busy.value.reason == f"HTTP 429 Too Many Requests ({asked}; waiting 1 day)"


def test_conditional_get_sends_validators(site: Site) -> None:
    site.put("/feed", "<rss/>", "application/rss+xml", etag='"v1"')
    f = fetcher(["127.0.0.1"])
    first = f.get(site.url("/feed"), accept="feed")
    again = f.get(
        site.url("/feed"),
        accept="feed",
        etag=first.headers["etag"],
        last_modified="Wed, 05 Mar 2025 10:00:00 GMT",
    )
    assert again.not_modified and again.body == b""
    assert site.hits[1].headers["if-none-match"] == '"v1"'
    assert site.hits[1].headers["if-modified-since"] == "Wed, 05 Mar 2025 10:00:00 GMT"


def test_connection_refused_is_a_one_line_reason(site: Site) -> None:
    port = site.port
    site.close()
    with pytest.raises(FetchError, match="refused"):
        fetcher(["127.0.0.1"]).get(f"http://127.0.0.1:{port}/feed", accept="feed")
    site.server = _Stopped()  # type: ignore[assignment]


class _Stopped:
    def shutdown(self) -> None:
        pass

    def server_close(self) -> None:
        pass


def test_guard_parses_hosts_and_cidrs() -> None:
    guard = Guard(
        ["10.0.0.0/8", " LocalHost ", "[::1]"], resolver=fake_dns({"localhost": ["127.0.0.1"]})
    )
    assert guard.vet("10.9.9.9", 80) == "10.9.9.9"
    assert guard.vet("localhost", 80) == "127.0.0.1"
    assert guard.vet("::1", 80) == "::1"


NEVER = [
    "169.254.169.254",
    "169.254.170.2",
    "169.254.0.1",
    "fe80::1",
    "fd00:ec2::254",
    "100.100.100.200",
    "::ffff:169.254.169.254",
    "64:ff9b::a9fe:a9fe",  # NAT64 wrapping 169.254.169.254
]


@pytest.mark.parametrize("address", NEVER)
@pytest.mark.parametrize(
    "allow",
    [
        ["feeds.test"],
        ["feeds.test:80"],
        ["0.0.0.0/0", "::/0"],
        ["169.254.0.0/16", "fe80::/10", "fd00::/8", "100.64.0.0/10"],
    ],
)
def test_metadata_and_link_local_addresses_are_never_allowed(
    allow: list[str], address: str
) -> None:
    guard = Guard(allow, resolver=fake_dns({"feeds.test": [address]}))
    with pytest.raises(Blocked, match=r"never allowed"):
        guard.vet("feeds.test", 80)
    with pytest.raises(Blocked, match=r"never allowed"):
        guard.vet(address, 80)


def test_an_allowed_name_that_rebinds_to_metadata_is_refused(site: Site) -> None:
    site.put("/feed", "<rss/>", "application/rss+xml")
    answers = iter([["127.0.0.1"], ["127.0.0.1", "169.254.169.254"], ["169.254.169.254"]])
    f = fetcher(["news.test"], resolver=lambda host, port: next(answers))
    assert f.get(site.url("/feed", host="news.test"), accept="feed").status == 200
    for _ in range(2):
        with pytest.raises(Refused, match=r"news\.test \(169\.254\.169\.254\): a cloud metadata"):
            f.get(site.url("/feed", host="news.test"), accept="feed")
    assert len(site.hits) == 1


@pytest.mark.parametrize("entry", ["localhost:{port}", "127.0.0.1:{port}", "127.0.0.0/8:{port}"])
def test_an_allow_list_entry_with_a_port_allows_that_port_only(site: Site, entry: str) -> None:
    site.put("/feed", "<rss/>", "application/rss+xml")
    f = fetcher([entry.format(port=site.port)], resolver=fake_dns({"localhost": ["127.0.0.1"]}))
    host = "localhost" if entry.startswith("localhost") else "127.0.0.1"
    assert f.get(site.url("/feed", host=host), accept="feed").status == 200
    with pytest.raises(Refused, match="a loopback address"):
        f.get(f"http://{host}:{site.port + 1}/feed", accept="feed")


def test_an_ipv6_allow_list_entry_may_name_a_port() -> None:
    guard = Guard(["[::1]:8080", "[fc00::/7]:443"])
    assert guard.vet("::1", 8080) == "::1"
    assert guard.vet("fc00::5", 443) == "fc00::5"
    for host, port in (("::1", 8081), ("fc00::5", 80)):
        with pytest.raises(Blocked):
            guard.vet(host, port)


# -- HTTPS: the connection goes to the vetted address, the certificate is checked for the name --
@pytest.fixture
def tls_site(site: Site, tmp_path: Any) -> Any:
    """The loopback site behind TLS with a self-signed certificate for "localhost"."""
    import shutil
    import ssl
    import subprocess

    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    server_side = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_side.load_cert_chain(cert, key)
    site.server.socket = server_side.wrap_socket(site.server.socket, server_side=True)
    return cert


def test_https_verifies_the_certificate_against_the_host_name(site: Site, tls_site: Any) -> None:
    import ssl

    site.put("/feed", "<rss/>", "application/rss+xml")
    dns = fake_dns({"localhost": ["127.0.0.1"], "news.test": ["127.0.0.1"]})
    trusting = ssl.create_default_context(cafile=str(tls_site))
    f = Fetcher(Settings(fetch_allow=["127.0.0.1"]), resolver=dns, tls=trusting, timeout=5)
    url = f"https://localhost:{site.port}/feed"
    assert f.get(url, accept="feed").body == b"<rss/>"
    with pytest.raises(FetchError, match="TLS error"):
        f.get(f"https://news.test:{site.port}/feed", accept="feed")  # certificate is for localhost
    strict = Fetcher(Settings(fetch_allow=["127.0.0.1"]), resolver=dns, timeout=5)
    with pytest.raises(FetchError, match="TLS error"):
        strict.get(url, accept="feed")  # self-signed: not trusted by default


def test_unusual_characters_in_paths_are_encoded(site: Site) -> None:
    site.put("/caf%C3%A9%20news?q=a%20b", "<html>ok</html>")
    resp = fetcher(["127.0.0.1"]).get(site.url("/café news?q=a%20b"), accept="page")
    assert resp.body == b"<html>ok</html>"
