"""The centre's signature on exported PDFs (PAdES, pyHanko) and `hoso verify`: who signed, when, whether the file
changed since, whether the chain is trusted; the PDF/A file is kept as it was under the signature."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageDraw
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import ModificationLevel, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from pipeline.pdf import PdfPage
from pipeline.pdfa import PdfaInfo, pdfa_document
from schemas.errors import SigningCertificateError
from schemas.record import Word
from tests.certs import CENTRE_CN, CENTRE_O, Pki, make_pki
from workers.cli import main
from workers.settings import ExportSettings, Settings
from workers.usecases.export import pdfa_resources
from workers.usecases.signing import CentreSigner, Outcome, load_signer, load_trust_roots, sign_pdf, verify_pdf


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="module")
def signer(pki: Pki) -> CentreSigner:
    loaded = load_signer(ExportSettings(signing_p12=pki.p12, signing_password=pki.password))
    assert loaded is not None
    return loaded


@pytest.fixture(scope="module")
def unsigned() -> bytes:
    """A one-page PDF/A-2b as the export makes it (a generated page image with two words)."""
    img = Image.new("RGB", (1240, 1754), "white")
    ImageDraw.Draw(img).rectangle([100, 100, 380, 140], fill="black")
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=80)
    words = [Word(text="GIẤY", conf=95, box=[100, 100, 230, 140]), Word(text="KHAI", conf=95, box=[250, 100, 380, 140])]
    page = PdfPage(jpeg=buf.getvalue(), width=1240, height=1754, dpi=150, words=words)
    info = PdfaInfo(title="HS-KY-1: Giấy khai sinh", created=datetime(2026, 12, 2, 9, 30, tzinfo=UTC))
    return pdfa_document([page], pdfa_resources(Settings()), info)


@pytest.fixture(scope="module")
def signed(unsigned: bytes, signer: CentreSigner) -> bytes:
    return sign_pdf(unsigned, signer, reason="Bản sao điện tử, hồ sơ HS-KY-1")


def _file(tmp_path: Path, data: bytes, name: str = "giay-khai-sinh.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_signature_is_an_incremental_update_that_keeps_pdfa(unsigned: bytes, signed: bytes) -> None:
    assert signed.startswith(unsigned)  # the PDF/A file is under the signature byte for byte
    with pikepdf.open(io.BytesIO(signed)) as pdf:
        meta = pdf.open_metadata()
        assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("2", "B")
        assert "/Filter" not in pdf.Root.Metadata.stream_dict
        # an ECDSA key would have pyHanko declare PDF 2.0 (ISO/TS 32002): no longer PDF/A-2
        assert str(pdf.Root.get("/Version", "/1.7")) == "/1.7"
        (field,) = pdf.Root.AcroForm.Fields
        assert field.FT == "/Sig" and [float(v) for v in field.Rect] == [0, 0, 0, 0]  # invisible
        assert int(field.F) & 4 and not int(field.F) & 2  # printable, not hidden: PDF/A wants it so
        assert field.V.SubFilter == "/ETSI.CAdES.detached"  # PAdES


def test_pyhanko_validator_finds_the_signature_intact_trusted_and_covering_the_file(pki: Pki, signed: bytes) -> None:
    sig = PdfFileReader(io.BytesIO(signed)).embedded_signatures[0]
    context = ValidationContext(trust_roots=load_trust_roots([pki.root]), allow_fetching=False)
    status = validate_pdf_signature(sig, signer_validation_context=context)
    assert status.bottom_line and status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.modification_level == ModificationLevel.NONE


def test_hoso_verify_says_who_signed_when_and_that_nothing_changed(
    pki: Pki, signed: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _file(tmp_path, signed)
    assert main(["verify", str(path), "--trust", str(pki.root)]) == Outcome.valid == 0
    out = capsys.readouterr().out
    assert f"signed by {CENTRE_CN}, {CENTRE_O} at {datetime.now(UTC).year}-" in out
    assert "unchanged since signing" in out and "chain trusted" in out


def test_a_changed_byte_is_detected(pki: Pki, signed: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    damaged = bytearray(signed)
    at = signed.index(b"/DCTDecode") + 2000  # inside the page image, under the signature
    damaged[at] ^= 0x01
    path = _file(tmp_path, bytes(damaged))
    assert main(["verify", str(path), "--trust", str(pki.root)]) == Outcome.changed
    assert "CHANGED since signing" in capsys.readouterr().out
    result = verify_pdf(bytes(damaged), load_trust_roots([pki.root]))
    assert not result.intact and result.signer_cn == CENTRE_CN


def test_a_revision_added_after_signing_is_detected(pki: Pki, signed: bytes, tmp_path: Path) -> None:
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    writer.root["/Lang"] = generic.TextStringObject("vi")  # any change, in an update of its own
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    result = verify_pdf(out.getvalue(), load_trust_roots([pki.root]))
    assert result.intact and not result.whole_file and result.outcome is Outcome.changed
    assert "bytes were added or modified after the signature" in result.report("x")


def test_an_rsa_certificate_signs_and_verifies_too(unsigned: bytes, tmp_path: Path) -> None:
    pki = make_pki(tmp_path / "rsa", rsa_key=True)
    signer = load_signer(ExportSettings(signing_p12=pki.p12, signing_password=pki.password))
    assert signer is not None
    signed = sign_pdf(unsigned, signer, reason="Bản sao điện tử")
    assert verify_pdf(signed, load_trust_roots([pki.root])).outcome is Outcome.valid
    with pikepdf.open(io.BytesIO(signed)) as pdf:
        assert str(pdf.Root.get("/Version", "/1.7")) == "/1.7"


def test_untrusted_chain_and_no_trust_root_are_told_apart(pki: Pki, signed: bytes, tmp_path: Path, capsys) -> None:
    path = _file(tmp_path, signed)
    assert main(["verify", str(path), "--trust", str(pki.other_root)]) == Outcome.untrusted
    assert "chain NOT trusted" in capsys.readouterr().out
    assert main(["verify", str(path)]) == Outcome.untrusted
    assert "no trust root given" in capsys.readouterr().out


def test_trust_root_from_the_setting(pki: Pki, signed: bytes, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("HOSO_SIGNING_TRUST", str(pki.root))
    assert main(["verify", str(_file(tmp_path, signed))]) == Outcome.valid


def test_unsigned_and_unreadable_files(unsigned: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["verify", str(_file(tmp_path, unsigned))]) == Outcome.unsigned
    assert "not signed" in capsys.readouterr().out
    assert main(["verify", str(_file(tmp_path, b"PK\x03\x04 not a pdf", "x.pdf"))]) == 2
    assert "cannot be read as a PDF" in capsys.readouterr().err
    assert main(["verify", str(tmp_path / "missing.pdf")]) == 2


def test_bad_certificate_settings_are_clear_errors(pki: Pki, tmp_path: Path) -> None:
    cases = {
        "wrong password": ExportSettings(signing_p12=pki.p12, signing_password="sai-mat-khau"),
        "no password given": ExportSettings(signing_p12=pki.p12),
        "cannot be read": ExportSettings(signing_p12=tmp_path / "missing.p12", signing_password="x"),
    }
    for expected, settings in cases.items():
        with pytest.raises(SigningCertificateError, match=expected) as caught:
            load_signer(settings)
        assert caught.value.exit_code == 4 and "HOSO_SIGNING_PASSWORD" in str(caught.value)
    assert load_signer(ExportSettings()) is None  # no certificate: no signing
    bad_root = _file(tmp_path, b"not a certificate", "root.pem")
    with pytest.raises(SigningCertificateError, match="not a certificate"):
        load_trust_roots([bad_root])


def test_signing_settings_come_from_the_environment(pki: Pki) -> None:
    from workers.settings import from_env

    env = {"HOSO_SIGNING_P12": str(pki.p12), "HOSO_SIGNING_PASSWORD": pki.password, "HOSO_SIGNING_TRUST": "r.pem"}
    export = from_env(env).export
    assert (export.signing_p12, export.signing_password, export.signing_trust) == (pki.p12, pki.password, Path("r.pem"))
    assert pki.password not in repr(export)
