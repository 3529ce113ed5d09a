"""A head start for `hoso process` on a one-page scan: the page read in a process of its own, from the moment
the command line is parsed, while this process reads its settings, opens the records and takes the file in.

On one page the page is the whole run and nothing else can share its work, so everything else (the
settings, SQLAlchemy and the schema check, storing the original, the dossier stage's imports) is done
beside it instead of before it. The forked process imports only the pipeline; it is handed the pipeline
settings once they are read, checks the file is one page, loads the OCR engine while it decodes the page,
and sends back what `workers.usecases.pages.read_page` returns, with the file's SHA-256 and kind. With a
second core, a second engine is loaded once the file is known to be one page, and the two read the page's
two halves at once (pipeline/ocr.py `PairedEngine`): this process waits for the page meanwhile.

The runner takes it for the page whose task names the same content (SHA-256), kind and page 1; otherwise,
or when the process failed for any reason, it is discarded and the page is read as always, so the record,
the stored objects, the errors and the exit code are the same as without it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from pipeline.ocr import OcrEngine, OcrResult, PageReader
    from schemas.settings import PipelineSettings
    from workers.stores.records import PageTask
    from workers.usecases.pages import PageRead

log = logging.getLogger("hoso.head_start")


def begin(files: Sequence[Path]) -> HeadStart | None:
    """Fork the page's process for a stack of one file; None when there is no head start to take (several
    files or a folder, or a process with threads, which must not fork)."""
    if len(files) != 1 or not files[0].is_file():
        return None
    if threading.active_count() != 1 or not hasattr(os, "fork"):
        return None
    settings_r, settings_w = os.pipe()
    result_r, result_w = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the page's process: never returns
        code = 0
        try:
            os.close(settings_w)
            os.close(result_r)
            _read_first_page(files[0], settings_r, result_w)
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(settings_r)
    os.close(result_w)
    return HeadStart(pid, settings_w, result_r)


def _read_first_page(path: Path, settings_fd: int, result_fd: int) -> None:
    from hashlib import sha256

    import pipeline.ocr  # noqa: F401  (here, not in the loading thread: importing holds the GIL)
    from schemas.settings import PipelineSettings

    # The engine starts loading now, with the default model, while the command reads its settings and this
    # process imports the pipeline: the settings almost always name that model. If they name another, that
    # engine is loaded instead once they arrive (the result is the same, only later).
    default = PipelineSettings()
    engines: list[OcrEngine] = []
    loading = threading.Thread(target=_load, args=(default, engines))
    loading.start()  # Tesseract loads its model without the GIL: beside the imports and the page's decoding

    from pipeline import raster
    from workers.usecases.pages import read_page

    with os.fdopen(settings_fd, "rb") as fh:
        data = fh.read()
    if not data:
        return  # the command stopped before its settings (a bad variable): nothing to do
    settings: PipelineSettings
    settings, cores = pickle.loads(data)
    info = raster.inspect(path, settings)
    if info.pages != 1:
        return
    if _engine_key(settings) != _engine_key(default):
        loading.join()
        for other in engines:
            other.close()
        engines.clear()
        loading = threading.Thread(target=_load, args=(settings, engines))
        loading.start()
    # A second engine for the page's other half, now that the file is known to be one page (a stack's first
    # pages are read by the command's own page processes: a second engine here would only take their CPU).
    seconds: list[OcrEngine] = []
    pairing = threading.Thread(target=_load, args=(settings, seconds))
    if cores > 1 and _cores() > 1:
        pairing.start()

    def engine() -> PageReader:
        loading.join()
        if not engines:
            raise RuntimeError("the OCR engine did not load")
        if pairing.ident is not None:
            pairing.join()
            if seconds:
                from pipeline.ocr import PairedEngine

                return PairedEngine(engines[0], seconds[0])
        return engines[0]

    reader = _OnFirstRead(engine)  # the page's geometry goes ahead while the engines may still be loading

    digest = sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    read = read_page(path, info.kind, 0, settings, lambda: reader, name=path.name)
    with os.fdopen(result_fd, "wb") as out:
        out.write(pickle.dumps((digest.hexdigest(), info.kind, read), protocol=pickle.HIGHEST_PROTOCOL))


class _OnFirstRead:
    """A page reader made by `make` when the page stage first reads with it (not when it is handed over)."""

    def __init__(self, make: Callable[[], PageReader]) -> None:
        self._make = make
        self._reader: PageReader | None = None

    def _get(self) -> PageReader:
        if self._reader is None:
            self._reader = self._make()
        return self._reader

    def read(self, gray: np.ndarray, dpi: int) -> OcrResult:
        return self._get().read(gray, dpi)

    def read_strip(self, gray: np.ndarray, dpi: int) -> list[tuple[str, float]]:
        return self._get().read_strip(gray, dpi)


def _engine_key(settings: PipelineSettings) -> tuple[str, str, bool]:
    return settings.lang, settings.tessdata, settings.rescore_marks


def _load(settings: PipelineSettings, engines: list[OcrEngine]) -> None:
    """The engine for `settings` appended to `engines`; nothing when it does not load (the page is then read
    again by the command, which reports why)."""
    from pipeline.ocr import OcrEngine

    with contextlib.suppress(Exception):
        engines.append(OcrEngine(settings.lang, settings.tessdata, rescore_marks=settings.rescore_marks))


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class HeadStart:
    """The parent's side: hand over the settings, take the page read, end the process."""

    def __init__(self, pid: int, settings_fd: int, result_fd: int) -> None:
        self.pid = pid
        self._settings_fd: int | None = settings_fd
        self._result_fd: int | None = result_fd

    def send(self, settings: PipelineSettings, cores: int = 1) -> None:
        """The pipeline settings the page is to be read with (once the command has them), and how many
        cores it may use (the command's page processes: two engines share the page when there are two)."""
        if self._settings_fd is None:
            return
        try:
            with os.fdopen(self._settings_fd, "wb") as fh:
                fh.write(pickle.dumps((settings, cores), protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            pass  # the process has ended: `take` finds nothing
        self._settings_fd = None

    def take(self, task: PageTask) -> PageRead | None:
        """The page read for `task` if it is the one read ahead (same content, kind, page 1), else None.
        Waits for the process to finish; taken once."""
        if self._result_fd is None or self._settings_fd is not None or task.source_page != 1:
            return None
        with os.fdopen(self._result_fd, "rb") as fh:
            data = fh.read()
        self._result_fd = None
        self._reap()
        if not data:
            return None
        try:
            sha, kind, read = pickle.loads(data)
        except Exception:
            return None
        if (sha, kind) != (task.sha256, task.kind):
            return None  # the file changed after it was read ahead
        return read

    def close(self) -> None:
        """End the process if its page was not taken (its work is only ever a head start)."""
        if self._settings_fd is not None:
            os.close(self._settings_fd)
            self._settings_fd = None
        if self._result_fd is not None:
            os.close(self._result_fd)
            self._result_fd = None
            if self.pid:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self.pid, signal.SIGKILL)
        self._reap()

    def _reap(self) -> None:
        if self.pid:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
            self.pid = 0

    def __enter__(self) -> HeadStart:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
