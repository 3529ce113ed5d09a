"""Starting fast: `hoso process` on a one-page A4 scan at 300 dpi against one raw `tesseract -l vie` call.

    python bench/startup.py [--runs 5]

Target (issue 12): the wall time of `hoso process PAGE` (a fresh data dir each run, every stage included:
intake, the page, the dossier stage, the record) at most 1.0x that of `tesseract PAGE out -l vie` with
OMP_THREAD_LIMIT=1 on the same page. Medians of `--runs` runs, interleaved. Also printed: the import time of
what `hoso process` loads before its first page (python -X importtime, the modules above 20 ms).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, fresh_dir, load_synth


def _page(folder: Path) -> Path:
    synth = load_synth()
    page = synth.make_page("birth_certificate", seed=5, dpi=300, skew_deg=1.0)  # type: ignore[attr-defined]
    path = folder / "page.png"
    page.image.convert("L").save(path, dpi=(300, 300))
    return path


def _wall(cmd: list[str], env: dict[str, str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def _imports(page: Path, data: Path, env: dict[str, str]) -> list[tuple[float, str]]:
    """(cumulative seconds, top-level module) of `hoso process`'s imports over 20 ms."""
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "workers.cli", "process", str(page), "--data-dir", str(data),
         "--no-progress", "--json", str(data / "r.json")],
        env=env, cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    rows = []
    for line in out.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _self, cum, name = (p.strip() for p in line.removeprefix("import time:").split("|"))
        if cum.isdigit() and not name.startswith(" ") and int(cum) > 20_000 and "." not in name.strip():
            rows.append((int(cum) / 1e6, name.strip()))
    return sorted(rows, reverse=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    work = fresh_dir("startup")
    page = _page(work)
    env = {**os.environ, "OMP_THREAD_LIMIT": "1", "PYTHONPATH": str(ROOT)}
    raw, hoso = [], []
    for i in range(args.runs):
        raw.append(_wall(["tesseract", str(page), str(work / "raw"), "-l", "vie"], env))
        data = work / f"data-{i}"
        hoso.append(_wall([sys.executable, "-m", "workers.cli", "process", str(page), "--data-dir", str(data),
                           "--no-progress", "--json", str(work / f"r{i}.json")], env))  # fmt: skip
    t_raw, t_hoso = statistics.median(raw), statistics.median(hoso)
    print(f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print(f"raw tesseract -l vie (OMP_THREAD_LIMIT=1): median {t_raw:.2f} s  ({', '.join(f'{x:.2f}' for x in raw)})")
    print(f"hoso process:                              median {t_hoso:.2f} s  ({', '.join(f'{x:.2f}' for x in hoso)})")
    print(f"ratio hoso / tesseract: {t_hoso / t_raw:.2f}x (target <= 1.0x)")
    print("imports of `hoso process` over 20 ms (cumulative):")
    for seconds, name in _imports(page, work / "data-imports", env)[:12]:
        print(f"  {seconds * 1000:7.0f} ms  {name}")
    verdict = "PASS" if t_hoso <= t_raw else "FAIL"
    print(f"{verdict}: hoso process {t_hoso:.2f} s vs raw tesseract {t_raw:.2f} s")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
