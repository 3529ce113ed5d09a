"""The compose file is valid: `docker-compose config` (Debian's docker-compose, no engine needed)."""

from __future__ import annotations

import shutil
import subprocess

import pytest
import yaml

from tests.conftest import ROOT

COMPOSE = ROOT / "docker" / "docker-compose.yml"


def test_compose_file_is_valid_and_has_every_service() -> None:
    exe = shutil.which("docker-compose")
    if exe is None:
        pytest.skip("docker-compose is not installed (apt-get install docker-compose; scripts/setup.sh --test)")
    # WHEN docker-compose reads and resolves it
    proc = subprocess.run([exe, "-f", str(COMPOSE), "config"], capture_output=True, text=True, timeout=60,
                          cwd=ROOT / "docker")  # fmt: skip
    # THEN it is valid, with the servers, the web app, the workers and the watcher
    assert proc.returncode == 0, proc.stderr
    config = yaml.safe_load(proc.stdout)
    services = config["services"]
    assert set(services) >= {"minio", "redis", "postgres", "web", "worker", "watcher"}
    worker = services["worker"]
    assert "container_name" not in worker  # --scale worker=N needs unnamed containers
    assert worker["environment"]["HOSO_BROKER_URL"].startswith("redis://")
    assert worker["environment"]["HOSO_DATABASE_URL"].startswith("postgresql://")
    assert worker["environment"]["HOSO_S3_ENDPOINT"] == "minio:9000"
    assert "worker" in " ".join(worker["command"] if isinstance(worker["command"], list) else [worker["command"]])
