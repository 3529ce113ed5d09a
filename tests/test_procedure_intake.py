"""A dossier names its procedure through the intake channels: a watch subfolder named by a procedure key, and a
receipt sheet (the key its QR carries after the code, else the procedure it prints); receipts as before still work."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import synth
from pipeline.separators import qr_procedure, read_qr, separator_code
from schemas.procedures import Procedure
from schemas.record import Dossier, DossierStatus, Page, PageSource
from workers.cli import main
from workers.settings import Settings
from workers.usecases.dossier import name_procedure


def test_a_scan_in_a_procedure_subfolder_is_judged_by_that_procedure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN a marriage registration's declaration saved into the watch folder's subfolder of that procedure
    inbox = tmp_path / "inbox"
    (inbox / "marriage_registration").mkdir(parents=True)
    _doc, pages = synth.make_document("application_form", seed=12, dpi=150, variant=0)
    synth.write_pdf(pages[:1], inbox / "marriage_registration" / "to-khai.pdf")
    for key, value in {"HOSO_WATCH_STABLE_SECONDS": "0.2", "HOSO_WATCH_POLL_SECONDS": "0.5"}.items():
        monkeypatch.setenv(key, value)
    # WHEN the watcher takes it
    assert main(["watch", str(inbox), "--once", "--data-dir", str(tmp_path / "data")]) == 0
    (code,) = capsys.readouterr().out.split()
    assert main(["show", code, "--data-dir", str(tmp_path / "data")]) == 0
    record = json.loads(capsys.readouterr().out)
    # THEN the dossier is for that procedure, and the two spouses' identity papers are missing
    assert record["source"]["folder"] == "marriage_registration"
    assert record["procedure"] == "marriage_registration"
    missing = [c["key"] for c in record["completeness"]["components"] if c["missing"]]
    assert missing == ["identity"]


def test_a_receipt_qr_may_carry_the_procedure_after_the_code() -> None:
    code = "000.00.28.H57-250338-1306"
    with_key = synth.make_receipt_sheet(f"{code}|birth_registration", seed=3, dpi=200)
    plain = synth.make_receipt_sheet(code, seed=3, dpi=200)
    qr = read_qr(np.asarray(with_key.image), 200)
    assert separator_code(qr, None) == code and qr_procedure(qr) == "birth_registration"
    old = read_qr(np.asarray(plain.image), 200)
    assert separator_code(old, None) == code and qr_procedure(old) is None  # receipts as before: a code alone


def _receipt_page(text: str, key: str | None = None) -> Page:
    return Page(
        number=1,
        source=PageSource(file="a.pdf", page=1),
        sha256="0" * 64,
        width=10,
        height=10,
        dpi=300,
        rotation=0,
        skew_deg=0.0,
        separator=True,
        separator_code="X-1",
        separator_procedure=key,
        text=text,
    )


class _Named:
    def __init__(self) -> None:
        self.named: list[str] = []

    def set_procedure(self, code: str, procedure: Procedure) -> None:
        self.named.append(procedure.key)


@pytest.mark.parametrize(
    ("text", "key", "expected"),
    [
        ("PHIẾU TIẾP NHẬN HỒ SƠ\nNội dung yêu cầu giải quyết: Đăng ký khai sinh", None, "birth_registration"),
        ("PHIẾU TIẾP NHẬN HỒ SƠ\nNội dung yêu cầu giải quyết: Đăng ký khai sinh", "diploma_copy", "diploma_copy"),
        ("PHIẾU TIẾP NHẬN HỒ SƠ\nMã hồ sơ: X-1", None, None),
    ],
)
def test_a_dossier_without_a_procedure_takes_its_receipts(text: str, key: str | None, expected: str | None) -> None:
    dossier = Dossier(code="X-1", status=DossierStatus.processing, pages=[_receipt_page(text, key)])
    records = _Named()
    name_procedure(records, Settings(), dossier)  # type: ignore[arg-type]
    assert records.named == ([expected] if expected else [])
