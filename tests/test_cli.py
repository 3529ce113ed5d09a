"""`hoso process` and `hoso show` end to end, embedded (local folder + SQLite, no broker)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, shared
from workers.cli import main


def _hoso(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "OMP_THREAD_LIMIT": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "workers.cli", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd or ROOT,
        timeout=600,
    )


def test_process_writes_record_and_show_reads_it_back(tmp_path: Path) -> None:
    # GIVEN two scans given as one dossier, the second a folder
    folder = tmp_path / "scans"
    folder.mkdir()
    shutil.copy(shared("tesseract", "phototest-rotated-R.png"), folder / "b.png")
    shutil.copy(shared("tesseract", "phototest.tif"), folder / "a.tif")
    first = tmp_path / "0-front.png"
    shutil.copy(shared("tesseract", "phototest-rotated-180.png"), first)
    data = tmp_path / "data"
    out = tmp_path / "record.json"

    # WHEN processed with --json
    proc = _hoso("process", str(first), str(folder), "--json", str(out), "--data-dir", str(data), "--no-progress")

    # THEN the record has the pages in the order given (folder sorted by name), upright, with words
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    record = json.loads(out.read_text(encoding="utf-8"))
    # English test pages are no paper hoso knows: typed "other", or left for a reviewer to decide
    assert record["status"] in ("processed", "needs_review")
    assert [(p["number"], p["source"]["file"], p["rotation"]) for p in record["pages"]] == [
        (1, "0-front.png", 180),
        (2, "a.tif", 0),
        (3, "b.png", 270),
    ]
    for page in record["pages"]:
        assert "quick brown dog" in page["text"]
        assert page["confidence"] > 70
        word = next(w for w in page["words"] if w["text"] == "quick")
        x0, y0, x1, y1 = word["box"]
        assert 0 <= x0 < x1 <= page["width"] and 0 <= y0 < y1 <= page["height"]
        assert page["blank"] is False and page["separator"] is False
    assert sorted(n for d in record["documents"] for n in d["pages"]) == [1, 2, 3]
    # the originals are stored unchanged, named by their SHA-256
    sha = hashlib.sha256(first.read_bytes()).hexdigest()
    assert record["pages"][0]["sha256"] == sha
    assert (data / "objects" / "originals" / sha).read_bytes() == first.read_bytes()

    # AND `hoso show` gives the same record, from HOSO_DATA_DIR
    shown = _hoso("show", record["code"], env={"HOSO_DATA_DIR": str(data)})
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout) == record


def test_one_bad_file_among_good_ones_is_named_and_the_rest_recorded(tmp_path: Path) -> None:
    good = tmp_path / "good.png"
    shutil.copy(shared("tesseract", "phototest.tif"), good)
    bad = tmp_path / "giay-khai-sinh.pdf"
    bad.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog")  # cut short
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    out = tmp_path / "record.json"
    proc = _hoso(
        "process",
        str(bad),
        str(good),
        str(empty),
        "--json",
        str(out),
        "--data-dir",
        str(tmp_path / "d"),
        "--no-progress",
    )
    assert proc.returncode == 2
    assert "giay-khai-sinh.pdf" in proc.stderr and "cut short" in proc.stderr
    assert "empty.jpg" in proc.stderr and "empty" in proc.stderr
    record = json.loads(out.read_text(encoding="utf-8"))
    assert [p["source"]["file"] for p in record["pages"]] == ["good.png"]
    assert record["pages"][0]["number"] == 1
    assert {(p["file"], p["error"]) for p in record["problems"]} == {
        ("giay-khai-sinh.pdf", "TruncatedFile"),
        ("empty.jpg", "EmptyFile"),
    }
    # nothing lost: the bad original is kept too
    sha = hashlib.sha256(bad.read_bytes()).hexdigest()
    assert (tmp_path / "d" / "objects" / "originals" / sha).exists()


def test_show_unknown_code_exits_with_not_found(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "d").mkdir()
    assert main(["show", "HS-NOPE", "--data-dir", str(tmp_path / "d")]) == 3
    assert "HS-NOPE" in capsys.readouterr().err


def test_missing_language_is_a_clear_error(tmp_path: Path) -> None:
    src = tmp_path / "p.png"
    shutil.copy(shared("tesseract", "phototest.tif"), src)
    proc = _hoso("process", str(src), "--lang", "xyz", "--data-dir", str(tmp_path / "d"), "--no-progress")
    assert proc.returncode != 0
    assert "xyz" in proc.stderr and "tesseract-ocr-" in proc.stderr


def _tiff_with_damaged_second_page(path: Path) -> None:
    """Two pages of phototest, the deflate data of the second one scrambled (the file's structure intact)."""
    import io

    from PIL import Image

    page = Image.open(shared("tesseract", "phototest.tif")).convert("L")
    buf = io.BytesIO()
    page.save(buf, format="TIFF", save_all=True, append_images=[page.copy()], compression="tiff_deflate")
    data = bytearray(buf.getvalue())
    second = Image.open(io.BytesIO(bytes(data)))
    second.seek(1)
    start, size = second.tag_v2[273][0], second.tag_v2[279][0]
    for k in range(start + 20, start + size - 20):
        data[k] = (data[k] * 7 + 13) % 256
    path.write_bytes(bytes(data))


def test_a_page_that_cannot_be_decoded_is_named_in_problems_and_its_file_kept(tmp_path: Path) -> None:
    # GIVEN a two-page TIFF whose second page's image data is damaged
    scan = tmp_path / "don-de-nghi.tif"
    _tiff_with_damaged_second_page(scan)
    out = tmp_path / "record.json"
    # WHEN processed
    proc = _hoso("process", str(scan), "--json", str(out), "--data-dir", str(tmp_path / "d"), "--no-progress")
    # THEN the first page is recorded, the second is named in the record's problems with the reason, the exit
    # code says bad input, and the original is kept
    assert proc.returncode == 2, proc.stderr
    assert "don-de-nghi.tif" in proc.stderr
    record = json.loads(out.read_text(encoding="utf-8"))
    assert [p["number"] for p in record["pages"]] == [1]
    assert "quick brown dog" in record["pages"][0]["text"]
    [problem] = record["problems"]
    assert (problem["file"], problem["page"], problem["error"]) == ("don-de-nghi.tif", 2, "PageFailed")
    assert "incomplete" in problem["message"]
    sha = hashlib.sha256(scan.read_bytes()).hexdigest()
    assert problem["sha256"] == sha
    assert (tmp_path / "d" / "objects" / "originals" / sha).read_bytes() == scan.read_bytes()


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux /proc")
def test_a_file_that_cannot_be_read_is_named_and_the_others_processed(tmp_path: Path) -> None:
    # GIVEN a path that is a file but whose reading fails with an I/O error, before a good scan
    good = tmp_path / "good.png"
    shutil.copy(shared("tesseract", "phototest.tif"), good)
    out = tmp_path / "record.json"
    # WHEN processed
    proc = _hoso(
        "process", "/proc/self/mem", str(good), "--json", str(out), "--data-dir", str(tmp_path / "d"), "--no-progress"
    )
    # THEN the unreadable file is named with the reason, the good one is recorded, and the exit code says bad input
    assert proc.returncode == 2, proc.stderr
    assert "/proc/self/mem" in proc.stderr and "cannot be read" in proc.stderr
    record = json.loads(out.read_text(encoding="utf-8"))
    assert [p["source"]["file"] for p in record["pages"]] == ["good.png"]
    assert [(p["file"], p["error"]) for p in record["problems"]] == [("mem", "MissingFile")]


def test_a_bug_in_a_command_exits_70_with_a_generic_message_and_its_traceback_in_the_log(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    # GIVEN `hoso show`, which hits a bug (an exception that is not a HosoError)
    import logging

    import workers.cli

    def bug(args: object) -> int:
        raise KeyError("a bug")

    monkeypatch.setattr(workers.cli, "cmd_show", bug)
    # WHEN it runs
    with caplog.at_level(logging.ERROR):
        code = main(["show", "HS-ANY", "--data-dir", str(tmp_path / "d")])
    # THEN the exit code is the internal error's, the message generic (no user advice), the traceback logged
    assert code == 70
    err = capsys.readouterr().err
    assert "internal error" in err and "bug in hoso" in err
    assert "Check the" not in err and "Rescan" not in err
    logged = [r for r in caplog.records if r.exc_info and r.exc_info[0] is KeyError]
    assert logged


def test_a_pdf_whose_image_declares_a_huge_size_is_a_pixel_limit_problem_in_the_record(tmp_path: Path) -> None:
    # GIVEN a PDF of a few hundred bytes whose CCITT image declares 100000 x 100000 pixels (10 Gpx)
    from PIL import Image

    from tests.pdfmake import g4_strip, write_image_pdf

    bomb = tmp_path / "bomb.pdf"
    parms = "<< /K -1 /Columns 100000 /Rows 100000 /BlackIs1 false >>"
    write_image_pdf(bomb, g4_strip(Image.new("1", (1000, 1000), 1)), width=100_000, height=100_000,
                    filter="CCITTFaxDecode", decode_parms=parms, bits=1, page_pt=(595.0, 842.0))  # fmt: skip
    out = tmp_path / "record.json"
    # WHEN processed
    proc = _hoso("process", str(bomb), "--json", str(out), "--data-dir", str(tmp_path / "d"), "--no-progress")
    # THEN the page is refused by the pixel limit (not rendered as a blank page), bad input, the reason recorded
    assert proc.returncode == 2, proc.stderr
    record = json.loads(out.read_text(encoding="utf-8"))
    assert record["pages"] == []
    [problem] = record["problems"]
    assert problem["error"] == "TooManyPixels" and "100000x100000" in problem["message"]
