"""The test suite itself is offline: the autouse guard refuses any non-loopback connect or lookup."""

from __future__ import annotations

import socket
import threading

import pytest

from tests.conftest import NetworkGuard, StrayNetworkCall


@pytest.mark.parametrize(
    ("target", "what"),
    [
        (("192.0.2.1", 443), "connect"),  # TEST-NET-1: refused before any packet leaves
        (("2001:db8::1", 443), "connect"),
        (("api.openai.com", 443), "DNS lookup"),
    ],
)
def test_a_non_loopback_connect_fails_the_test(
    network_guard: NetworkGuard, target: tuple[str, int], what: str
) -> None:
    with pytest.raises(StrayNetworkCall, match=what):
        socket.create_connection(target, timeout=0.1)
    assert network_guard.strays and network_guard.strays[0].startswith(what)
    network_guard.strays.clear()  # seen and expected here; any other test would fail at teardown


def test_loopback_connects_are_allowed(network_guard: NetworkGuard) -> None:
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    accepted = threading.Thread(target=lambda: server.accept()[0].close(), daemon=True)
    accepted.start()
    with socket.create_connection(("localhost", port), timeout=5):
        pass
    accepted.join(5)
    server.close()
    assert network_guard.strays == []
