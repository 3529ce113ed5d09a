"""`hoso watch DIR`: files taken only when complete, stacks split at receipt sheets, nothing lost, nothing twice."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import threading
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, PngImagePlugin

import synth
from schemas.record import Page, PageSource
from tests.conftest import ROOT
from workers.cli import main
from workers.cli.watch import exit_code
from workers.runners import embedded as embedded_module
from workers.settings import Settings, WatchSettings
from workers.stores.records import PageTask, Records
from workers.usecases.pages import PageOutcome, PageWorker
from workers.watch import Found, Stability, Watcher, ignored_name, on_network_fs, scan_folder, window


def _settings(tmp_path: Path, *, jobs: int = 1, **watch: object) -> Settings:
    opts = {"stable_seconds": 0.2, "poll_seconds": 0.5, "incomplete_wait_seconds": 0.3, **watch}
    return Settings(data_dir=tmp_path / "data", jobs=jobs, watch=WatchSettings(**opts))  # type: ignore[arg-type]


def _blank_png(path: Path, n: int, *, padding: int = 0) -> bytes:
    """A tiny blank page, distinct by its text chunk (the pipeline skips OCR on blank pages)."""
    info = PngImagePlugin.PngInfo()
    info.add_text("n", f"{n}" + "." * padding)
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("L", (120, 170), 255).save(path, format="PNG", pnginfo=info)
    return path.read_bytes()


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


@dataclass(frozen=True)
class Batch:
    """A scanner's stack: three dossiers, each a receipt sheet, its blank back, an ID card copy, its back."""

    pdf: bytes
    codes: list[str]
    kinds: list[str]  # per page: receipt | blank | cccd


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Batch:
    pages: list[synth.GeneratedPage] = []
    codes = []
    # the sheets skewed and upside down, as a feeder takes a stack put in any way round
    for i, (skew, rotation) in enumerate([(6.0, 180), (-4.0, 0), (3.0, 180)]):
        d = synth.make_dossier(40 + i, doc_types=["cccd"], receipt=True, blank_backs=True, dpi=150, max_skew=2.0)
        sheet = synth.make_receipt_sheet(d.code, seed=60 + i, dpi=150, skew_deg=skew, rotation=rotation,
                                         defects="photocopy")  # fmt: skip
        pages += [sheet, *d.pages[1:]]
        codes.append(d.code)
    path = tmp_path_factory.mktemp("batch") / "batch.pdf"
    synth.write_pdf(pages, path, jpeg_quality=40)  # a low-quality JPEG per page
    kinds = ["receipt" if p.separator else "blank" if p.blank else p.doc_type for p in pages]
    return Batch(pdf=path.read_bytes(), codes=codes, kinds=kinds)


# --- finding files ------------------------------------------------------------------------------------------------


def test_temporary_and_hidden_names_are_never_taken(tmp_path: Path) -> None:
    for name in [".scan.pdf", "~$scan.pdf", "scan.pdf.part", "SCAN.TMP", "x.crdownload", "Thumbs.db", "a.pdf~"]:
        assert ignored_name(name), name
    for name in ["hồ sơ ..bản sao.pdf", "scan 01.PDF", "a..b.png", "Giấy khai sinh (bản sao).jpg"]:
        assert not ignored_name(name), name
    for rel in ["a.pdf", "land/b.pdf", "done/c.pdf", "failed/d.pdf", ".trash/e.pdf", "land/.f.pdf", "g.pdf.part"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(b"%PDF-1.4")
    assert sorted(scan_folder(tmp_path)) == ["a.pdf", "land/b.pdf"]


def test_a_file_is_complete_only_after_its_size_and_mtime_held_still() -> None:
    now = [100.0]
    stable = Stability(2.0, clock=lambda: now[0])
    f = Found(rel="a.pdf", path=Path("a.pdf"), size=10, mtime_ns=1, ino=7)
    assert stable.update({"a.pdf": f}) == []
    now[0] += 1.5
    grown = Found(rel="a.pdf", path=Path("a.pdf"), size=20, mtime_ns=2, ino=7)
    assert stable.update({"a.pdf": grown}) == []  # still being written: the clock starts again
    now[0] += 1.9
    assert stable.update({"a.pdf": grown}) == []
    now[0] += 0.2
    assert stable.update({"a.pdf": grown}) == [grown]
    assert stable.update({}) == [] and stable.tracked == []


def test_a_file_unchanged_since_before_it_was_seen_waits_only_what_is_left_of_the_window() -> None:
    # GIVEN files first seen 5 s and 0.5 s after their last change (ctime), with a 2 s window
    now = [100.0]
    stable = Stability(2.0, clock=lambda: now[0], by_age=True)
    old = Found(rel="old.pdf", path=Path("old.pdf"), size=10, mtime_ns=1, ino=7, age=5.0)
    new = Found(rel="new.pdf", path=Path("new.pdf"), size=10, mtime_ns=1, ino=8, age=0.5)
    # WHEN they are looked at: THEN the old one is complete at once, the new one after the 1.5 s left
    assert stable.update({"old.pdf": old, "new.pdf": new}) == [old]
    now[0] += 1.4
    assert stable.update({"new.pdf": new}) == []
    now[0] += 0.2
    assert stable.update({"new.pdf": new}) == [new]
    # and without the age (a network share: another clock), the whole window from when it is first seen
    share = Stability(2.0, clock=lambda: now[0])
    assert share.update({"old.pdf": old}) == []


_MOUNTS = """\
22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
30 22 0:40 / /srv/scans rw,relatime shared:9 - cifs //nas/scans rw,vers=3.1.1
31 22 0:41 / /mnt/nfs rw,relatime shared:10 - nfs4 nas:/export rw
32 31 8:2 / /mnt/nfs/local\\040disk rw shared:11 - ext4 /dev/sdb1 rw
33 22 0:42 / /home/u/remote rw,nosuid shared:12 - fuse.sshfs u@host:/scans rw
34 22 0:43 / /mnt/wsl rw - 9p drvfs rw
35 22 0:44 / /srv/scans2 rw - smb3 //nas/b rw
36 22 0:45 / /tmp rw - tmpfs tmpfs rw
"""


@pytest.mark.parametrize(("path", "fstype"), [
    ("/srv/scans/land", "cifs"), ("/srv/scans", "cifs"), ("/srv/scans2/x", "smb3"), ("/srv/scansX", None),
    ("/mnt/nfs/a/b", "nfs4"), ("/mnt/nfs/local disk/a", None), ("/home/u/remote", "fuse.sshfs"),
    ("/mnt/wsl/c", "9p"), ("/tmp/watch", None), ("/var/scans", None),
])  # fmt: skip
def test_a_watch_folder_on_a_network_share_is_told_from_the_mount_table(path: str, fstype: str | None) -> None:
    # GIVEN a mount table with SMB, NFS, sshfs and 9p shares, a local disk mounted inside a share, and local mounts
    # WHEN the folder's file system is looked up THEN a share is named by its type, a local one is not
    assert on_network_fs(Path(path), _MOUNTS) == fstype


def test_on_a_network_share_a_file_waits_the_longer_window_and_no_local_writer_is_looked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opts = WatchSettings(stable_seconds=5.0, network_stable_seconds=30.0)
    assert window(opts, "cifs") == 30.0 and window(opts, None) == 5.0
    # GIVEN a watcher whose folder the mount table puts on an NFS share
    import workers.watch as watch_module

    monkeypatch.setattr(watch_module, "on_network_fs", lambda path: "nfs4")
    settings = Settings(data_dir=tmp_path / "data", jobs=1, watch=opts)
    watcher = Watcher(tmp_path, settings)
    assert watcher.stability.seconds == 30.0
    # WHEN a file is stable THEN /proc is not asked (a share's writer is on another machine)
    monkeypatch.setattr(watch_module, "open_for_writing", lambda paths: pytest.fail("/proc looked into"))
    f = Found(rel="a.pdf", path=tmp_path / "a.pdf", size=10, mtime_ns=1, ino=7)
    assert watcher._not_being_written([f]) == [f]


@pytest.mark.parametrize("inotify", [True, False], ids=["inotify", "polling"])
def test_a_file_written_slowly_in_chunks_is_taken_only_once_complete(tmp_path: Path, inotify: bool) -> None:
    # GIVEN a watcher running on a folder
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    content = _blank_png(tmp_path / "page.png", 1, padding=6000)
    settings = _settings(tmp_path, stable_seconds=1.0, poll_seconds=0.3, inotify=inotify)
    stop = threading.Event()
    watcher = Watcher(inbox, settings)
    thread = threading.Thread(target=watcher.run, kwargs={"stop": stop})
    thread.start()
    try:
        # WHEN a scanner writes a file in small chunks, pausing between them (under a final name, no rename)
        target = inbox / "quét chậm.png"
        with target.open("wb") as fh:
            for i in range(0, len(content), 500):
                fh.write(content[i : i + 500])
                fh.flush()
                time.sleep(0.15)
        last_write = time.time()
        deadline = time.monotonic() + 60
        while not (inbox / "done" / "quét chậm.png").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        stop.set()
        thread.join(timeout=60)
    # THEN it was taken once, complete, after the writing stopped: never refused as cut short
    assert (inbox / "done" / "quét chậm.png").read_bytes() == content
    assert _files(inbox / "failed") == []
    records = Records(settings.db_url)
    try:
        (row,) = records.intake_rows(str(inbox.resolve()))
        assert row.state == "done" and row.settled and row.size == len(content)
        assert row.created_at >= last_write
        assert records.dossier(row.codes[0]).pages[0].blank
    finally:
        records.close()


def _blank_pdf(n: int) -> bytes:
    """A one-page PDF of a white scan (150 dpi, Flate), distinct by its n: no OCR is run on a blank page."""
    import zlib

    from tests.pdfmake import write_image_pdf

    w, h = 1240, 1754
    pixels = bytearray(b"\xff" * (w * h))
    pixels[: len(str(n))] = str(n).encode()  # a few dark pixels in the corner: each file its own bytes
    return write_image_pdf(None, zlib.compress(bytes(pixels)), width=w, height=h, filter="FlateDecode", dpi=150)


def _run_in_thread(watcher: Watcher) -> tuple[threading.Thread, threading.Event]:
    stop = threading.Event()
    thread = threading.Thread(target=watcher.run, kwargs={"stop": stop})
    thread.start()
    return thread, stop


def _wait_for(path: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.05)


def test_a_scanner_that_pauses_mid_file_with_it_open_makes_one_dossier_and_nothing_fails(tmp_path: Path) -> None:
    # GIVEN a watcher that takes a file once unchanged for 0.3 s
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    content = _blank_pdf(1)
    settings = _settings(tmp_path, stable_seconds=0.3, poll_seconds=0.2)
    thread, stop = _run_in_thread(Watcher(inbox, settings))
    try:
        # WHEN a scanner writes half the PDF, pauses ten times that long with the file open, then finishes it
        target = inbox / "quầy 2.pdf"
        with target.open("wb") as fh:
            fh.write(content[: len(content) // 2])
            fh.flush()
            time.sleep(3.0)
            assert not (inbox / "failed").exists() or _files(inbox / "failed") == []
            fh.write(content[len(content) // 2 :])
        _wait_for(inbox / "done" / "quầy 2.pdf")
    finally:
        stop.set()
        thread.join(timeout=60)
    # THEN the complete file became one dossier, and nothing is in failed/
    assert _files(inbox / "failed") == []
    assert (inbox / "done" / "quầy 2.pdf").read_bytes() == content
    records = Records(settings.db_url)
    try:
        (row,) = records.intake_rows(str(inbox.resolve()))
        assert row.state == "done" and row.size == len(content) and len(row.codes) == 1
    finally:
        records.close()


def test_a_file_closed_half_written_and_finished_later_is_taken_whole(tmp_path: Path) -> None:
    # GIVEN a watcher that tries a file that reads as cut short 3 times, 1 s apart
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    content = _blank_pdf(2)
    settings = _settings(tmp_path, stable_seconds=0.2, poll_seconds=0.2, incomplete_wait_seconds=1.0)
    thread, stop = _run_in_thread(Watcher(inbox, settings))
    try:
        # WHEN a writer saves half the PDF and closes it, comes back 1.5 s later and appends the rest
        target = inbox / "lần 2.pdf"
        target.write_bytes(content[: len(content) // 2])
        time.sleep(1.5)
        with target.open("ab") as fh:
            fh.write(content[len(content) // 2 :])
        _wait_for(inbox / "done" / "lần 2.pdf")
    finally:
        stop.set()
        thread.join(timeout=60)
    # THEN the whole file was taken once, nothing failed, and the half file left no row
    assert _files(inbox / "failed") == []
    assert (inbox / "done" / "lần 2.pdf").read_bytes() == content
    records = Records(settings.db_url)
    try:
        (row,) = records.intake_rows(str(inbox.resolve()))
        assert row.state == "done" and row.size == len(content)
    finally:
        records.close()


def test_links_and_fifos_go_to_failed_with_their_reason_and_what_they_point_to_is_never_read(tmp_path: Path) -> None:
    # GIVEN a folder holding a link to a secret file, a link to a folder, a named pipe and a real scan
    secret = tmp_path / "shadow"
    secret.write_bytes(b"root:$6$secret\n")
    elsewhere = tmp_path / "elsewhere"
    _blank_png(elsewhere / "x.png", 9)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    inbox.chmod(0o750)  # the share: its group (the counter's clerks) may look in
    (inbox / "scan.pdf").symlink_to(secret)
    (inbox / "quầy 3").symlink_to(elsewhere, target_is_directory=True)
    os.mkfifo(inbox / "pipe.pdf")
    _blank_png(inbox / "real.png", 1)
    settings = _settings(tmp_path)
    # WHEN the watcher takes what is there (a FIFO opened for reading would block it forever)
    report = Watcher(inbox, settings).run(once=True)
    # THEN the links and the pipe themselves are in failed/ beside a reason; the real scan is recorded
    assert exit_code(report) == 2
    failed = inbox / "failed"
    assert (failed / "scan.pdf").is_symlink() and (failed / "quầy 3").is_symlink()
    assert stat.S_ISFIFO((failed / "pipe.pdf").lstat().st_mode)
    assert "symbolic link" in (failed / "scan.pdf.reason.txt").read_text(encoding="utf-8")
    assert "NotARegularFile" in (failed / "quầy 3.reason.txt").read_text(encoding="utf-8")
    assert "named pipe" in (failed / "pipe.pdf.reason.txt").read_text(encoding="utf-8")
    assert _files(inbox / "done") == ["real.png"]
    # AND done/ and failed/ are as open as the folder they are in (hoso's umask 077 would make them 0700)
    assert {stat.S_IMODE((inbox / sub).stat().st_mode) for sub in ("done", "failed")} == {0o750}
    # AND nothing was read through the links: no original holds the secret or the linked folder's file
    originals = [p.read_bytes() for p in (settings.objects_dir / "originals").iterdir()]
    assert len(originals) == 1 and secret.read_bytes() not in originals
    assert secret.read_bytes() == b"root:$6$secret\n"


# --- batches: receipt sheets, blank backs, subfolders -------------------------------------------------------------


def test_batch_of_three_dossiers_is_split_at_its_receipt_sheets(
    tmp_path: Path, batch: Batch, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN a stack of three dossiers scanned into one PDF, saved in the subfolder of a procedure
    inbox = tmp_path / "inbox"
    (inbox / "land").mkdir(parents=True)
    (inbox / "land" / "lô 07.pdf").write_bytes(batch.pdf)
    data = tmp_path / "data"
    for key, value in {"HOSO_WATCH_STABLE_SECONDS": "0.2", "HOSO_WATCH_POLL_SECONDS": "0.5", "HOSO_JOBS": "2"}.items():
        monkeypatch.setenv(key, value)
    # WHEN the watcher takes what is there
    rc = main(["watch", str(inbox), "--once", "--data-dir", str(data)])
    # THEN three dossiers, coded from their receipt sheets' QR codes
    out = capsys.readouterr()
    assert rc == 0, out.err
    assert out.out.split() == batch.codes
    assert _files(inbox) == [".hoso-watch.lock", "done/land/lô 07.pdf"]
    source_pages = []
    for code in batch.codes:
        assert main(["show", code, "--data-dir", str(data)]) == 0
        record = json.loads(capsys.readouterr().out)
        pages = record["pages"]
        assert record["code"] == code and record["status"] in ("processed", "needs_review")
        assert record["source"]["channel"] == "watch" and record["source"]["folder"] == "land"
        assert record["source"]["file"] == "land/lô 07.pdf"
        assert [p["number"] for p in pages] == list(range(1, len(pages) + 1))
        # the sheet is the dossier's first page, a separator holding its code, in no document
        first = pages[0]
        assert first["separator"] is True and first["separator_code"] == code and not first["blank"]
        assert [p["number"] for p in pages if p["separator"]] == [1]
        kinds = [batch.kinds[p["source"]["page"] - 1] for p in pages]
        assert kinds[0] == "receipt" and "receipt" not in kinds[1:]
        # blank backs stay in the record, out of documents
        blanks = {p["number"] for p in pages if p["blank"]}
        assert blanks == {p["number"] for p, k in zip(pages, kinds, strict=True) if k == "blank"}
        in_documents = {n for d in record["documents"] for n in d["pages"]}
        assert record["documents"] and not in_documents & (blanks | {1})
        source_pages += [p["source"]["page"] for p in pages]
    # every page of the stack is in exactly one dossier
    assert sorted(source_pages) == list(range(1, len(batch.kinds) + 1))


def test_watcher_killed_mid_batch_resumes_without_loss_or_repeats(tmp_path: Path, batch: Batch) -> None:
    # GIVEN the watcher (a real process) working through a stack, with a second file waiting
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "stack.pdf").write_bytes(batch.pdf)
    _blank_png(inbox / "single.png", 7)
    data = tmp_path / "data"
    db = data / "hoso.db"
    env = {
        **os.environ,
        "OMP_THREAD_LIMIT": "1",
        "HOSO_DATA_DIR": str(data),
        "HOSO_JOBS": "2",
        "HOSO_WATCH_STABLE_SECONDS": "0.2",
        "HOSO_WATCH_POLL_SECONDS": "0.5",
    }
    cmd = [sys.executable, "-m", "workers.cli", "watch", str(inbox), "--once"]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        # WHEN it is killed (SIGKILL, with its page processes) once some pages are read and others not
        done_before = _wait_for_some_pages(db, proc, total=len(batch.kinds))
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=60)
    assert (inbox / "stack.pdf").exists()  # not let go: its record is not complete
    # AND started again
    again = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    # THEN every page is recorded once, in the dossiers of its receipt sheet, and the pages read before the
    # kill were not read again
    assert not (inbox / "stack.pdf").exists() and (inbox / "done" / "stack.pdf").read_bytes() == batch.pdf
    assert (inbox / "done" / "single.png").exists()
    with sqlite3.connect(db) as conn:
        codes = {c for (c,) in conn.execute("SELECT code FROM dossiers")}
        assert set(batch.codes) < codes and len(codes) == 4  # the stack's three and the single page's
        rows = conn.execute("SELECT dossier_code, number, state, updated_at, attempts FROM pages").fetchall()
        assert {r[2] for r in rows} == {"done"}
        assert len(rows) == len(batch.kinds) + 1
        after = {(r[0], r[1]): (r[3], r[4]) for r in rows}
        for key, (updated_at, attempts) in done_before.items():
            assert after[key] == (updated_at, attempts), key
        (states,) = conn.execute("SELECT group_concat(state || ':' || settled) FROM watch_intake").fetchone()
        assert sorted(states.split(",")) == ["done:1", "done:1"]
    records = Records(f"sqlite:///{db}")
    try:
        source_pages = sorted(p.source.page for c in batch.codes for p in records.dossier(c).pages)
        assert source_pages == list(range(1, len(batch.kinds) + 1))
    finally:
        records.close()


def _wait_for_some_pages(
    db: Path, proc: subprocess.Popen[bytes], *, total: int
) -> dict[tuple[str, int], tuple[float, int]]:
    """The pages done (code, number) -> (updated_at, attempts), once at least one page with text is done."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()[1].decode()
        if db.exists():
            try:
                with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10) as conn:
                    rows = conn.execute(
                        "SELECT dossier_code, number, updated_at, attempts, json_extract(result, '$.blank') "
                        "FROM pages WHERE state = 'done'"
                    ).fetchall()
            except sqlite3.OperationalError:  # tables not made yet
                rows = []
            if any(r[4] == 0 for r in rows):
                assert len(rows) < total, "the whole stack was done before the kill"
                return {(r[0], r[1]): (r[2], r[3]) for r in rows}
        time.sleep(0.05)
    raise AssertionError("no page was done in time")


# --- bad input, names, duplicates, many files -------------------------------------------------------------------


def test_corrupt_files_go_to_failed_with_their_reason_and_odd_names_are_kept(tmp_path: Path) -> None:
    # GIVEN a cut-short PDF, an empty file, blank pages under names with spaces, diacritics (NFC and NFD) and
    # `..`, in a subfolder named so too, and files that are not to be taken
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    corrupt = b"%PDF-1.4\n1 0 obj << /Type /Catalog"
    (inbox / "hồ sơ ..bản sao.pdf").write_bytes(corrupt)
    (inbox / "trống.pdf").write_bytes(b"")
    nfd = unicodedata.normalize("NFD", "Giấy khai sinh (bản sao).png")
    _blank_png(inbox / nfd, 1)
    _blank_png(inbox / "scan 01..png", 2)
    _blank_png(inbox / "quầy 1..2" / "..trang.png", 3)  # hidden: never taken
    _blank_png(inbox / "quầy 1..2" / "trang 1.png", 4)
    for name in ["~$khoá.png", "đang chép.png.part", "x.tmp"]:
        _blank_png(inbox / name, 5)
    settings = _settings(tmp_path)
    # WHEN the watcher takes what is there
    report = Watcher(inbox, settings).run(once=True)
    # THEN the bad files are in failed/ beside a reason, the others recorded under their own names
    assert exit_code(report) == 2
    assert _files(inbox / "failed") == sorted(
        ["hồ sơ ..bản sao.pdf", "hồ sơ ..bản sao.pdf.reason.txt", "trống.pdf", "trống.pdf.reason.txt"]
    )
    reason = (inbox / "failed" / "hồ sơ ..bản sao.pdf.reason.txt").read_text(encoding="utf-8")
    assert "TruncatedFile" in reason and "cut short" in reason
    assert "EmptyFile" in (inbox / "failed" / "trống.pdf.reason.txt").read_text(encoding="utf-8")
    assert (inbox / "failed" / "hồ sơ ..bản sao.pdf").read_bytes() == corrupt
    assert _files(inbox / "done") == sorted([nfd, "scan 01..png", "quầy 1..2/trang 1.png"])
    left = {f for f in _files(inbox) if not f.startswith(("done/", "failed/"))}
    assert left == {".hoso-watch.lock", "quầy 1..2/..trang.png", "~$khoá.png", "đang chép.png.part", "x.tmp"}
    records = Records(settings.db_url)
    try:
        sources = {(s.folder, s.file) for c in report.dossiers if (s := records.dossier(c).source) is not None}
        assert sources == {("", nfd), ("", "scan 01..png"), ("quầy 1..2", "quầy 1..2/trang 1.png")}
        # nothing lost: the corrupt original is kept in the object store too
        (row,) = [r for r in records.intake_rows(str(inbox.resolve())) if r.path == "hồ sơ ..bản sao.pdf"]
        assert Path(settings.objects_dir / "originals" / row.sha256).read_bytes() == corrupt
    finally:
        records.close()


def test_a_duplicate_is_recorded_and_reported_not_processed_again(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    content = _blank_png(inbox / "a.png", 1)
    # the data dir inside the watch folder (a careless set-up): its objects are never taken as scans
    settings = _settings(tmp_path).with_overrides(data_dir=inbox / "hoso-data")
    first = Watcher(inbox, settings).run(once=True)
    (code,) = first.dossiers
    # GIVEN the same scan saved again, twice, under other names
    (inbox / "a (copy).png").write_bytes(content)
    (inbox / "land").mkdir()
    (inbox / "land" / "a.png").write_bytes(content)
    # WHEN the watcher runs again
    second = Watcher(inbox, settings).run(once=True)
    # THEN nothing new is processed; both are recorded as duplicates naming the dossier, and let go
    assert second.dossiers == [] and second.count("duplicate") == 2 and exit_code(second) == 0
    assert _files(inbox / "done") == ["a (copy).png", "a.png", "land/a.png"]
    assert (inbox / "hoso-data" / "objects" / "originals").is_dir()
    records = Records(settings.db_url)
    try:
        rows = records.intake_rows(str(inbox.resolve()))
        dups = [r for r in rows if r.state == "duplicate"]
        assert len(dups) == 2 and all(code in (r.error_message or "") and r.settled for r in dups)
        assert len(records.dossier_rows()) == 1
    finally:
        records.close()


def test_delete_mode_deletes_what_is_recorded_and_still_keeps_what_failed(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    content = _blank_png(inbox / "a.png", 1)
    (inbox / "b.pdf").write_bytes(b"%PDF-1.4 cut")
    settings = _settings(tmp_path, delete=True)
    report = Watcher(inbox, settings).run(once=True)
    assert exit_code(report) == 2
    assert _files(inbox) == [".hoso-watch.lock", "failed/b.pdf", "failed/b.pdf.reason.txt"]
    records = Records(settings.db_url)
    try:
        (dossier,) = report.dossiers
        sha = records.dossier(dossier).pages[0].sha256
        assert (settings.objects_dir / "originals" / sha).read_bytes() == content  # deleted only once stored
        assert {r.settled_as for r in records.intake_rows(str(inbox.resolve()))} == {"deleted", "failed/b.pdf"}
    finally:
        records.close()


def test_five_hundred_files_at_once(tmp_path: Path) -> None:
    # GIVEN 500 files dropped at once: 450 different pages and 50 copies of some of them
    inbox = tmp_path / "inbox"
    contents = [_blank_png(inbox / f"lô {i // 100}" / f"trang {i:03d}.png", i) for i in range(450)]
    for i in range(50):
        (inbox / "bản sao" / f"trang {i:03d}.png").parent.mkdir(parents=True, exist_ok=True)
        (inbox / "bản sao" / f"trang {i:03d}.png").write_bytes(contents[i * 9])
    settings = _settings(tmp_path, batch_files=64)
    # WHEN the watcher takes them
    t0 = time.perf_counter()
    report = Watcher(inbox, settings).run(once=True)
    seconds = time.perf_counter() - t0
    # THEN every one is recorded once and let go; the copies are reported as duplicates
    assert exit_code(report) == 0
    assert len(report.dossiers) == len(set(report.dossiers)) == 450
    assert report.count("duplicate") == 50
    assert len(_files(inbox / "done")) == 500
    assert [f for f in _files(inbox) if not f.startswith("done/")] == [".hoso-watch.lock"]
    records = Records(settings.db_url)
    try:
        rows = records.intake_rows(str(inbox.resolve()))
        assert len(rows) == 500 and all(r.settled for r in rows)
    finally:
        records.close()
    print(f"500 files in {seconds:.1f} s: {500 / seconds * 60:.0f} files/min")


# --- killed at every step: the journal resumes ---------------------------------------------------------------------


class _Killed(BaseException):
    """The watcher dies here (not an Exception: nothing of ours may catch it)."""


@pytest.fixture(scope="module")
def small_stack(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, list[str]]:
    """[blank, sheet A, blank, sheet B (upside down), blank]: three dossiers, two of them coded by QR."""
    codes = ["000.00.21.H46-250101-0001", "000.00.21.H46-250101-0002"]
    a = synth.make_receipt_sheet(codes[0], seed=1, dpi=150, skew_deg=2.0)
    b = synth.make_receipt_sheet(codes[1], seed=2, dpi=150, skew_deg=-3.0, rotation=180)
    blank = [synth.make_blank_page(seed=s, dpi=150) for s in range(3)]
    path = tmp_path_factory.mktemp("small") / "stack.pdf"
    synth.write_pdf([blank[0], a, blank[1], b, blank[2]], path)
    return path.read_bytes(), codes


def _fake_page_work(self: PageWorker, task: PageTask) -> PageOutcome:
    """The page stage without OCR: these tests are about the journal, not about reading."""
    page = Page(number=task.number, source=PageSource(file=task.file_name, page=task.source_page),
                sha256=task.sha256, width=10, height=10, dpi=150, rotation=0, skew_deg=0.0, blank=True)  # fmt: skip
    return PageOutcome(page=page, timings={})


def _dies_on(real: Any, calls: int, when: Callable[[dict[str, Any]], bool]) -> Any:
    """`real`, except that its `calls`-th call that `when` its keyword arguments kills the watcher."""
    count = [0]

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if when(kwargs):
            count[0] += 1
            if count[0] == calls:
                raise _Killed
        return real(*args, **kwargs)

    return wrapper


def _always(kwargs: dict[str, Any]) -> bool:
    return True


@pytest.mark.parametrize(
    ("owner", "attr", "calls", "when"),
    [
        (Records, "add_original", 1, _always),  # original stored, not yet recorded
        (Records, "add_page_range", 2, _always),  # between the dossiers of one file
        (Records, "finish_page", 3, _always),  # in the middle of the pages
        (embedded_module, "finish_dossier", 2, _always),  # between finishing dossiers
        (Records, "make_durable", 1, _always),  # recorded, not yet let go
        (Records, "intake_update", 1, lambda kw: bool(kw.get("settled"))),  # moved to done/, not yet noted
    ],
    ids=["stored", "claiming", "pages", "finishing", "recorded", "moved"],
)
def test_killed_at_any_step_then_restarted_nothing_lost_nothing_twice(
    tmp_path: Path,
    small_stack: tuple[bytes, list[str]],
    monkeypatch: pytest.MonkeyPatch,
    owner: Any,
    attr: str,
    calls: int,
    when: Callable[[dict[str, Any]], bool],
) -> None:
    pdf, codes = small_stack
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "stack.pdf").write_bytes(pdf)
    settings = _settings(tmp_path)
    monkeypatch.setattr(PageWorker, "run", _fake_page_work)
    # GIVEN a watcher that dies at one step of its work
    with monkeypatch.context() as m:
        m.setattr(owner, attr, _dies_on(getattr(owner, attr), calls, when))
        with pytest.raises(_Killed):
            Watcher(inbox, settings).run(once=True)
    # WHEN it is started again
    report = Watcher(inbox, settings).run(once=True)
    # THEN the stack makes its three dossiers, each page in one of them once, and the file is let go once
    assert exit_code(report) == 0
    assert _files(inbox / "done") == ["stack.pdf"] and not (inbox / "stack.pdf").exists()
    records = Records(settings.db_url)
    try:
        rows = records.intake_rows(str(inbox.resolve()))
        assert [(r.state, r.settled) for r in rows] == [("done", True)]
        (row,) = rows
        assert row.settled_as == "done/stack.pdf"
        assert row.codes[1:] == codes and row.codes[0].startswith("HS-")
        assert len(records.dossier_rows()) == 3
        spans = []
        for code in row.codes:
            dossier = records.dossier(code)
            assert dossier.status.value == "processed"
            spans.append([p.source.page for p in dossier.pages])
        assert spans == [[1], [2, 3], [4, 5]]
    finally:
        records.close()


def test_the_next_files_are_taken_in_while_a_batch_is_still_being_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The watcher does not wait for a batch's dossiers to be finished before taking the next files: the
    page processes would sit idle meanwhile (the last batch's dossier stages, the next batch's intake)."""
    inbox = tmp_path / "inbox"
    for n in range(2):
        _blank_png(inbox / f"scan{n}.png", n)
    settings = _settings(tmp_path, batch_files=1)
    seen_split: list[int] = []

    def slow_first_page(self: PageWorker, task: PageTask) -> PageOutcome:
        # GIVEN the first file's page still being read until the second file is taken in (10 s at most)
        if task.file_name != "scan0.png":
            return _fake_page_work(self, task)
        records = Records(settings.db_url)
        try:
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                states = [r.state for r in records.intake_rows(str(inbox.resolve()))]
                if len(states) == 2 and states[1] != "received":
                    seen_split.append(len(states))
                    break
                time.sleep(0.02)
        finally:
            records.close()
        return _fake_page_work(self, task)

    monkeypatch.setattr(PageWorker, "run", slow_first_page)
    # WHEN the watcher takes both, one file a batch
    report = Watcher(inbox, settings).run(once=True)
    # THEN the second was taken in while the first was being read, and both were recorded and let go
    assert seen_split, "the second file was only taken in after the first one's batch was finished"
    assert exit_code(report) == 0 and report.count("done") == 2
    assert _files(inbox / "done") == ["scan0.png", "scan1.png"]
