"""The S3-compatible store against a real S3 HTTP server (moto's standalone server, started
on a free loopback port): upload, dedup, download, removal."""

import hashlib
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator

import boto3
import httpx
import pytest

from deskboard.app import create_app
from deskboard.attachments.storage import S3Store, shard_path
from tests.conftest import auth_headers

BUCKET = "deskboard-files"


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"}
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
        text=True,
    )
    try:
        endpoint = None
        deadline = time.monotonic() + 30
        assert process.stdout is not None
        while endpoint is None and time.monotonic() < deadline:
            line = process.stdout.readline()
            found = re.search(r"Running on (http://127\.0\.0\.1:\d+)", line)
            if found:
                endpoint = found.group(1)
        assert endpoint, "moto_server did not start"
        client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id="test",
            aws_secret_access_key="test",
        )
        client.create_bucket(Bucket=BUCKET)
        yield endpoint
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture
async def s3_app(settings, database, s3_endpoint):
    s3_settings = settings.model_copy(
        update={
            "attachment_store": "s3",
            "attachment_s3_bucket": BUCKET,
            "attachment_s3_endpoint_url": s3_endpoint,
            "attachment_s3_region": "us-east-1",
            "attachment_s3_access_key_id": "test",
            "attachment_s3_secret_access_key": "test",
        }
    )
    app = create_app(s3_settings, database)
    async with app.router.lifespan_context(app):
        yield app, S3Store(s3_settings)


async def test_files_go_to_the_bucket_once_and_leave_when_unused(s3_app, make_user, settings):
    app, store = s3_app
    user = await make_user("user")
    admin = await make_user("admin")
    transport = httpx.ASGITransport(app=app)
    async with (
        httpx.AsyncClient(
            transport=transport, base_url="http://test", headers=auth_headers(user)
        ) as http,
        httpx.AsyncClient(
            transport=transport, base_url="http://test", headers=auth_headers(admin)
        ) as root,
    ):
        ticket = (await http.post("/api/tickets", json={"title": "S3"})).json()
        content = b"stored in a bucket\n" * 1000
        sha = hashlib.sha256(content).hexdigest()
        urls = []
        for name in ("a.txt", "b.txt"):
            made = await http.post(
                f"/api/tickets/{ticket['id']}/attachments", files={"file": (name, content)}
            )
            assert made.status_code == 201, made.text
            urls.append(made.json()["url"])
        assert await store.contains(sha)
        listed = store.client.list_objects_v2(Bucket=BUCKET)["Contents"]
        assert [o["Key"] for o in listed if o["Key"].endswith(sha)] == [
            f"attachments/{shard_path(sha)}"
        ]
        download = await http.get(urls[0])
        assert download.status_code == 200 and download.content == content
        assert download.headers["content-disposition"].startswith("attachment;")
        # Nothing is written to the local folder when the store is S3.
        assert not (settings.data_dir / "attachments" / shard_path(sha)).exists()
        assert (await root.delete(urls[0])).status_code == 204
        assert await store.contains(sha)  # the other attachment still uses it
        assert (await http.delete(urls[1])).status_code == 204
        assert not await store.contains(sha)
