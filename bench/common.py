"""Helpers shared by the benchmark scripts: paths, the generator, timing, text scores, tables, memory.

Run the scripts from anywhere; they put the project root on ``sys.path`` and keep what they generate
under ``bench/out/`` (gitignored).
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
VENV_PY = ROOT / ".venv" / "bin" / "python"
VENV_BIN = ROOT / ".venv" / "bin"
SHARED = ROOT.parent / "shared" / "data"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

os.environ.setdefault("OMP_THREAD_LIMIT", "1")


def out_dir(*parts: str) -> Path:
    p = OUT.joinpath(*parts)
    p.mkdir(parents=True, exist_ok=True)
    return p


def fresh_dir(*parts: str) -> Path:
    """An empty folder under bench/out (emptied if it was there): hoso resumes from a used data dir."""
    p = OUT.joinpath(*parts)
    if p.exists():
        shutil.rmtree(p)
    p.mkdir(parents=True)
    return p


# --- the page generator ------------------------------------------------------------------------------


def load_synth(needs: Sequence[str] = ("make_page", "write_pdf", "DOC_TYPES"), wait_s: float = 3600.0,
               poll_s: float = 30.0) -> Any:
    """The `synth` package once it exports `needs` (it may still be being written: poll)."""
    deadline = time.monotonic() + wait_s
    announced = False
    while True:
        try:
            mod = importlib.import_module("synth")
            mod = importlib.reload(mod)
            missing = [n for n in needs if not hasattr(mod, n)]
            if missing:  # the writers live in synth.io; the package may not re-export them yet
                with contextlib.suppress(ImportError):
                    io = importlib.import_module("synth.io")
                    for n in missing:
                        if hasattr(io, n):
                            setattr(mod, n, getattr(io, n))
            if all(hasattr(mod, n) for n in needs):
                return mod
        except Exception as exc:  # half-written package: wait for it
            if not announced:
                print(f"[bench] synth not importable yet ({exc!r}); waiting", flush=True)
                announced = True
        else:
            if not announced:
                print(f"[bench] synth does not export all of {list(needs)} yet; waiting", flush=True)
                announced = True
        if time.monotonic() > deadline:
            raise SystemExit("synth.make_page never appeared")
        time.sleep(poll_s)
        for name in [m for m in sys.modules if m == "synth" or m.startswith("synth.")]:
            del sys.modules[name]


def doc_types(synth: Any) -> list[str]:
    return list(synth.DOC_TYPES)


def page_truth(page: Any) -> dict[str, Any]:
    """What the scripts need to keep of a generated page (JSON-friendly)."""
    return {
        "doc_type": page.doc_type,
        "rotation": int(page.rotation),
        "skew_deg": float(page.skew_deg),
        "blank": bool(page.blank),
        "lines": list(page.lines),
        "words": list(page.words),
    }


def dossier_pdf(quick: bool = False) -> tuple[Path, list[dict[str, Any]]]:
    """The 20-page benchmark dossier (4 pages with --quick) as a PDF, with each page's truth.

    Fixed seed; A4 at 300 dpi; doc types in turn; skew uniform in ±3°; pages 4, 9, 14, 19 turned 180
    and pages 7, 17 turned 90 (counter-clockwise content turn, the record's convention). Cached in
    bench/out/ and reused by throughput.py and raster_compare.py.
    """
    n = 4 if quick else 20
    folder = out_dir("dossier")
    pdf = folder / f"dossier{n}.pdf"
    meta = folder / f"dossier{n}.json"
    if pdf.exists() and meta.exists():
        return pdf, json.loads(meta.read_text(encoding="utf-8"))
    synth = load_synth()
    rng = np.random.default_rng(20240601)
    types = doc_types(synth)
    turns = {4: 180, 9: 180, 14: 180, 19: 180, 7: 90, 17: 90}
    if quick:
        turns = {2: 180, 3: 90}
    pages = []
    t = time.perf_counter()
    for i in range(1, n + 1):
        skew = round(float(rng.uniform(-3.0, 3.0)), 2)
        pages.append(
            synth.make_page(
                types[(i - 1) % len(types)], seed=1000 + i, dpi=300, skew_deg=skew, rotation=turns.get(i, 0)
            )
        )
    synth.write_pdf(pages, pdf, jpeg_quality=85)
    truth = [page_truth(p) for p in pages]
    meta.write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"[bench] generated {pdf.relative_to(ROOT)} ({n} pages) in {time.perf_counter() - t:.1f} s", flush=True)
    return pdf, truth


# --- timing ------------------------------------------------------------------------------------------


@dataclass
class Timer:
    seconds: float = 0.0


@contextmanager
def timed() -> Iterator[Timer]:
    t = Timer()
    t0 = time.perf_counter()
    try:
        yield t
    finally:
        t.seconds = time.perf_counter() - t0


# --- text scores -------------------------------------------------------------------------------------


def strip_punct(word: str) -> str:
    """The word without punctuation at its ends (Unicode category P*), NFC."""
    w = unicodedata.normalize("NFC", word)
    start, end = 0, len(w)
    while start < end and unicodedata.category(w[start]).startswith("P"):
        start += 1
    while end > start and unicodedata.category(w[end - 1]).startswith("P"):
        end -= 1
    return w[start:end]


def norm_words(words: Sequence[str] | str) -> list[str]:
    """NFC, case kept, end punctuation stripped, empty words dropped. A string is split on white space."""
    items = words.split() if isinstance(words, str) else [x for w in words for x in w.split()]
    out = []
    for w in items:
        s = strip_punct(w)
        if s:
            out.append(s)
    return out


def word_recall(truth_words: Sequence[str], ocr_text: str) -> tuple[float, int, int]:
    """Fraction of the ground-truth words found in the OCR output, counted as a multiset.

    Returns (recall, found, total). A truth word that is all punctuation (e.g. "-") does not count.
    """
    truth = Counter(norm_words(truth_words))
    got = Counter(norm_words(ocr_text))
    total = sum(truth.values())
    found = sum((truth & got).values())
    return (found / total if total else 1.0), found, total


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance, one numpy pass per character of `a` (fast enough for whole pages)."""
    if not a:
        return len(b)
    if not b:
        return len(a)
    bb = np.frombuffer(b.encode("utf-32-le"), dtype=np.uint32)
    idx = np.arange(len(b) + 1, dtype=np.int64)
    prev = idx.copy()
    for i, ch in enumerate(a, start=1):
        cost = (bb != ord(ch)).astype(np.int64)
        tmp = np.empty_like(prev)
        tmp[0] = i
        tmp[1:] = np.minimum(prev[1:] + 1, prev[:-1] + cost)
        # insertions along the row: new[j] = min_k<=j tmp[k] + (j - k)
        prev = np.minimum.accumulate(tmp - idx) + idx
    return int(prev[-1])


def squash(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def cer(truth_lines: Sequence[str], ocr_text: str) -> float:
    """Character error rate of the white-space-folded texts (sensitive to reading order)."""
    ref = squash(" ".join(truth_lines))
    hyp = squash(ocr_text)
    return edit_distance(ref, hyp) / max(1, len(ref))


# --- output ------------------------------------------------------------------------------------------


def fmt(v: Any, digits: int = 2) -> str:
    if v is None:
        return "-"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return f"{v:.{digits}f}"
    return str(v)


def print_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]], digits: int = 2) -> None:
    cells = [[fmt(c, digits) for c in r] for r in rows]
    widths = [len(h) for h in headers]
    for r in cells:
        for i, c in enumerate(r):
            widths[i] = max(widths[i], len(c))
    line = "  ".join("-" * w for w in widths)
    print(f"\n{title}")
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
    print(line)
    for r in cells:
        print("  ".join(c.rjust(w) if _numeric(c) else c.ljust(w) for c, w in zip(r, widths, strict=True)))
    sys.stdout.flush()


def _numeric(s: str) -> bool:
    try:
        float(s.rstrip("%°x"))
    except ValueError:
        return False
    return True


@dataclass
class Verdicts:
    items: list[tuple[str, bool, str]] = field(default_factory=list)

    def add(self, name: str, ok: bool, detail: str) -> None:
        self.items.append((name, ok, detail))
        print(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}", flush=True)

    def summary(self) -> None:
        print("\nSummary")
        for name, ok, detail in self.items:
            print(f"  {'PASS' if ok else 'FAIL'}  {name}: {detail}")
        sys.stdout.flush()


# --- processes and memory ----------------------------------------------------------------------------


def run(cmd: Sequence[str | Path], *, env: dict[str, str] | None = None, check: bool = True,
        quiet: bool = True) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    res = subprocess.run(
        [str(c) for c in cmd],
        env=full_env,
        text=True,
        stdout=subprocess.PIPE if quiet else None,
        stderr=subprocess.PIPE if quiet else None,
    )
    if check and res.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} exited {res.returncode}:\n{res.stderr}")
    return res


def ensure_pip(module: str, package: str | None = None) -> None:
    """Install `package` into the project's .venv when `module` cannot be imported."""
    try:
        importlib.import_module(module)
    except ImportError:
        print(f"[bench] installing {package or module} into .venv", flush=True)
        run([VENV_PY, "-m", "pip", "install", "-q", package or module])
        importlib.invalidate_caches()


def _vm_hwm_kb(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    return None


@dataclass
class ProcPeak:
    pid: int
    ppid: int
    role: str
    cmd: str
    hwm_kb: int = 0
    cpu_s: float = 0.0  # user + system seconds, as last seen


class MemoryPoller:
    """Polls VmHWM (peak resident set) and CPU time of a process and all its descendants until it ends.

    VmHWM and CPU time only grow, so the last values read before a process exits are (nearly) its
    peak and its total (less at most one poll interval); a process that lives less than one poll
    interval may be missed.
    """

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        ensure_pip("psutil")
        import psutil

        self._psutil = psutil
        self.root = pid
        self.interval = interval
        self.procs: dict[int, ProcPeak] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def start(self) -> MemoryPoller:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _loop(self) -> None:
        psutil = self._psutil
        try:
            root = psutil.Process(self.root)
        except psutil.NoSuchProcess:
            return
        while not self._stop.is_set():
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.NoSuchProcess:
                break
            for p in procs:
                if p.pid not in self.procs:
                    try:
                        cmd = " ".join(p.cmdline())[:90]
                        ppid = p.ppid()
                    except psutil.Error:
                        continue
                    self.procs[p.pid] = ProcPeak(pid=p.pid, ppid=ppid, role="", cmd=cmd)
                rec = self.procs[p.pid]
                hwm = _vm_hwm_kb(p.pid)
                if hwm is not None:
                    rec.hwm_kb = max(rec.hwm_kb, hwm)
                with contextlib.suppress(psutil.Error):
                    t = p.cpu_times()
                    rec.cpu_s = max(rec.cpu_s, t.user + t.system)
            time.sleep(self.interval)

    def peaks(self) -> list[ProcPeak]:
        """Every process seen, with a role: main, forkserver, resource tracker, worker, other."""
        forkservers = {p.pid for p in self.procs.values() if "forkserver" in p.cmd and p.ppid == self.root}
        root_cmd = self.procs[self.root].cmd if self.root in self.procs else None
        for p in self.procs.values():
            if p.pid == self.root:
                p.role = "main"
            elif p.pid in forkservers:
                p.role = "forkserver"
            elif "resource_tracker" in p.cmd:
                p.role = "resource tracker"
            elif p.ppid in forkservers or (p.ppid == self.root and p.cmd == root_cmd):
                p.role = "worker"  # forked by a forkserver, or by the main process itself
            else:
                p.role = "other"
        return sorted(self.procs.values(), key=lambda p: p.pid)


def wait_for_idle(max_wait: float = 600.0, threshold: float = 0.7, step: float = 15.0) -> float:
    """Wait (at most `max_wait` s) until the 1-minute load average is below `threshold`: other people's
    work on this machine would make timings mean little. Returns the load average when it goes on."""
    deadline = time.monotonic() + max_wait
    load = os.getloadavg()[0]
    if load >= threshold:
        print(f"[bench] load average {load:.2f}: waiting up to {max_wait:.0f} s for the machine to be idle",
              flush=True)
    while load >= threshold and time.monotonic() < deadline:
        time.sleep(step)
        load = os.getloadavg()[0]
    if load >= threshold:
        print(f"[bench] WARNING: still busy (load {load:.2f}); the timings below are disturbed", flush=True)
    return load


def children_cpu() -> float:
    """User + system CPU seconds of the waited-for child processes (and their descendants) so far."""
    import resource

    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def tmp_dir(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=prefix, dir=out_dir("tmp")))


def mb(kb: int) -> float:
    return kb / 1024.0
