"""The layering rules: schemas ← pipeline ← workers; one module each for programs, minio and the broker."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def test_schemas_import_nothing_of_ours_above_them() -> None:
    for path in _modules("schemas"):
        bad = {n for n in _imports(path) if n.split(".")[0] in ("pipeline", "workers")}
        assert not bad, (path, bad)


def test_pipeline_is_plain_functions_without_outside_world() -> None:
    forbidden = {"workers", "minio", "dramatiq", "sqlalchemy", "redis", "requests", "socket", "urllib", "subprocess"}
    for path in _modules("pipeline"):
        bad = {n for n in _imports(path) if n.split(".")[0] in forbidden}
        assert not bad, (path, bad)
        text = path.read_text(encoding="utf-8")
        assert "os.environ" not in text and "getenv" not in text, path


def test_only_one_module_imports_minio_and_one_builds_the_broker() -> None:
    users = [
        p.relative_to(ROOT).as_posix() for p in _modules("workers") if "minio" in {n.split(".")[0] for n in _imports(p)}
    ]
    assert users in ([], ["workers/s3.py"])
    builders = [p for p in _modules("workers") if "RedisBroker" in p.read_text(encoding="utf-8")]
    assert len(builders) <= 1


def test_external_programs_run_from_one_module() -> None:
    users = [
        p.relative_to(ROOT).as_posix()
        for pkg in ("schemas", "pipeline", "workers")
        for p in _modules(pkg)
        if "subprocess" in {n.split(".")[0] for n in _imports(p)}
    ]
    assert len(users) <= 1, users
