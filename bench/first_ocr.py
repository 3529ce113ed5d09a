"""Run one `hoso process` and say when its first page started, in seconds from the command's launch.

    python bench/first_ocr.py LAUNCHED_AT OUT.json -- process PAGE [options]

Used by `bench/startup.py`, which passes `time.time()` taken just before it starts this interpreter. An import
hook wraps, as they are imported, `pipeline.raster.load_page` (the page decoded: the page work starts) and
`pipeline.ocr.OcrEngine.read` / `read_strip` (a Tesseract call); the first call of each is written to OUT.json
(from whichever process makes it: the command may read its first page in another process). Nothing else of
the command changes: it runs as `python -m workers.cli` would.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import json
import os
import runpy
import sys
import time
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

_LAUNCHED = float(sys.argv[1])
_OUT = sys.argv[2]
_seen: dict[str, float] = {}


def _mark(event: str) -> None:
    if event in _seen:
        return
    _seen[event] = time.time() - _LAUNCHED
    # Each process writes what it saw, merged with what is there (the command may fork its page work).
    try:
        with open(_OUT, encoding="utf-8") as fh:
            seen = json.load(fh)
    except (OSError, ValueError):
        seen = {}
    for k, v in _seen.items():
        seen[k] = min(v, seen.get(k, v))
    tmp = f"{_OUT}.{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(seen, fh)
    os.replace(tmp, _OUT)


def _wrap(owner: Any, attr: str, event: str) -> None:
    original: Callable[..., Any] = getattr(owner, attr)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        _mark(event)
        return original(*args, **kwargs)

    setattr(owner, attr, wrapper)


def _patch(name: str, module: ModuleType) -> None:
    if name == "pipeline.raster":
        _wrap(module, "load_page", "first_page_load")
    elif name == "pipeline.ocr":
        _wrap(module.OcrEngine, "read", "first_ocr")
        _wrap(module.OcrEngine, "read_strip", "first_ocr")


class _Hook(importlib.abc.MetaPathFinder):
    def find_spec(self, name: str, path: Sequence[str] | None, target: ModuleType | None = None) -> Any:
        if name not in ("pipeline.raster", "pipeline.ocr"):
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return spec
        loader = spec.loader
        run = loader.exec_module

        def exec_module(module: ModuleType) -> None:
            run(module)
            _patch(name, module)

        loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


if __name__ == "__main__":
    sys.meta_path.insert(0, _Hook())
    rest = sys.argv[sys.argv.index("--") + 1 :]
    sys.argv = ["hoso", *rest]
    runpy.run_module("workers.cli", run_name="__main__", alter_sys=True)
