"""The one intake: every channel splits a stack at its receipt sheets the same way (one dossier per sheet,
coded by its QR), finds duplicates, and reads each sheet's QR on a cheap decode of the page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

import synth
from schemas.record import Page, PageSource
from workers.cli import main
from workers.settings import Settings
from workers.stores.objects import make_store
from workers.stores.records import PageTask, Records
from workers.usecases.intake import Channel, Submission, receive
from workers.usecases.pages import PageOutcome, PageWorker

SHEET_A = "000.00.21.H46-250101-0001"
SHEET_B = "000.00.21.H46-250101-0002"


def fake_page_work(self: PageWorker, task: PageTask) -> PageOutcome:
    """The page stage without OCR: these tests are about intake, not about reading."""
    page = Page(number=task.number, source=PageSource(file=task.file_name, page=task.source_page),
                sha256=task.sha256, width=10, height=10, dpi=150, rotation=0, skew_deg=0.0, blank=True)  # fmt: skip
    return PageOutcome(page=page, timings={})


@pytest.fixture(scope="module")
def stack_with_one_sheet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """[blank, receipt sheet A (skewed), blank]."""
    sheet = synth.make_receipt_sheet(SHEET_A, seed=1, dpi=150, skew_deg=2.0)
    blank = [synth.make_blank_page(seed=s, dpi=150) for s in range(2)]
    path = tmp_path_factory.mktemp("stack") / "stack.pdf"
    synth.write_pdf([blank[0], sheet, blank[1]], path)
    return path


def test_hoso_process_of_a_stack_with_a_receipt_sheet_splits_it(
    tmp_path: Path, stack_with_one_sheet: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN a stack whose second page is a receipt sheet
    monkeypatch.setattr(PageWorker, "run", fake_page_work)
    out = tmp_path / "record.json"
    # WHEN `hoso process` takes it
    rc = main(["process", str(stack_with_one_sheet), "--json", str(out), "--data-dir", str(tmp_path / "d"),
               "--jobs", "1", "--no-progress"])  # fmt: skip
    # THEN two dossiers: the one asked for holds the page before the sheet, the sheet starts one coded by its QR
    assert rc == 0, capsys.readouterr().err
    first = json.loads(out.read_text())
    second = json.loads(out.with_suffix(f".{SHEET_A}.json").read_text())
    assert [p["source"]["page"] for p in first["pages"]] == [1]
    assert second["code"] == SHEET_A
    assert [(p["number"], p["source"]["page"]) for p in second["pages"]] == [(1, 2), (2, 3)]
    assert second["source"]["channel"] == "process" and second["source"]["first_page"] == 2
    assert SHEET_A in capsys.readouterr().err


def test_a_file_already_in_another_dossier_is_found_as_a_duplicate(tmp_path: Path, stack_with_one_sheet: Path) -> None:
    # GIVEN a file received into one dossier
    settings = Settings(data_dir=tmp_path / "d")
    settings.data_dir.mkdir()
    records, store = Records(settings.db_url), make_store(settings)
    try:
        receive(records, store, Submission((stack_with_one_sheet,), Channel.api, "HS-A"))
        # WHEN the same bytes come again, into another dossier
        again = receive(records, store, Submission((stack_with_one_sheet,), Channel.submit, "HS-B"))
        # THEN the duplicate is found (same SHA-256), naming the dossier that holds it; the original is stored once
        assert [(d.name, d.dossiers) for d in again.duplicates] == [("stack.pdf", ("HS-A",))]
        assert len(list((settings.objects_dir / "originals").iterdir())) == 1
    finally:
        records.close()


# --- what a submission may hold: real files, a dossier code, a dossier's pages within the limit -----------------


def _blank_tiff(path: Path, pages: int) -> Path:
    from PIL import Image

    frames = [Image.new("L", (400, 560), 255) for _ in range(pages)]
    frames[0].save(path, save_all=True, append_images=frames[1:], dpi=(100, 100))
    return path


def test_a_folder_input_never_follows_a_link_and_names_it_in_the_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # GIVEN a folder holding a scan and a link named like a scan that points at a secret file
    monkeypatch.setattr(PageWorker, "run", fake_page_work)
    secret = tmp_path / "shadow"
    secret.write_bytes(b"root:$6$secret:19000:0:99999:7:::\n")
    folder = tmp_path / "scans"
    folder.mkdir()
    _blank_tiff(folder / "a.tif", 1)
    (folder / "b.pdf").symlink_to(secret)
    out = tmp_path / "record.json"
    data = tmp_path / "d"
    # WHEN `hoso process` takes the folder
    rc = main(["process", str(folder), "--json", str(out), "--data-dir", str(data), "--no-progress"])
    # THEN the scan is recorded, the link is named as refused, and the secret was never read or stored
    assert rc == 2
    record = json.loads(out.read_text())
    assert [p["source"]["file"] for p in record["pages"]] == ["a.tif"]
    [problem] = record["problems"]
    assert (problem["file"], problem["error"]) == ("b.pdf", "NotARegularFile")
    stored = [p.read_bytes() for p in (data / "objects" / "originals").iterdir()]
    assert len(stored) == 1 and secret.read_bytes() not in stored
    assert "b.pdf" in capsys.readouterr().err


@pytest.mark.parametrize("code", ["a/b", "../x", 'HS"1', "HS-1\r\nSet-Cookie: x=1", "x" * 65, "a..b", ""])
def test_a_code_that_is_not_a_dossier_code_is_refused_before_anything_is_stored(
    tmp_path: Path, code: str, capsys: pytest.CaptureFixture[str]
) -> None:
    scan = _blank_tiff(tmp_path / "a.tif", 1)
    rc = main(["process", str(scan), "--code", code, "--data-dir", str(tmp_path / "d"), "--no-progress"])
    assert rc == 2
    assert "is not a dossier code" in capsys.readouterr().err
    assert not (tmp_path / "d" / "objects" / "originals").exists() or not any(
        (tmp_path / "d" / "objects" / "originals").iterdir()
    )


def test_the_page_limit_holds_for_the_dossier_not_only_for_each_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN three files of 3 pages each, each under a limit of 5 pages, together over it
    monkeypatch.setattr(PageWorker, "run", fake_page_work)
    files = [_blank_tiff(tmp_path / f"{n}.tif", 3) for n in ("a", "b", "c")]
    out = tmp_path / "record.json"
    # WHEN processed as one dossier
    rc = main(["process", *map(str, files), "--max-pages", "5", "--json", str(out), "--data-dir",
               str(tmp_path / "d"), "--no-progress"])  # fmt: skip
    # THEN the first file's pages are recorded; the file that goes over the limit and those after it are refused
    assert rc == 2
    record = json.loads(out.read_text())
    assert [p["source"]["file"] for p in record["pages"]] == ["a.tif"] * 3
    assert [(p["file"], p["error"]) for p in record["problems"]] == [("b.tif", "TooManyPages"),
                                                                   ("c.tif", "TooManyPages")]  # fmt: skip
    assert "over the limit of 5 a dossier" in record["problems"][0]["message"]


def test_names_given_in_nfd_are_recorded_in_nfc(tmp_path: Path, stack_with_one_sheet: Path) -> None:
    # GIVEN a scan saved on a Mac (file name in NFD) and a citizen's name typed in NFD
    import unicodedata

    nfd_file = tmp_path / unicodedata.normalize("NFD", "Giấy khai sinh Lê Thị Ảnh.pdf")
    nfd_file.write_bytes(stack_with_one_sheet.read_bytes())
    settings = Settings(data_dir=tmp_path / "d")
    settings.data_dir.mkdir()
    records, store = Records(settings.db_url), make_store(settings)
    try:
        meta = {"citizen_name": unicodedata.normalize("NFD", "Lê Thị Ảnh")}
        receive(records, store, Submission((nfd_file,), Channel.api, "HS-NFD", meta))
        # THEN the record spells both in NFC, as search and the pages compare them
        row = records.dossier_rows(codes=["HS-NFD"])[0]
        assert row.meta["citizen_name"] == "Lê Thị Ảnh" == unicodedata.normalize("NFC", row.meta["citizen_name"])
        assert [f.name for f in records.files("HS-NFD")] == ["Giấy khai sinh Lê Thị Ảnh.pdf"]
    finally:
        records.close()


def test_files_added_to_a_dossier_that_began_processing_meanwhile_are_refused_not_mixed_in(
    tmp_path: Path, stack_with_one_sheet: Path
) -> None:
    from schemas.errors import DossierBusy, NotARefusedFile
    from schemas.record import DossierStatus

    settings = Settings(data_dir=tmp_path / "d")
    settings.data_dir.mkdir()
    records, store = Records(settings.db_url), make_store(settings)
    try:
        # GIVEN a dossier with one file, which began processing after the clerk's page said it was processed
        receive(records, store, Submission((stack_with_one_sheet,), Channel.api, "HS-A"))
        records.set_status("HS-A", DossierStatus.processing)
        later = _blank_tiff(tmp_path / "later.tif", 1)
        # WHEN the addition reaches the intake
        with pytest.raises(DossierBusy, match="processing"):
            receive(records, store, Submission((later,), Channel.counter, "HS-A", append=True))
        # THEN nothing is added and the status stays (the pages being read are not reopened under the reader)
        assert [f.name for f in records.files("HS-A")] == ["stack.pdf"]
        assert records.status("HS-A") == DossierStatus.processing
        # AND once processed, files are added; a `replaces` naming no refused file of it is refused first
        records.set_status("HS-A", DossierStatus.processed)
        with pytest.raises(NotARefusedFile, match=r"stack\.pdf"):
            receive(records, store, Submission((later,), Channel.counter, "HS-A", append=True, replaces="stack.pdf"))
        assert records.status("HS-A") == DossierStatus.processed
        receive(records, store, Submission((later,), Channel.counter, "HS-A", append=True))
        assert [f.name for f in records.files("HS-A")] == ["stack.pdf", "later.tif"]
        assert records.status("HS-A") == DossierStatus.received
    finally:
        records.close()


def test_a_dossier_put_in_the_trash_before_its_pages_are_read_has_them_left_unread_saying_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workers.runners import make_runner
    from workers.stores.records.page_queue import IN_THE_TRASH

    read: list[int] = []

    def reading(self: PageWorker, task: PageTask) -> PageOutcome:
        read.append(task.number)
        return fake_page_work(self, task)

    monkeypatch.setattr(PageWorker, "run", reading)
    settings = Settings(data_dir=tmp_path / "d", jobs=1)
    settings.data_dir.mkdir()
    records, store = Records(settings.db_url), make_store(settings)
    runner = make_runner(settings, records, store)
    try:
        # GIVEN a received dossier of 2 pages, put in the trash before a runner reached it
        receive(records, store, Submission((_blank_tiff(tmp_path / "a.tif", 2),), Channel.api, "HS-T"))
        records.trash("HS-T", who="admin")
        # WHEN the runner takes it up
        report = runner.run(["HS-T"])
        # THEN no page is read; each stays pending with the reason on it, and the dossier is not finished
        assert read == [] and report.unfinished == ["HS-T"] and report.dossiers == []
        assert records.page_states("HS-T") == [(1, "pending"), (2, "pending")]
        assert [t.number for t in records.page_tasks("HS-T")] == [1, 2]
        with records.engine.connect() as conn:
            from workers.stores.records import tables

            errors = conn.execute(sa.select(tables.pages.c.error).where(tables.pages.c.dossier_code == "HS-T")).all()
        assert [e for (e,) in errors] == [IN_THE_TRASH, IN_THE_TRASH]
        # AND once restored its pages are read and it is finished
        assert records.restore("HS-T")
        report = runner.run(["HS-T"])
        assert sorted(read) == [1, 2] and [d.code for d in report.dossiers] == ["HS-T"]
    finally:
        runner.close()
        records.close()
