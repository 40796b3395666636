"""deploy/: the compose file's shape, the image recipe's stages, nginx accepting the proxy
config, and the README naming every setting. No container engine runs here (the `docker`
client has no daemon and no compose plugin), so `docker compose config` runs only where the
plugin exists; the topology itself is tested without containers (test_topology.py)."""

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
import yaml

from deskboard.config import Settings
from deskboard.realtime.settings import RealtimeSettings
from tests.deploy.cluster import ROOT, Proxy

DEPLOY = ROOT / "deploy"


def _compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def test_the_readme_documents_every_setting() -> None:
    readme = (DEPLOY / "README.md").read_text()
    names = [f"DESKBOARD_{name.upper()}" for name in Settings.model_fields]
    names += [f"DESKBOARD_WS_{name.upper()}" for name in RealtimeSettings.model_fields]
    names += ["DESKBOARD_TLS_CERTFILE", "DESKBOARD_TLS_KEYFILE"]
    missing = [name for name in names if f"`{name}`" not in readme]
    assert not missing, f"deploy/README.md does not document {missing}"
    documented = set(re.findall(r"`(DESKBOARD_[A-Z0-9_]+)`", readme))
    assert not documented - set(names), "README documents settings that do not exist"


def test_compose_has_the_whole_topology() -> None:
    compose = _compose()
    services = compose["services"]
    assert {"postgres", "redis", "migrate", "proxy"} <= set(services)
    replicas = [name for name in services if name.startswith("api-")]
    assert len(replicas) >= 2
    for name in ("postgres", "redis"):
        assert services[name]["healthcheck"]["test"]
    migrate = services["migrate"]
    assert migrate["command"] == ["deskboard", "migrate"]
    assert migrate["restart"] == "no"
    assert migrate["build"]["dockerfile"] == "deploy/Dockerfile"
    for name in replicas:
        api = services[name]
        assert api["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        env = api["environment"]
        assert env["DESKBOARD_ENV"] == "production"
        assert env["DESKBOARD_DATABASE_URL"].startswith("postgresql+asyncpg://")
        assert env["DESKBOARD_REDIS_URL"].startswith("redis://redis:")
        assert env["DESKBOARD_TRUSTED_PROXIES"]
    proxy = services["proxy"]
    assert {"80:8080", "443:8443"} == set(proxy["ports"])
    assert "./nginx/deskboard.conf:/etc/nginx/nginx.conf:ro" in proxy["volumes"]
    for name in replicas:
        assert proxy["depends_on"][name]["condition"] == "service_healthy"
    # The replicas' network is the one DESKBOARD_TRUSTED_PROXIES trusts.
    subnet = compose["networks"]["backend"]["ipam"]["config"][0]["subnet"]
    assert services[replicas[0]]["environment"]["DESKBOARD_TRUSTED_PROXIES"] == subnet


def test_nginx_balances_every_replica_and_upgrades_sockets() -> None:
    conf = (DEPLOY / "nginx" / "deskboard.conf").read_text()
    replicas = [name for name in _compose()["services"] if name.startswith("api-")]
    for name in replicas:
        assert f"server {name}:8000" in conf
    assert "ip_hash" not in conf and "sticky" not in conf and "hash " not in conf
    assert "proxy_set_header Upgrade $http_upgrade;" in conf
    assert "ssl_protocols TLSv1.2 TLSv1.3;" in conf
    # Headers set in a location would drop the server's (Host, X-Forwarded-*): none are.
    for block in re.findall(r"location[^{]*\{([^}]*)\}", conf):
        assert "proxy_set_header" not in block


def test_the_image_recipe_builds_in_stages_and_runs_unprivileged() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    stages = re.findall(r"^FROM (\S+) AS (\w+)", dockerfile, re.MULTILINE)
    assert [name for _, name in stages] == ["ui", "build", "runtime"]
    assert stages[0][0].startswith("node:")
    runtime = dockerfile.split("AS runtime", 1)[1]
    assert re.search(r"^USER deskboard", runtime, re.MULTILINE)
    assert "HEALTHCHECK" in runtime and "/readyz" in runtime
    for tool in ("gcc", "build-essential", "npm ", "uv ", "git"):
        assert tool not in runtime.split("HEALTHCHECK")[0].replace("COPY --from=build", "")
    assert "COPY --from=ui /src/frontend/dist" in runtime
    assert "COPY --from=build /opt/deskboard" in runtime


def test_nginx_accepts_the_proxy_config() -> None:
    if shutil.which("nginx") is None:
        pytest.skip("nginx is not installed (.ci/run installs it)")
    proxy = Proxy(Path(tempfile.mkdtemp(prefix="deskboard-nginx-")), ["127.0.0.2:8000"])
    result = subprocess.run(
        ["nginx", "-t", "-c", str(proxy.conf), "-p", str(proxy.work)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_docker_compose_config_when_the_plugin_exists() -> None:
    docker = shutil.which("docker")
    if docker is None:
        pytest.skip("no docker client")
    probe = subprocess.run([docker, "compose", "version"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip("the docker client has no compose plugin here")
    env_file = Path(tempfile.mkdtemp()) / "env"
    env_file.write_text(
        "POSTGRES_PASSWORD=x\nDESKBOARD_SECRET_KEY=" + "k" * 48 + "\nDESKBOARD_ALLOWED_HOSTS=a\n"
    )
    result = subprocess.run(
        [
            docker,
            "compose",
            "-f",
            str(DEPLOY / "compose.yaml"),
            "--env-file",
            str(env_file),
            "config",
            "--quiet",
        ],  # fmt: skip
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
