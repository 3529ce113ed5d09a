"""`hoso export`: a processed dossier as the portal takes it — one PDF/A-2b per document (fonts embedded, XMP
saying PDF/A-2b, an sRGB output intent), named by its component or type, signed when a certificate is set,
and a manifest whose SHA-256s match the files."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pytest

from schemas.errors import DossierBusy, NoPagesToExport, SigningCertificateError
from schemas.record import Dossier, DossierStatus
from tests.certs import CENTRE_CN, Pki, make_pki
from workers.cli import main
from workers.settings import ExportSettings, Settings
from workers.stores.objects import LocalStore
from workers.stores.records import Records
from workers.usecases.export import ascii_name, component_of, export_dossier
from workers.usecases.signing import Outcome, load_trust_roots, verify_pdf

CODE = "HS-XUAT-1"


@pytest.fixture(scope="module")
def processed(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A generated 2-document dossier (an application form, an ID card copy) at 150 dpi, processed once."""
    import synth

    folder = tmp_path_factory.mktemp("export")
    pdf = folder / "ho-so.pdf"
    synth.write_pdf(synth.make_dossier(7, n_documents=2, dpi=150).pages, pdf)
    data = folder / "data"
    assert main(["process", str(pdf), "--code", CODE, "--data-dir", str(data), "--no-progress",
                 "--json", str(folder / "record.json")]) == 0  # fmt: skip
    return Settings(data_dir=data, jobs=1)


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


def _record(settings: Settings) -> Dossier:
    records = Records(settings.db_url)
    try:
        return records.dossier(CODE)
    finally:
        records.close()


def _export(settings: Settings) -> zipfile.ZipFile:
    out = io.BytesIO()
    export_dossier(settings, LocalStore(settings.objects_dir), _record(settings), out)
    return zipfile.ZipFile(io.BytesIO(out.getvalue()))


@pytest.fixture(scope="module")
def signed_zip(processed: Settings, pki: Pki) -> zipfile.ZipFile:
    export = ExportSettings(signing_p12=pki.p12, signing_password=pki.password)
    return _export(processed.with_overrides(export=export))


def _pdfs(zf: zipfile.ZipFile) -> Iterator[tuple[str, bytes]]:
    for name in zf.namelist():
        if name.endswith(".pdf"):
            yield name, zf.read(name)


def test_every_document_is_a_pdfa_2b_file_that_qpdf_and_pdfium_open(signed_zip: zipfile.ZipFile, tmp_path: Path):
    record_types = json.loads(signed_zip.read("manifest.json"))["files"]
    pdfs = dict(_pdfs(signed_zip))
    assert len(pdfs) == len(record_types) >= 2
    for name, data in pdfs.items():
        path = tmp_path / name
        path.write_bytes(data)
        check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr
        doc = pdfium.PdfDocument(data)
        try:
            assert len(doc) >= 1
            assert doc[0].get_textpage().get_text_range().strip()  # searchable
        finally:
            doc.close()
        with pikepdf.open(path) as pdf:
            assert data.startswith(b"%PDF-1.7") and str(pdf.Root.get("/Version", "/1.7")) == "/1.7"
            meta = pdf.open_metadata()
            assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("2", "B")
            assert "/Filter" not in pdf.Root.Metadata.stream_dict  # PDF/A: metadata unfiltered
            (intent,) = pdf.Root.OutputIntents
            assert intent.S == "/GTS_PDFA1" and intent.DestOutputProfile.N == 3
            assert intent.DestOutputProfile.read_bytes()[36:40] == b"acsp"  # an ICC profile
            for page in pdf.pages:
                for font in page.Resources.Font.values():
                    descriptor = font.DescendantFonts[0].FontDescriptor
                    assert len(descriptor.FontFile2.read_bytes()) > 0  # embedded
            assert "/Info" not in pdf.trailer or not pdf.trailer.Info.keys()  # nothing to disagree with XMP


def test_manifest_names_each_file_with_its_type_pages_fields_and_sha256(signed_zip: zipfile.ZipFile) -> None:
    manifest = json.loads(signed_zip.read("manifest.json"))
    assert manifest["code"] == CODE and manifest["format"] == "PDF/A-2b"
    assert manifest["signed"] is True and CENTRE_CN in manifest["signed_by"]
    names = [f["file"] for f in manifest["files"]]
    assert len(set(names)) == len(names)
    assert sorted([*names, "manifest.json"]) == sorted(signed_zip.namelist())
    for entry in manifest["files"]:
        data = signed_zip.read(entry["file"])
        assert hashlib.sha256(data).hexdigest() == entry["sha256"] and entry["bytes"] == len(data)
        assert entry["file"].isascii() and entry["page_count"] == len(entry["pages"]) >= 1
        assert "fields" in entry and entry["type"]
    types = [f["type"] for f in manifest["files"]]
    assert "cccd" in types  # the ID card copy, named by its type
    assert "can-cuoc-cong-dan.pdf" in names


def test_every_exported_file_carries_the_centres_valid_signature(signed_zip: zipfile.ZipFile, pki: Pki) -> None:
    roots = load_trust_roots([pki.root])
    for _name, data in _pdfs(signed_zip):
        result = verify_pdf(data, roots)
        assert result.outcome is Outcome.valid and result.signer_cn == CENTRE_CN, result


def test_without_a_certificate_the_export_is_unsigned_and_says_why(processed: Settings, tmp_path: Path) -> None:
    zf = _export(processed)
    manifest = json.loads(zf.read("manifest.json"))
    assert manifest["signed"] is False and "HOSO_SIGNING_P12" in manifest["unsigned_reason"]
    for _name, data in _pdfs(zf):
        with pikepdf.open(io.BytesIO(data)) as pdf:
            assert "/AcroForm" not in pdf.Root


def test_hoso_export_writes_the_zip_and_says_it_is_not_signed(
    processed: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HOSO_SIGNING_P12", raising=False)
    assert main(["export", CODE, "--out", str(tmp_path / "ra"), "--data-dir", str(processed.data_dir)]) == 0
    out = capsys.readouterr()
    assert out.out.strip() == str(tmp_path / "ra" / f"{CODE}.zip")
    assert "NOT signed: no signing certificate configured (HOSO_SIGNING_P12)" in out.err
    assert zipfile.ZipFile(tmp_path / "ra" / f"{CODE}.zip").testzip() is None
    assert [p.name for p in (tmp_path / "ra").iterdir()] == [f"{CODE}.zip"]  # no temporary left


def test_wrong_certificate_password_is_a_clear_error_and_writes_nothing(
    processed: Settings, pki: Pki, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setenv("HOSO_SIGNING_P12", str(pki.p12))
    monkeypatch.setenv("HOSO_SIGNING_PASSWORD", "khong-dung")
    code = main(["export", CODE, "--out", str(tmp_path / "ra"), "--data-dir", str(processed.data_dir)])
    assert code == SigningCertificateError.exit_code == 4
    assert "cannot be opened: wrong password" in capsys.readouterr().err
    assert list((tmp_path / "ra").iterdir()) == []


def test_unreadable_certificate_is_a_signing_certificate_error(processed: Settings, tmp_path: Path) -> None:
    bad = tmp_path / "centre.p12"
    bad.write_bytes(b"not a pkcs12 file")
    for p12 in (bad, tmp_path / "missing.p12"):
        with pytest.raises(SigningCertificateError):
            _export(processed.with_overrides(export=ExportSettings(signing_p12=p12, signing_password="x")))


def test_a_dossier_still_being_processed_is_not_exported(processed: Settings) -> None:
    busy = _record(processed).model_copy(update={"status": DossierStatus.processing})
    with pytest.raises(DossierBusy, match="still being processed"):
        export_dossier(processed, LocalStore(processed.objects_dir), busy, io.BytesIO())


def test_a_dossier_whose_every_file_was_refused_says_so_rather_than_not_found(processed: Settings) -> None:
    record = _record(processed)
    empty = record.model_copy(update={"status": DossierStatus.failed, "pages": [], "documents": []})
    with pytest.raises(NoPagesToExport, match="every file was refused"):
        export_dossier(processed, LocalStore(processed.objects_dir), empty, io.BytesIO())


def test_unknown_dossier_exits_3(processed: Settings, tmp_path: Path) -> None:
    assert main(["export", "HS-KHONG-CO", "--out", str(tmp_path), "--data-dir", str(processed.data_dir)]) == 3


def test_files_are_named_by_their_component_when_the_dossier_has_a_completeness(processed: Settings) -> None:
    record = _record(processed)

    class WithCompleteness:  # the shape procedures/completeness add to the record
        def __init__(self, dossier: Dossier) -> None:
            self._d = dossier
            self.procedure = "khai_sinh"
            self.completeness = {"complete": True, "components": [
                {"key": "to_khai", "name": "Tờ khai đăng ký khai sinh", "required": True, "documents": [0],
                 "missing": False},
                {"key": "giay_to_tuy_than", "name": "Giấy tờ tùy thân", "required": True, "documents": [1],
                 "missing": False},
            ]}  # fmt: skip

        def __getattr__(self, name: str) -> object:
            return getattr(self._d, name)

    dossier = WithCompleteness(record)
    assert component_of(dossier, 1) == ("giay_to_tuy_than", "Giấy tờ tùy thân")  # type: ignore[arg-type]
    assert component_of(record, 0) is None
    out = io.BytesIO()
    export_dossier(processed, LocalStore(processed.objects_dir), dossier, out)  # type: ignore[arg-type]
    manifest = json.loads(zipfile.ZipFile(out).read("manifest.json"))
    assert manifest["procedure"] == "khai_sinh"
    assert [f["file"] for f in manifest["files"]] == ["to-khai-dang-ky-khai-sinh.pdf", "giay-to-tuy-than.pdf"]
    assert manifest["files"][1]["component"] == {"key": "giay_to_tuy_than", "name": "Giấy tờ tùy thân"}


def test_ascii_names_drop_vietnamese_marks() -> None:
    assert ascii_name("Giấy chứng nhận quyền sử dụng đất") == "giay-chung-nhan-quyen-su-dung-dat"
    assert ascii_name("ĐƠN ĐỀ NGHỊ / 01") == "don-de-nghi-01"
    assert ascii_name("…") == "tai-lieu"
