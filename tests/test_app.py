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
