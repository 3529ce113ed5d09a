"""Small PDFs built byte by byte for tests: a scan stored as CCITT G4, the way office scanners do it."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, TiffImagePlugin


def g4_strip(image: Image.Image) -> bytes:
    """The CCITT Group 4 data of a bilevel image (one strip)."""
    buf = io.BytesIO()
    TiffImagePlugin.WRITE_LIBTIFF = True
    # Fax coding counts white runs as 0 bits: store WhiteIsZero so the runs mean what a PDF reader expects.
    image.convert("1").save(buf, format="TIFF", compression="group4", tiffinfo={278: image.height, 262: 0})
    tif = Image.open(io.BytesIO(buf.getvalue()))
    offsets = tif.tag_v2[273]
    counts = tif.tag_v2[279]
    data = buf.getvalue()
    return b"".join(data[o : o + c] for o, c in zip(offsets, counts, strict=True))


def write_ccitt_pdf(image: Image.Image, path: Path, dpi: int = 300) -> None:
    w, h = image.size
    data = g4_strip(image)
    pw, ph = w * 72 / dpi, h * 72 / dpi
    content = f"q {pw:.2f} 0 0 {ph:.2f} 0 0 cm /Im0 Do Q".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {pw:.2f} {ph:.2f}] "
        f"/Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>".encode(),
        f"<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /DeviceGray "
        f"/BitsPerComponent 1 /Filter /CCITTFaxDecode /DecodeParms << /K -1 /Columns {w} /Rows {h} "
        f"/BlackIs1 false >> /Length {len(data)} >>\nstream\n".encode()
        + data
        + b"\nendstream",
        f"<< /Length {len(content)} >>\nstream\n".encode() + content + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{i} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    path.write_bytes(out.getvalue())
