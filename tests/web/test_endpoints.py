"""Docs, metrics and readiness: configurable, closed by default in production, no leaks."""

import logging
import subprocess

import pytest

from deskboard.db import Database, get_database, set_database
from tests.web.conftest import serve_command

PRODUCTION = {"env": "production", "allowed_hosts": ["test"]}


async def test_swagger_ui_is_served_locally_under_the_apps_csp(client_with):
    http = await client_with()

    page = await http.get("/api/docs")
    bundle = await http.get("/api/docs/swagger-ui-bundle.js")
    init = await http.get("/api/docs/init.js")
    css = await http.get("/api/docs/swagger-ui.css")

    assert page.status_code == 200
    assert "http" not in page.text.replace('"/api/', "")  # no CDN: every asset is ours
    assert "<script>" not in page.text  # scripts come from files only
    policy = page.headers["Content-Security-Policy"]  # the app's own: no exception for docs
    assert "unsafe" not in policy and "frame-ancestors 'none'" in policy
    assert bundle.status_code == 200 and "SwaggerUIBundle" in bundle.text
    assert bundle.headers["content-type"].startswith("text/javascript")
    assert '"url": "/api/openapi.json"' in init.text
    assert css.status_code == 200
    assert (await http.get("/api/docs/..%2F__init__.py")).status_code == 404
    assert (await http.get("/api/docs/core.py")).status_code == 404


async def test_docs_and_schema_are_closed_in_production_by_default(client_with):
    http = await client_with(**PRODUCTION)

    for path in ("/api/docs", "/api/openapi.json", "/api/docs/init.js"):
        assert (await http.get(path)).status_code == 404, path


async def test_docs_can_be_opened_in_production(client_with):
    http = await client_with(**PRODUCTION, expose_docs=True)

    assert (await http.get("/api/docs")).status_code == 200
    assert (await http.get("/api/openapi.json")).json()["info"]["title"] == "Deskboard"


async def test_docs_can_be_closed_in_development(client_with):
    http = await client_with(expose_docs=False)

    assert (await http.get("/api/openapi.json")).status_code == 404


async def test_metrics_are_closed_in_production_by_default(client_with):
    http = await client_with(**PRODUCTION)

    assert (await http.get("/metrics")).status_code == 404


async def test_metrics_with_a_token_need_that_token(client_with):
    http = await client_with(**PRODUCTION, metrics_token="scrape-me-please")

    missing = await http.get("/metrics")
    wrong = await http.get("/metrics", headers={"Authorization": "Bearer nope"})
    right = await http.get("/metrics", headers={"Authorization": "Bearer scrape-me-please"})

    assert missing.status_code == wrong.status_code == 401
    assert right.status_code == 200
    assert "deskboard_ws" in right.text or "python_info" in right.text


async def test_metrics_can_be_opened_in_production(client_with):
    http = await client_with(**PRODUCTION, expose_metrics=True)

    assert (await http.get("/metrics")).status_code == 200


async def test_readyz_logs_the_reason_instead_of_answering_it(client, settings, caplog):
    # A database that refuses connections: its error text names the host and port.
    unreachable = Database(
        settings.model_copy(
            update={"database_url": "postgresql+asyncpg://spy:hunter2@127.0.0.1:1/secretdb"}
        )
    )
    previous = get_database()
    set_database(unreachable)
    try:
        with caplog.at_level(logging.ERROR, logger="deskboard.web.ops"):
            response = await client.get("/readyz")
    finally:
        set_database(previous)
        await unreachable.dispose()

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}
    assert "Readiness check failed" in caplog.text
    assert "127.0.0.1" in caplog.text  # the reason is in the log, for the operator


@pytest.mark.parametrize("missing", ["DESKBOARD_ALLOWED_HOSTS"])
def test_serve_in_production_without_allowed_hosts_refuses_in_one_line(missing, tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "DESKBOARD_ENV": "production",
        "DESKBOARD_SECRET_KEY": "x" * 64,
        "DESKBOARD_DATA_DIR": str(tmp_path),
    }
    done = subprocess.run(serve_command(), env=env, capture_output=True, text=True, timeout=120)

    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and missing in lines[0], done.stderr
