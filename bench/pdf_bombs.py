"""Decompression bombs inside PDFs: the peak memory of `hoso process` on each, and what it answers.

    python bench/pdf_bombs.py

The files (built once, byte by byte, in bench/out/pdf_bombs/):
    flate-45000   a 2 MB PDF whose Flate image (zeros) declares 45000 x 45000 gray pixels on an A4 page
    ccitt-100000  a PDF of a few hundred bytes whose CCITT G4 image declares 100000 x 100000 pixels
    smask-20000   a 100 x 100 image whose soft mask (no page object names it) declares 20000 x 20000 pixels
    form-indirect-45000   the flate image drawn by a Form XObject, its /Width and /Height indirect objects
    inherited-45000       the flate image in resources the page inherits from its /Pages node, /Height indirect
    inline-30000  an inline Flate image (BI ... ID ... EI) of 30000 x 30000 in a Flate content stream (pdfium
                  decodes inline images while it parses the page)
Each is given to `hoso process FILE --json` on a fresh data dir, timed by /usr/bin/time (maximum resident set
of the process and its page processes). Target (issue 13): refused with the pixel limit's error (exit 2, the
page's problem in the record) at <= 300 MB peak.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zlib
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.pdfmake import g4_strip, pdf_stream, write_image_pdf, write_pdf

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "pdf_bombs"
TARGET_MB = 300
A4 = (595.0, 842.0)


def _zeros_flate(width: int, height: int) -> bytes:
    comp = zlib.compressobj(9)
    rows = b"\x00" * (width * 1000)
    return b"".join([*(comp.compress(rows) for _ in range(height // 1000)), comp.flush()])


def build() -> dict[str, Path]:
    OUT.mkdir(parents=True, exist_ok=True)
    flate = OUT / "flate-45000.pdf"
    if not flate.exists():
        write_image_pdf(flate, _zeros_flate(45_000, 45_000), width=45_000, height=45_000, filter="FlateDecode",
                        page_pt=A4)  # fmt: skip
    ccitt = OUT / "ccitt-100000.pdf"
    parms = "<< /K -1 /Columns 100000 /Rows 100000 /BlackIs1 false >>"
    write_image_pdf(ccitt, g4_strip(Image.new("1", (1000, 1000), 1)), width=100_000, height=100_000,
                    filter="CCITTFaxDecode", decode_parms=parms, bits=1, page_pt=A4)  # fmt: skip
    smask = OUT / "smask-20000.pdf"
    if not smask.exists():
        write_image_pdf(smask, zlib.compress(b"\x80" * 10_000), width=100, height=100, filter="FlateDecode",
                        page_pt=A4, smask=(20_000, 20_000, _zeros_flate(20_000, 20_000)))  # fmt: skip
    indirect = _indirect_bombs()
    return {"flate-45000": flate, "ccitt-100000": ccitt, "smask-20000": smask, **indirect}


def _indirect_bombs() -> dict[str, Path]:
    """Bombs a scan of the file's bytes for a direct /Width misses: reached by references, or inline."""
    catalog, pages = b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
    draw = b"q 595 0 0 842 0 0 cm /Im0 Do Q"
    paths = {name: OUT / f"{name}.pdf" for name in ("form-indirect-45000", "inherited-45000", "inline-30000")}
    if all(p.exists() for p in paths.values()):
        return paths
    zeros = _zeros_flate(45_000, 45_000)
    image = "/Type /XObject /Subtype /Image /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode"
    write_pdf(paths["form-indirect-45000"], [catalog, pages,
              b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Fm0 4 0 R >> >> "
              b"/Contents 5 0 R >>",
              pdf_stream("/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /XObject << /Im0 6 0 R >> >>",
                         draw),
              pdf_stream("", b"/Fm0 Do"), pdf_stream(f"{image} /Width 7 0 R /Height 8 0 R", zeros), b"45000",
              b"45000"])  # fmt: skip
    write_pdf(paths["inherited-45000"], [catalog,
              b"<< /Type /Pages /Kids [3 0 R] /Count 1 /Resources << /XObject << /Im0 4 0 R >> >> >>",
              b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R >>",
              pdf_stream(f"{image} /Width 45000 /Height 6 0 R", zeros), pdf_stream("", draw), b"45000"])  # fmt: skip
    inline = b"q 595 0 0 842 0 0 cm BI /W 30000 /H 30000 /CS /G /BPC 8 /F /Fl ID " + _zeros_flate(30_000, 30_000)
    write_pdf(paths["inline-30000"], [catalog, pages,
              b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
              pdf_stream("/Filter /FlateDecode", zlib.compress(inline + b"\nEI Q", 9))])  # fmt: skip
    return paths


def measure(name: str, pdf: Path) -> bool:
    data = OUT / f"data-{name}"
    subprocess.run(["rm", "-rf", str(data)], check=True)
    record = OUT / f"{name}.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_THREAD_LIMIT": "1"}
    cmd = ["/usr/bin/time", "-v", sys.executable, "-m", "workers.cli", "process", str(pdf), "--data-dir", str(data),
           "--json", str(record), "--no-progress"]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, timeout=900)
    peak_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr).group(1))  # type: ignore[union-attr]
    problems = json.loads(record.read_text(encoding="utf-8")).get("problems", []) if record.exists() else []
    # refused as a file (at intake) or as its page
    pixel_limit = [p for p in problems if p.get("error") == "TooManyPixels" or "TooManyPixels" in p.get("message", "")]
    refused = proc.returncode == 2 and bool(pixel_limit)
    ok = refused and peak_kb / 1024 <= TARGET_MB
    size = pdf.stat().st_size
    print(f"{name:20s} {size / 1024:8.0f} KB  exit {proc.returncode}  peak {peak_kb / 1024:6.0f} MB  "
          f"{'refused (pixel limit)' if refused else 'NOT refused'}  {'PASS' if ok else 'FAIL'}")  # fmt: skip
    return ok


def main() -> int:
    results = [measure(name, pdf) for name, pdf in build().items()]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
