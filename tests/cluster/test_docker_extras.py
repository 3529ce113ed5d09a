"""The images install the extras their role needs: workers and watcher [cluster], the web app [web,cluster,export]."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
import yaml

from tests.conftest import ROOT


def test_the_worker_image_has_the_cluster_extra_and_the_web_image_web_and_cluster() -> None:
    dockerfile = (ROOT / "docker" / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^ARG EXTRAS=cluster$", dockerfile, re.M)
    assert 'pip install ".[${EXTRAS}]"' in dockerfile
    exe = shutil.which("docker-compose")
    if exe is None:
        pytest.skip("docker-compose is not installed (apt-get install docker-compose; scripts/setup.sh --test)")
    proc = subprocess.run([exe, "-f", "docker-compose.yml", "config"], capture_output=True, text=True, timeout=60,
                          cwd=ROOT / "docker")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    services = yaml.safe_load(proc.stdout)["services"]
    assert services["web"]["build"]["args"]["EXTRAS"] == "web,cluster,export"
    assert services["web"]["image"] != services["worker"]["image"]
    for name in ("worker", "watcher"):
        assert "EXTRAS" not in (services[name]["build"].get("args") or {})  # the default: [cluster]
        assert services[name]["image"] == services["worker"]["image"]
