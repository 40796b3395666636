"""Security headers and CSP on every response; trusted hosts; CORS closed."""

import base64
import hashlib
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.routing import Route

from deskboard.app import create_app
from deskboard.config import ConfigError, Settings
from deskboard.web.headers import SecurityHeaders, inline_script_hashes

THEME_SCRIPT = "\n      document.documentElement.dataset.theme = 'dark'\n    "


def _csp(response: httpx.Response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {
        part.split(" ", 1)[0]: part.split(" ", 1)[1] if " " in part else ""
        for part in (p.strip() for p in policy.split(";"))
    }


def _assert_hardened(response: httpx.Response) -> None:
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in ("same-origin", "no-referrer")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "camera=()" in response.headers["Permissions-Policy"]
    csp = _csp(response)
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-eval'" not in csp["script-src"]
    assert csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'"
    assert csp["base-uri"] == "'self'"
    assert csp["img-src"] == "'self' data: blob:"


@pytest.fixture
def built_ui(tmp_path: Path) -> Path:
    """A built UI folder: an index with one inline script, and one static file."""
    (tmp_path / "index.html").write_text(
        f"<!doctype html><html><head><script>{THEME_SCRIPT}</script></head><body>"
        '<script type="module" src="/assets/app.js"></script></body></html>'
    )
    (tmp_path / "favicon.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    return tmp_path


@pytest.mark.parametrize(
    "method, path",
    [
        ("GET", "/healthz"),
        ("GET", "/api/auth/me"),  # 401
        ("GET", "/api/no-such-thing"),  # 404
        ("DELETE", "/api/auth/me"),  # 405
        ("POST", "/api/auth/login"),  # 422
        ("GET", "/"),  # the UI
        ("GET", "/favicon.svg"),  # a static file
        ("GET", "/tickets/12"),  # a UI route
    ],
)
async def test_every_response_carries_the_security_headers(client_with, built_ui, method, path):
    http = await client_with(frontend_dist=built_ui)

    _assert_hardened(await http.request(method, path))


async def test_the_inline_theme_script_is_admitted_by_its_hash(client_with, built_ui):
    http = await client_with(frontend_dist=built_ui)
    digest = base64.b64encode(hashlib.sha256(THEME_SCRIPT.encode()).digest()).decode()

    csp = _csp(await http.get("/"))

    assert csp["script-src"] == f"'self' 'sha256-{digest}'"


def test_the_hash_is_that_of_the_real_built_page(settings):
    """The built index.html (when built) has exactly the theme script and the import map that
    shares vue and @deskboard/sdk with plugins, both hashed."""
    index = settings.frontend_dist / "index.html"
    if not index.is_file():
        pytest.skip("the UI is not built")
    assert len(inline_script_hashes(index)) == 2
    assert '<script type="importmap">' in index.read_text()


async def test_the_socket_origin_is_allowed_and_hsts_only_under_https(client_with):
    plain = await client_with()
    secure = await client_with(base_url="https://test")

    plain_response, secure_response = await plain.get("/healthz"), await secure.get("/healthz")

    assert _csp(plain_response)["connect-src"] == "'self' ws://test"
    assert _csp(secure_response)["connect-src"] == "'self' wss://test"
    assert "Strict-Transport-Security" not in plain_response.headers
    assert secure_response.headers["Strict-Transport-Security"] == "max-age=31536000"


async def test_an_unhandled_error_still_carries_the_headers():
    async def boom(request: Request) -> None:
        raise RuntimeError("boom")

    app = SecurityHeaders(
        Starlette(routes=[Route("/", boom)]), index_html=Path("/nonexistent"), hsts_seconds=0
    )
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        response = await http.get("/")

    assert response.status_code == 500
    _assert_hardened(response)


async def test_an_unknown_host_is_refused(client_with):
    http = await client_with(allowed_hosts=["desk.example.com", "*.branch.example"])

    refused = await http.get("/healthz", headers={"Host": "evil.example"})

    assert refused.status_code == 400
    assert refused.json() == {"detail": "Invalid host header"}
    _assert_hardened(refused)
    for host in ("desk.example.com:8443", "DESK.example.com", "eu.branch.example"):
        assert (await http.get("/healthz", headers={"Host": host})).status_code == 200, host
    for host in ("branch.example", "desk.example.com.evil.example", "", "[::1]"):
        assert (await http.get("/healthz", headers={"Host": host})).status_code == 400, host


@pytest.mark.parametrize("host", ["localhost:8000", "127.0.0.1", "[::1]:8000", "[::1]"])
async def test_loopback_names_are_allowed_by_default_ipv6_included(client_with, host):
    http = await client_with(allowed_hosts=[], env="development")

    assert (await http.get("/healthz", headers={"Host": host})).status_code == 200


def test_default_hosts_are_loopback_and_the_bound_host_outside_production():
    settings = Settings(env="development", host="10.1.2.3", allowed_hosts=[])

    assert settings.resolved_allowed_hosts == ["localhost", "127.0.0.1", "::1", "10.1.2.3"]


def test_allowed_hosts_are_read_comma_separated(monkeypatch):
    monkeypatch.setenv("DESKBOARD_ALLOWED_HOSTS", "desk.example.com, .example.org")
    monkeypatch.setenv("DESKBOARD_TRUSTED_PROXIES", "10.0.0.1,10.2.0.0/16")

    settings = Settings()

    assert settings.allowed_hosts == ["desk.example.com", ".example.org"]
    assert settings.trusted_proxies == ["10.0.0.1", "10.2.0.0/16"]


def test_a_trusted_proxy_that_is_not_an_address_is_refused_at_start(monkeypatch):
    monkeypatch.setenv("DESKBOARD_TRUSTED_PROXIES", "10.0.0.1, proxy.internal")

    with pytest.raises(ValueError, match="'proxy.internal' is not an IP address or CIDR"):
        Settings()


def test_production_refuses_to_build_the_app_without_allowed_hosts(settings, database):
    production = settings.model_copy(update={"env": "production", "allowed_hosts": []})

    with pytest.raises(ConfigError, match="DESKBOARD_ALLOWED_HOSTS"):
        create_app(production, database)


async def test_cors_is_closed(client_with):
    http = await client_with()
    origin = {"Origin": "https://evil.example"}

    preflight = await http.options(
        "/api/tickets",
        headers={**origin, "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "authorization"},
    )  # fmt: skip
    simple = await http.get("/api/auth/me", headers=origin)

    for response in (preflight, simple):
        assert not [name for name in response.headers if name.startswith("access-control-")]
