"""Procedures as data (schemas/procedures.json), a province's file merged over them, and completeness judged from a
dossier's documents (pipeline/completeness.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.completeness import completeness, missing_text
from pipeline.separators import printed_procedure
from schemas.doctypes import load_catalog
from schemas.errors import ConfigError, UnknownProcedure
from schemas.procedures import PROCEDURES_FILE, ProcedureCatalog, load_procedures
from schemas.record import Document
from workers.settings import Settings, from_env
from workers.usecases import procedures

REQUIRED_PROCEDURES = {
    "birth_registration",
    "marriage_registration",
    "certified_copy",
    "land_change_registration",
    "land_use_change",
    "diploma_copy",
}


def _doc(doc_type: str, pages: list[int], confidence: float = 0.95) -> Document:
    return Document(type=doc_type, type_confidence=confidence, pages=pages)


def test_the_shipped_procedures_validate_and_name_only_known_document_types() -> None:
    raw = json.loads(PROCEDURES_FILE.read_text(encoding="utf-8"))
    catalog = ProcedureCatalog.model_validate(raw)
    assert set(catalog.keys) >= REQUIRED_PROCEDURES
    known = set(load_catalog().keys)
    for p in catalog.procedures:
        assert p.code and p.name_vi and any(c.required for c in p.components), p.key
        for c in p.components:
            assert set(c.types) <= known, (p.key, c.key)
            assert c.portal_name and c.name_vi
            assert c.required or c.condition, (p.key, c.key)
    birth = catalog.find("birth_registration")
    assert birth is not None and "birth_notice" in {t for c in birth.components for t in c.types}
    marriage = catalog.find("marriage_registration")
    assert marriage is not None
    status = next(c for c in marriage.components if "marital_status_confirmation" in c.types)
    assert not status.required and status.condition


def test_a_provincial_file_changes_one_procedure_adds_another_and_keeps_the_rest(tmp_path: Path) -> None:
    # GIVEN a province that also asks for the parents' marriage certificate at birth registration, and adds a procedure
    shipped = load_procedures()
    birth = shipped.find("birth_registration")
    assert birth is not None
    changed = birth.model_dump(mode="json")
    for c in changed["components"]:
        if c["key"] == "parents_marriage":
            c["required"], c["condition"] = True, None
    added = {
        "key": "death_registration",
        "code": "1.000656",
        "name_vi": "Đăng ký khai tử",
        "components": [{"key": "declaration", "name_vi": "Tờ khai đăng ký khai tử", "types": ["application_form"],
                        "portal_name": "Tờ khai đăng ký khai tử theo mẫu"}],
    }  # fmt: skip
    path = tmp_path / "province.json"
    path.write_text(json.dumps({"procedures": [changed, added]}, ensure_ascii=False), encoding="utf-8")
    # WHEN the settings name it
    settings = from_env({"HOSO_PROCEDURES_FILE": str(path), "HOSO_DATA_DIR": str(tmp_path)})
    catalog = procedures.catalog(settings)
    # THEN the changed procedure replaces the shipped one, the new one is there, the others are kept
    assert catalog.keys[: len(shipped.keys)] == shipped.keys and catalog.keys[-1] == "death_registration"
    merged_birth = procedures.resolve(settings, "birth_registration")
    assert next(c for c in merged_birth.components if c.key == "parents_marriage").required
    docs = [_doc("application_form", [1]), _doc("birth_notice", [2]), _doc("cccd", [3])]
    result = completeness(merged_birth, docs)
    assert not result.complete and result.missing == ["Giấy chứng nhận kết hôn của cha, mẹ"]
    assert procedures.resolve(settings, "death_registration").name_vi == "Đăng ký khai tử"
    # and by the shipped list alone, where it is conditional, the same papers are complete
    assert completeness(birth, docs).complete


def test_a_bad_provincial_file_is_refused_at_start_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "province.json"
    bad = {"procedures": [{"key": "x_proc", "code": "1", "name_vi": "X", "components": [
        {"key": "paper", "name_vi": "Giấy X", "types": ["no_such_type"], "portal_name": "Giấy X"}]}]}  # fmt: skip
    path.write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(ConfigError, match="no_such_type"):
        from_env({"HOSO_PROCEDURES_FILE": str(path)})
    path.write_text('{"procedures": [{"key": "Bad Key"}]}', encoding="utf-8")
    with pytest.raises(ConfigError, match=str(path)):
        from_env({"HOSO_PROCEDURES_FILE": str(path)})
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ConfigError, match="not JSON"):
        from_env({"HOSO_PROCEDURES_FILE": str(path)})


def test_an_unknown_procedure_key_is_refused_listing_the_keys() -> None:
    with pytest.raises(UnknownProcedure) as err:
        procedures.resolve(Settings(), "birth")
    assert "birth_registration" in str(err.value) and "diploma_copy" in str(err.value)
    assert err.value.exit_code == 2


def test_completeness_names_each_paper_found_with_its_documents_and_pages() -> None:
    marriage = load_procedures().find("marriage_registration")
    assert marriage is not None
    docs = [_doc("application_form", [1]), _doc("cccd", [2]), _doc("cccd", [3, 4]), _doc("other", [5])]
    result = completeness(marriage, docs)
    assert result.complete and missing_text(result) == ""
    identity = next(c for c in result.components if c.key == "identity")
    assert identity.documents == [1, 2] and identity.pages == [2, 3, 4] and not identity.missing
    status = next(c for c in result.components if c.key == "marital_status")
    assert not status.required and not status.missing and status.documents == []
    assert result.other_documents == [3]
    shape = result.model_dump()
    assert set(shape) >= {"complete", "components"}
    assert set(shape["components"][0]) >= {"key", "name", "required", "documents", "missing"}


def test_completeness_says_what_is_missing_in_vietnamese() -> None:
    birth = load_procedures().find("birth_registration")
    marriage = load_procedures().find("marriage_registration")
    assert birth is not None and marriage is not None
    result = completeness(birth, [_doc("application_form", [1]), _doc("cccd", [2])])
    assert not result.complete and missing_text(result) == "Thiếu: Giấy chứng sinh"
    one_card = completeness(marriage, [_doc("application_form", [1]), _doc("cccd", [2])])
    assert missing_text(one_card) == "Thiếu: Giấy tờ tùy thân của hai bên nam, nữ (1/2)"
    unsure = completeness(birth, [_doc("application_form", [1]), _doc("birth_notice", [2], 0.3), _doc("cccd", [3])])
    assert unsure.complete and next(c for c in unsure.components if c.key == "birth_notice").uncertain


def test_a_receipt_names_its_procedure_by_name_or_code() -> None:
    catalog = load_procedures()
    text = "PHIẾU TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ\nNội dung yêu cầu giải quyết: Đăng ký kết hôn\nMã hồ sơ: X"
    assert printed_procedure(text, catalog) == "marriage_registration"
    assert printed_procedure("Thủ tục 1.001193 (một cửa)", catalog) == "birth_registration"
    ocr_slips = "Nội dung yêu cầu giải quyết: Chứng thực bản sao từ bản chinh giấy tờ, văn bàn"
    assert printed_procedure(ocr_slips, catalog) == "certified_copy"
    assert printed_procedure("PHIẾU TIẾP NHẬN HỒ SƠ\nMã hồ sơ: X", catalog) is None
