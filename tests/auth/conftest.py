import httpx
import pytest

from deskboard.auth.ratelimit import reset_rate_limits
from tests.conftest import register_reset

# Rate-limit counts are process-wide: forget them after each test so tests stay independent.
register_reset(reset_rate_limits)


@pytest.fixture
async def from_address(app):
    """Factory: a client whose requests come from the given IP address (over http or https)."""
    opened: list[httpx.AsyncClient] = []

    def factory(address: str, scheme: str = "http") -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app, client=(address, 40000))
        http = httpx.AsyncClient(transport=transport, base_url=f"{scheme}://test")
        opened.append(http)
        return http

    yield factory
    for http in opened:
        await http.aclose()
