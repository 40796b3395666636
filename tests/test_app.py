async def test_healthz_answers_ok(client):
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_reaches_the_database(client, database):
    response = await client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["status"] == "ready"


async def test_unknown_api_path_is_json_404(client):
    response = await client.get("/api/nothing-here")
    assert response.status_code == 404
    assert "detail" in response.json()


async def test_body_over_one_mebibyte_is_refused_with_413(client):
    response = await client.post(
        "/api/anything",
        content=b"x" * (1024 * 1024 + 1),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 413


async def test_metrics_are_prometheus_text(client):
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert "python_info" in response.text


async def test_a_lost_database_connection_is_503_with_retry_after():
    import httpx
    from fastapi import FastAPI
    from sqlalchemy.exc import OperationalError

    from deskboard.core.errors import install_error_handlers

    app = FastAPI()
    install_error_handlers(app)

    @app.get("/lost")
    async def lost() -> None:
        raise OperationalError("SELECT 1", {}, ConnectionResetError("connection was closed"))

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        response = await http.get("/lost")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"
    assert "retry" in response.json()["detail"]


async def test_an_api_path_asked_with_the_wrong_method_is_405_with_allow(client):
    response = await client.get("/api/auth/login")
    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"
    assert response.json()["detail"] == "Method not allowed"
    assert (await client.get("/api/tickets/1/nothing")).status_code == 404
