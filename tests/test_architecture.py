"""The layering rules: schemas ← pipeline ← workers, and inside workers stores ← use cases ← runners ← web ←
command line; no import cycles (imports inside functions count); one module each for programs, minio and the
broker."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

from tests.conftest import ROOT

PACKAGES = ("schemas", "pipeline", "workers")

# Inside workers/, each module belongs to one layer and imports only from its own layer or those before it.
WORKER_LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("foundation", ("workers", "workers.settings", "workers.logs", "workers.progress", "workers.extras")),
    ("stores", ("workers.stores",)),  # objects (local folder, S3), the record database
    ("use cases", ("workers.usecases",)),  # intake, a page, a dossier, artifacts, training, users, the model
    ("runners", ("workers.runners", "workers.watch")),  # embedded; cluster: broker, actors, sweeper, worker
    ("web", ("workers.web",)),
    ("command line", ("workers.cli",)),
)


def _name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def _modules() -> dict[str, Path]:
    return {_name(p): p for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py"))}


def _raw_imports(path: Path) -> set[str]:
    """Every module named by an import anywhere in the file (functions included), relative ones resolved."""
    here = _name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            names.add(module)
            names.update(f"{module}.{a.name}" for a in node.names)
    return names


@cache
def _ours(module: str) -> frozenset[str]:
    """The project modules `module` imports (a name is resolved to the longest module it denotes)."""
    mods = _modules()
    out: set[str] = set()
    for name in _raw_imports(mods[module]):
        while name and name not in mods:
            name = name.rpartition(".")[0]
        if name and name != module:
            out.add(name)
    return frozenset(out)


def _imports(path: Path) -> set[str]:
    return _raw_imports(path)


def _layer(module: str) -> int:
    best, where = -1, -1
    for rank, (_label, prefixes) in enumerate(WORKER_LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, where = len(prefix), rank
    return where


def _cycles(graph: dict[str, frozenset[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, frozenset()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def _graph() -> dict[str, frozenset[str]]:
    # a package's __init__ re-exporting its submodules is not a cycle with them
    return {m: frozenset(d for d in _ours(m) if not d.startswith(m + ".")) for m in _modules()}


def test_schemas_import_nothing_of_ours_above_them() -> None:
    for name, path in _modules().items():
        if name.startswith("schemas"):
            bad = {n for n in _imports(path) if n.split(".")[0] in ("pipeline", "workers")}
            assert not bad, (path, bad)


def test_pipeline_is_plain_functions_without_outside_world() -> None:
    forbidden = {"workers", "minio", "dramatiq", "sqlalchemy", "redis", "requests", "socket", "urllib", "subprocess"}
    checked = 0
    for name, path in _modules().items():
        if name.startswith("pipeline"):
            bad = {n for n in _imports(path) if n.split(".")[0] in forbidden}
            assert not bad, (path, bad)
            text = path.read_text(encoding="utf-8")
            assert "os.environ" not in text and "getenv" not in text, path
            checked += 1
    assert checked > 10


def test_there_is_no_import_cycle_even_through_imports_inside_functions() -> None:
    graph = _graph()
    assert len(graph) > 50 and sum(len(v) for v in graph.values()) > 100  # the graph was built
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle_hidden_in_a_function() -> None:
    graph = _graph()
    graph["workers.stores.records"] = graph["workers.stores.records"] | {"workers.web.app"}
    assert any("workers.stores.records" in c and "workers.web.app" in c for c in _cycles(graph))


def test_every_worker_module_has_a_layer_and_imports_only_its_own_or_lower_layers() -> None:
    graph = _graph()
    workers = [m for m in graph if m.startswith("workers")]
    unplaced = [m for m in workers if _layer(m) < 0]
    assert not unplaced, f"add these to WORKER_LAYERS: {unplaced}"
    upward = [
        (m, WORKER_LAYERS[_layer(m)][0], d, WORKER_LAYERS[_layer(d)][0])
        for m in workers
        for d in sorted(graph[m])
        if d.startswith("workers") and _layer(d) > _layer(m)
    ]
    assert not upward, upward
    assert _layer("workers.stores.records.dossier_store") == 1 and _layer("workers.web.routers.pages") == 4


def test_only_one_module_imports_minio_and_one_builds_the_broker() -> None:
    mods = _modules()
    users = [n for n, p in mods.items() if "minio" in {i.split(".")[0] for i in _imports(p)}]
    assert users == ["workers.stores.s3"]
    builders = [n for n, p in mods.items() if n.startswith("workers") and "RedisBroker(" in p.read_text("utf-8")]
    assert builders == ["workers.runners.cluster.broker"]


def test_one_module_talks_http_to_the_portal() -> None:
    clients = {"http.client", "httpx", "requests", "urllib.request", "aiohttp"}
    users = [n for n, p in _modules().items() if n.startswith("workers") and any(i in clients for i in _imports(p))]
    assert users == ["workers.portal"]


# The modules allowed to start programs. Today none: Tesseract (tesserocr) and pdfium run in-process, and
# pytesseract/pdf2image are used only by bench/ for comparison. A new seam must be named here, and only one.
PROGRAM_RUNNERS: list[str] = []


def _runs_programs(path: Path) -> bool:
    text = path.read_text(encoding="utf-8")
    tops = {i.split(".")[0] for i in _imports(path)}
    return bool(tops & {"subprocess", "pytesseract", "pdf2image"}) or any(
        call in text for call in ("os.system(", "os.popen(", "os.exec", "os.spawn")
    )


def test_external_programs_run_from_one_module() -> None:
    assert len(PROGRAM_RUNNERS) <= 1
    users = [n for n, p in _modules().items() if _runs_programs(p)]
    assert users == PROGRAM_RUNNERS, users
    assert _runs_programs(ROOT / "bench" / "raster_compare.py")  # the check sees a program runner
