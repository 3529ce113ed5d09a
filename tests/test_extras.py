"""The extras (pyproject.toml): the runtime list holds only what `hoso process` needs, `hoso process` runs with
no extra installed, and a command whose extra is missing says which one to install."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import ROOT
from workers import extras
from workers.cli import main

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
# distribution name -> import name, for the packages whose two names differ
IMPORT_NAME = {
    "scikit-learn": "sklearn",
    "python-multipart": "multipart",
    "argon2-cffi": "argon2",
    "psycopg": "psycopg",
    "prometheus-client": "prometheus_client",
    "dramatiq": "dramatiq",
}


def _names(requirements: list[str]) -> set[str]:
    return {re.split(r"[\[<>=;!~ ]", r, maxsplit=1)[0].lower() for r in requirements}


def test_runtime_dependencies_hold_no_package_of_an_extra() -> None:
    runtime = _names(PYPROJECT["project"]["dependencies"])
    optional = PYPROJECT["project"]["optional-dependencies"]
    for extra in ("web", "cluster", "train", "bench", "export"):
        assert not runtime & _names(optional[extra]), extra
        imports = {IMPORT_NAME.get(n, n.replace("-", "_")) for n in _names(optional[extra])}
        assert imports <= set(extras.EXTRAS[extra]) | {"redis"}, (extra, imports)  # the error names each
    assert "hoso[web,cluster,train,bench,export]" in optional["test"]
    assert {"sklearn", "scikit-learn", "fastapi", "dramatiq", "minio", "pytesseract"}.isdisjoint(runtime)


@pytest.mark.parametrize(
    ("argv", "extra", "module"),
    [
        (["serve"], "web", "fastapi"),
        (["user", "list"], "web", "argon2"),
        (["worker"], "cluster", "dramatiq"),
        (["submit", "a.pdf"], "cluster", "minio"),
        (["train"], "train", "sklearn"),
        (["verify", "a.pdf"], "export", "pyhanko"),
    ],
)
def test_a_command_without_its_extra_says_which_extra_to_install(
    argv: list[str], extra: str, module: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real = extras.importlib.util.find_spec
    monkeypatch.setattr(extras.importlib.util, "find_spec", lambda name: None if name == module else real(name))
    assert main(argv) == 4  # a configuration error
    err = capsys.readouterr().err
    assert f"needs the [{extra}] extra ({module} not installed): install hoso[{extra}]" in err


def test_postgresql_or_object_storage_without_the_cluster_extra_names_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from schemas.errors import MissingExtra
    from workers.settings import S3Settings, Settings
    from workers.stores.objects import make_store
    from workers.stores.records import Records

    for name in ("psycopg", "minio"):
        monkeypatch.setitem(sys.modules, name, None)  # as if not installed: importing it fails
    monkeypatch.delitem(sys.modules, "workers.stores.s3", raising=False)
    with pytest.raises(MissingExtra, match=r"postgresql\+psycopg:// needs the \[cluster\] extra"):
        Records("postgresql+psycopg://hoso@127.0.0.1:1/hoso")
    with pytest.raises(MissingExtra, match=r"HOSO_S3_ENDPOINT\) needs the \[cluster\] extra"):
        make_store(Settings(data_dir=tmp_path, s3=S3Settings("127.0.0.1:1", "a", "b")))


BLOCKER = """
import sys
from importlib.abc import MetaPathFinder
BLOCKED = set(sys.argv[1].split(","))
class Absent(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {name!r} (blocked)", name=name)
        return None
sys.meta_path.insert(0, Absent())
sys.argv = ["hoso", *sys.argv[2:]]
from workers.cli import main
sys.exit(main())
"""


@pytest.mark.slow
def test_hoso_process_runs_with_no_extra_installed(tmp_path: Path) -> None:
    """GIVEN every extra's modules made unimportable WHEN `hoso process` reads a one-page scan THEN the record is
    written, and `hoso show` and `hoso db upgrade` work too."""
    blocked = ",".join(m for modules in extras.EXTRAS.values() for m in modules)
    scan = ROOT / "samples" / "dossier" / "02-giay-khai-sinh.jpg"
    data, out = tmp_path / "data", tmp_path / "record.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_THREAD_LIMIT": "1"}

    def hoso(*args: str) -> subprocess.CompletedProcess[str]:
        cmd = [sys.executable, "-c", BLOCKER, blocked, *args, "--data-dir", str(data)]
        return subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)

    done = hoso("process", str(scan), "--json", str(out), "--jobs", "1", "--no-progress", "--code", "HS-X")
    assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["documents"][0]["type"] == "birth_certificate"
    assert hoso("show", "HS-X").returncode == 0
    assert hoso("db", "upgrade").returncode == 0
    refused = hoso("serve")
    assert refused.returncode == 4 and "install hoso[web]" in refused.stderr
