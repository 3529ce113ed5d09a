"""Small PDFs built byte by byte for tests: a scan stored as CCITT G4, the way office scanners do it, and
any image stream under any declared size (bombs, damaged streams)."""

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
    parms = f"<< /K -1 /Columns {w} /Rows {h} /BlackIs1 false >>"
    write_image_pdf(path, g4_strip(image), width=w, height=h, filter="CCITTFaxDecode", decode_parms=parms,
                    bits=1, dpi=dpi)  # fmt: skip


def write_image_pdf(
    path: Path | None,
    data: bytes,
    *,
    width: int,
    height: int,
    filter: str | None,
    decode_parms: str | None = None,
    colorspace: str = "DeviceGray",
    bits: int = 8,
    dpi: int = 300,
    page_pt: tuple[float, float] | None = None,
    smask: tuple[int, int, bytes] | None = None,
) -> bytes:
    """A one-page PDF showing one image XObject whose dictionary declares `width` x `height`, its stream
    `data` as given (encoded or not, complete or not), placed over the whole page (`page_pt`: the page's
    size in points, else the image's size at `dpi`); `smask`: (width, height, Flate data) of a gray soft mask
    for it. Written to `path` if given; returns the file's bytes."""
    pw, ph = page_pt or (width * 72 / dpi, height * 72 / dpi)
    content = f"q {pw:.2f} 0 0 {ph:.2f} 0 0 cm /Im0 Do Q".encode()
    filt = f"/Filter /{filter} " if filter else ""
    parms = f"/DecodeParms {decode_parms} " if decode_parms else ""
    parms += "/SMask 6 0 R " if smask else ""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {pw:.2f} {ph:.2f}] "
        f"/Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>".encode(),
        f"<< /Type /XObject /Subtype /Image /Width {width} /Height {height} /ColorSpace /{colorspace} "
        f"/BitsPerComponent {bits} {filt}{parms}/Length {len(data)} >>\nstream\n".encode()
        + data
        + b"\nendstream",
        f"<< /Length {len(content)} >>\nstream\n".encode() + content + b"\nendstream",
    ]
    if smask:
        sw, sh, sdata = smask
        objects.append(
            f"<< /Type /XObject /Subtype /Image /Width {sw} /Height {sh} /ColorSpace /DeviceGray /BitsPerComponent 8 "
            f"/Filter /FlateDecode /Length {len(sdata)} >>\nstream\n".encode()
            + sdata
            + b"\nendstream"
        )
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = [0] * len(objects)
    # the image last, as scanners write it: a file cut short loses image data first
    for i in (1, 2, 3, 5, 4, 6)[: len(objects)]:
        offsets[i - 1] = out.tell()
        out.write(f"{i} 0 obj\n".encode() + objects[i - 1] + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    if path is not None:
        path.write_bytes(out.getvalue())
    return out.getvalue()


def write_pdf(path: Path, objects: list[bytes]) -> None:
    """A PDF of the given objects (object 1 the catalogue), numbered in order, with its cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{i} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    path.write_bytes(out.getvalue())


def pdf_stream(entries: str, data: bytes) -> bytes:
    """A stream object's text: its dictionary's `entries` and /Length, then `data`."""
    return f"<< {entries} /Length {len(data)} >>\nstream\n".encode() + data + b"\nendstream"
