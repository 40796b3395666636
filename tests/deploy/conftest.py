"""The deploy tests build real multi-process topologies: PostgreSQL only (CI's PostgreSQL run),
so `make test` pays for them once, not once per database."""

import os

import pytest

from tests.deploy.cluster import PG_BIN


def postgres_base_url() -> str:
    url = os.environ.get("DESKBOARD_TEST_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        pytest.skip("multi-process topology: set DESKBOARD_TEST_DATABASE_URL to PostgreSQL")
    return url


def require_tools(*tools: str) -> None:
    import shutil

    for tool in tools:
        if shutil.which(tool) is None and not (PG_BIN / tool).exists():
            pytest.skip(f"{tool} is not installed (.ci/run installs it)")
